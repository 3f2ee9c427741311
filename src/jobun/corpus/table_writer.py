"""Writing the flat tables of a build: a Parquet dataset (folder) per table, `_tables/<table>/`,
or one JSON Lines file per table, `_tables/<table>.jsonl`.

Parquet: documents arrive as Arrow buffers (io.arrow_buffers); they are gathered into row groups
of at most ROW_GROUP_ROWS rows or ROW_GROUP_BYTES bytes, so a corpus of small documents does not
make thousands of tiny row groups and a huge document is split instead of making one giant one.
Compressed with zstd: smaller than snappy for text at about the same cost. pyarrow is imported
at the first write, not before the build starts: workers forked after it would each count its
memory as theirs (about 20 MB more peak memory reported per worker).
JSON Lines: the rows as the workers encoded them, optionally gzip or zstd compressed.
"""
from __future__ import annotations

from pathlib import Path

from ..io.arrow_buffers import RowGroup
from ..io.compression import SUFFIXES, compressing_writer
from ..io.tables import TABLE_NAMES, arrow_schema

ROW_GROUP_ROWS = 65_536
ROW_GROUP_BYTES = 64 << 20
PART = "part-00000"


class ParquetTables:
    def __init__(self, folder: Path):
        self.folder, self.writers = folder, {}
        self.groups = {table: RowGroup(table) for table in TABLE_NAMES}
        for table in TABLE_NAMES:
            (folder / table).mkdir(parents=True, exist_ok=True)

    def add(self, table: str, payload: bytes) -> None:
        """`payload`: one document's rows of `table` (io.arrow_buffers.encode_table)."""
        group = self.groups[table]
        group.add(payload)
        if group.rows >= ROW_GROUP_ROWS or group.bytes >= ROW_GROUP_BYTES:
            self._flush(table)

    def _writer(self, table: str):
        if table not in self.writers:
            import pyarrow.parquet as pq
            self.writers[table] = pq.ParquetWriter(self.folder / table / f"{PART}.parquet", arrow_schema(table),
                                                   compression="zstd")
        return self.writers[table]

    def _flush(self, table: str) -> None:
        import pyarrow as pa
        group = self.groups[table]
        if group.rows:
            self._writer(table).write_table(pa.Table.from_arrays(group.arrays(), schema=arrow_schema(table)),
                                            row_group_size=ROW_GROUP_ROWS)
        self.groups[table] = RowGroup(table)

    def close(self) -> None:
        for table in TABLE_NAMES:
            self._flush(table)
            self._writer(table).close()


class JsonlTables:
    def __init__(self, folder: Path, compression: str):
        self.files, self.streams = {}, {}
        folder.mkdir(parents=True, exist_ok=True)
        for table in TABLE_NAMES:
            raw = open(folder / f"{table}.jsonl{SUFFIXES[compression]}", "wb")
            self.files[table], self.streams[table] = raw, compressing_writer(raw, compression)

    def add(self, table: str, payload: bytes) -> None:
        self.streams[table].write(payload)

    def close(self) -> None:
        for table, stream in self.streams.items():
            if stream is not self.files[table]:
                stream.close()
            self.files[table].close()


def open_tables(fmt: str, folder: Path, compression: str):
    return ParquetTables(folder) if fmt == "parquet" else JsonlTables(folder, compression)
