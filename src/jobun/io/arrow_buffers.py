"""The columns of the flat tables in Arrow's memory layout, made without pyarrow.

A worker turns one document's columns (`tables.document_columns`) into the buffers Arrow keeps
for them (`encode_table`): per integer column the 8-byte values, per string column the UTF-8
bytes of the values joined by a separator, per list column the length of each list and its
strings as a string column, and where a column has nulls one byte per row (0: null). The main
process joins the buffers of many documents (`RowGroup`) and has pyarrow make the arrays.

Why: converting Python lists (`Table.from_pydict`) after unpickling them made the main process
of a Parquet build spend more CPU than everything else it does, taken from the workers when
there are as many workers as cores; and pyarrow's conversion of a Python list imports pandas.
Here the main process makes no Python object per value, and nothing imports pandas.

The separator is U+D800, a lone surrogate, which no text holds (every input is decoded
strictly) and which 'surrogatepass' writes as bytes that valid UTF-8 never contains: a worker
joins a column's values in one call instead of encoding and measuring each, and pyarrow splits
them again, checks that the pieces are valid UTF-8, and the main process that they are as many
as the rows.
"""
from __future__ import annotations

import pickle
from array import array
from itertools import chain, repeat
from operator import is_not, itemgetter

from .tables import INT, SCHEMA, STRING, STRINGS

SEPARATOR = "\ud800"
_SEPARATOR_BYTES = SEPARATOR.encode("utf-8", "surrogatepass")
_NULL_AS = {INT: 0, STRING: "", STRINGS: ()}     # what a null becomes under its validity byte 0
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
    return len(values), validity, _DATA_OF[kind]([_NULL_AS[kind] if value is None else value for value in values])


def _lists(values: list) -> tuple:
    """A list column's data: the lists' lengths and their strings, encoded as a string column."""
    return array("i", map(len, values)).tobytes(), _encode(STRING, list(chain.from_iterable(values)))


_DATA_OF = {INT: lambda values: array("q", values).tobytes(),
            STRING: lambda values: SEPARATOR.join(values).encode("utf-8", "surrogatepass"),
            STRINGS: _lists}


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
    validity = _validity(parts, rows)
    if kind == INT:
        return pa.Array.from_buffers(pa.int64(), rows, [validity, pa.py_buffer(b"".join(map(_DATA, parts)))])
    if kind == STRING:
        return pa.Array.from_buffers(pa.string(), rows, [validity, *_strings(parts, rows).buffers()[1:]])
    lists = list(map(_DATA, parts))
    lengths = pa.py_buffer(b"".join(chain((bytes(4),), map(itemgetter(0), lists))))
    strings = [column for _, column in lists if column[0]]
    return pa.Array.from_buffers(pa.list_(pa.string()), rows, [validity, _running_sum(lengths, rows + 1)],
                                 children=[_array(STRING, strings, sum(map(_ROWS, strings)))])


def _strings(parts: tuple, rows: int):
    """The string values of `parts` (each with at least one row), nulls as empty strings."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if not rows:
        return pa.nulls(0, pa.string())
    joined = _SEPARATOR_BYTES.join(map(_DATA, parts))
    offsets = pa.py_buffer(bytes(8) + len(joined).to_bytes(8, "little"))
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(joined)])
    values = pc.split_pattern(whole, _SEPARATOR_BYTES).flatten()
    if len(values) != rows:
        raise ValueError(f"a table's text holds U+D800: {len(values)} strings for {rows} rows")
    return values.cast(pa.string())


def _running_sum(lengths, count: int):
    """Arrow's int32 offsets from the int32 lengths after a 0 (checked: a row group of lists
    over 2^31 long fails instead of wrapping around)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    return pc.cumulative_sum_checked(pa.Array.from_buffers(pa.int32(), count, [None, lengths])).buffers()[1]


def _validity(parts: tuple, rows: int):
    """Arrow's validity bitmap from the validity bytes, or None when no document has a null."""
    if not any(map(_VALIDITY, parts)):
        return None
    import pyarrow as pa
    flags = pa.py_buffer(b"".join(p[1] if p[1] is not None else b"\1" * p[0] for p in parts))
    return pa.Array.from_buffers(pa.uint8(), rows, [None, flags]).cast(pa.bool_()).buffers()[1]
