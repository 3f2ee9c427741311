"""Writing the flat tables of a build: a Parquet dataset (folder) per table, `_tables/<table>/`,
or one JSON Lines file per table, `_tables/<table>.jsonl`.

Parquet: documents arrive as columns of Python values; they are gathered into row groups of at
most ROW_GROUP_ROWS rows or ROW_GROUP_BYTES bytes, so a corpus of small documents does not make
thousands of tiny row groups and a huge document is split instead of making one giant one.
Compressed with zstd: smaller than snappy for text at about the same cost.
JSON Lines: the rows as the workers encoded them, optionally gzip or zstd compressed.
"""
from __future__ import annotations

import pickle
from pathlib import Path

from ..io.compression import SUFFIXES, compressing_writer
from ..io.tables import SCHEMA, TABLE_NAMES, arrow_schema

ROW_GROUP_ROWS = 65_536
ROW_GROUP_BYTES = 64 << 20
PART = "part-00000"


class ParquetTables:
    def __init__(self, folder: Path):
        import pyarrow.parquet as pq
        self.writers, self.buffers, self.buffered = {}, {}, {}
        for table in TABLE_NAMES:
            (folder / table).mkdir(parents=True, exist_ok=True)
            self.writers[table] = pq.ParquetWriter(folder / table / f"{PART}.parquet", arrow_schema(table),
                                                   compression="zstd")
            self._reset(table)

    def _reset(self, table: str) -> None:
        self.buffers[table] = {column: [] for column, _ in SCHEMA[table]}
        self.buffered[table] = 0

    def add(self, table: str, payload: bytes) -> None:
        """`payload`: one document's rows of `table`, as pickled columns (see work.py)."""
        columns = pickle.loads(payload)
        for column, values in self.buffers[table].items():
            values += columns[column]
        self.buffered[table] += len(payload)
        if len(self.buffers[table]["doc_id"]) >= ROW_GROUP_ROWS or self.buffered[table] >= ROW_GROUP_BYTES:
            self._flush(table)

    def _flush(self, table: str) -> None:
        import pyarrow as pa
        if self.buffers[table]["doc_id"]:
            self.writers[table].write_table(pa.Table.from_pydict(self.buffers[table], schema=arrow_schema(table)),
                                            row_group_size=ROW_GROUP_ROWS)
        self._reset(table)

    def close(self) -> None:
        for table, writer in self.writers.items():
            self._flush(table)
            writer.close()


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
