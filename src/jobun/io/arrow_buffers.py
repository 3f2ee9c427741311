"""The columns of the flat tables in Arrow's memory layout, made without pyarrow.

A worker turns one document's columns (`tables.document_columns`) into the buffers Arrow keeps
for them (`encode_table`): per integer column the 8-byte values; per string column the UTF-8 byte
length of each value and the values' bytes end to end; per list column the length of each list
and its strings as a string column; and where a column has nulls, one byte per row (0: null).
The main process joins the buffers of many documents (`RowGroup`) and hands them to pyarrow as
they are; offsets are the running sums of the lengths, one pyarrow call per column.

Why: converting Python lists (`Table.from_pydict`) after unpickling them made the main process
of a Parquet build spend more CPU than everything else it does, taken from the workers when there
are as many workers as cores; and pyarrow's conversion of a Python list imports pandas. Here the
main process makes no Python object per value and does no work per value in Python, nothing
imports pandas, and no pyarrow is needed in the workers (it would double their memory).
"""
from __future__ import annotations

import pickle
from array import array
from itertools import chain, compress, repeat
from operator import is_not, itemgetter

from .tables import INT, SCHEMA, STRING, STRINGS

_NULL_AS = {INT: 0, STRINGS: ()}     # what a null becomes under its validity byte 0
_ROWS, _VALIDITY, _DATA = (itemgetter(i) for i in range(3))


def encode_table(table: str, columns: dict) -> bytes:
    """One document's rows of `table` ({column: [values]}) as Arrow buffers, pickled."""
    return pickle.dumps(tuple(_encode(kind, columns[name]) for name, kind in SCHEMA[table]),
                        protocol=pickle.HIGHEST_PROTOCOL)


def _encode(kind: str, values: list) -> tuple:
    """(rows, validity bytes or None, data) of one column. The values are taken as they are
    first: the buffers refuse a None, and most columns have none (no scan for nulls then)."""
    try:
        return len(values), None, _DATA_OF[kind](values)
    except TypeError:
        if None not in values:
            raise
    validity = bytes(map(is_not, values, repeat(None)))
    if kind == STRING:      # only the values there are: the main process gives each null a length 0
        return len(values), validity, _strings(list(compress(values, validity)))
    filled = [_NULL_AS[kind] if value is None else value for value in values]
    return len(values), validity, _DATA_OF[kind](filled)


def _strings(values: list) -> tuple[bytes, bytes]:
    """A string column's data: the UTF-8 byte length of each value, and their bytes."""
    joined = "".join(values)
    if joined.isascii():            # a byte per character: nothing to encode value by value
        return array("i", list(map(len, values))).tobytes(), joined.encode("ascii")
    encoded = list(map(str.encode, values))
    return array("i", list(map(len, encoded))).tobytes(), b"".join(encoded)


def _lists(values: list) -> tuple[bytes, tuple]:
    """A list column's data: the lists' lengths, and their strings encoded as a string column."""
    return array("i", map(len, values)).tobytes(), _encode(STRING, list(chain.from_iterable(values)))


_DATA_OF = {INT: lambda values: array("q", values).tobytes(), STRING: _strings, STRINGS: _lists}


class RowGroup:
    """The documents of one table gathered until they are written as one row group."""

    def __init__(self, table: str):
        self.kinds = [kind for _, kind in SCHEMA[table]]
        self.documents: list[tuple] = []
        self.rows = self.bytes = 0

    def add(self, payload: bytes) -> None:
        """`payload`: one document's rows, as `encode_table` made them."""
        columns = pickle.loads(payload)
        if columns[0][0]:
            self.documents.append(columns)
            self.rows += columns[0][0]
            self.bytes += len(payload)

    def arrays(self) -> list:
        """One pyarrow array per column."""
        return [_array(kind, parts, self.rows) for kind, parts in zip(self.kinds, zip(*self.documents))]


def _array(kind: str, parts: tuple, rows: int):
    """The column of `rows` rows whose documents' buffers are `parts`."""
    import pyarrow as pa
    flags = _flags(parts)
    validity = None if flags is None else _bools(flags, rows).buffers()[1]
    data = list(map(_DATA, parts))
    if kind == INT:
        return pa.Array.from_buffers(pa.int64(), rows, [validity, pa.py_buffer(b"".join(data))])
    lengths = map(itemgetter(0), data)
    if kind == STRING:
        text = pa.py_buffer(b"".join(map(itemgetter(1), data)))
        return pa.Array.from_buffers(pa.string(), rows, [validity, _offsets(lengths, rows, flags), text])
    strings = [column for _, column in data if column[0]]
    return pa.Array.from_buffers(pa.list_(pa.string()), rows, [validity, _offsets(lengths, rows)],
                                 children=[_array(STRING, strings, sum(map(_ROWS, strings)))])


def _offsets(lengths, rows: int, flags: bytes | None = None):
    """Arrow's int32 offsets: the running sum of the lengths after a 0 (checked: a row group
    over 2 GiB in one column fails instead of wrapping around). With `flags`, the lengths are
    those of the rows whose flag is 1; the others get a length 0."""
    import pyarrow as pa
    import pyarrow.compute as pc
    lengths = b"".join(lengths)
    if flags is None:
        lengths = pa.Array.from_buffers(pa.int32(), rows + 1, [None, pa.py_buffer(bytes(4) + lengths)])
    else:
        given = pa.Array.from_buffers(pa.int32(), len(lengths) // 4, [None, pa.py_buffer(lengths)])
        zeros = pa.Array.from_buffers(pa.int32(), rows + 1, [None, pa.py_buffer(bytes(4 * (rows + 1)))])
        lengths = pc.replace_with_mask(zeros, _bools(b"\0" + flags, rows + 1), given)
    return pc.cumulative_sum_checked(lengths).buffers()[1]


def _flags(parts: tuple) -> bytes | None:
    """The validity bytes of the column's rows, or None when no document has a null."""
    if not any(map(_VALIDITY, parts)):
        return None
    return b"".join(p[1] if p[1] is not None else b"\1" * p[0] for p in parts)


def _bools(flags: bytes, rows: int):
    """Validity bytes as a boolean array (its values buffer is Arrow's validity bitmap)."""
    import pyarrow as pa
    return pa.Array.from_buffers(pa.uint8(), rows, [None, pa.py_buffer(flags)]).cast(pa.bool_())
