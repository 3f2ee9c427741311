"""Compressed JSON Lines: which codec a file name asks for, and streams that read or write it.

`.gz` uses the standard library; `.zst` needs the optional `zstandard` package (extra `zstd`)
and says so in one line when it is missing.
"""
from __future__ import annotations

import gzip
import io
from pathlib import Path

from ..errors import JobunError

SUFFIXES = {"none": "", "gz": ".gz", "zst": ".zst"}


def _zstandard():
    try:
        import zstandard
    except ImportError:
        raise JobunError("reading or writing .zst needs the zstandard package: "
                         "pip install 'jobun[zstd]'") from None
    return zstandard


def compressing_writer(raw, compression: str):
    """A binary writer over the open file `raw` that compresses with `compression`."""
    if compression == "gz":
        # mtime=0 and no file name in the header: the same corpus gives the same bytes
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
    if compression == "zst":
        return _zstandard().ZstdCompressor(level=3).stream_writer(raw, closefd=False)
    return raw


def open_text(path: Path):
    """A text reader for a .jsonl, .jsonl.gz or .jsonl.zst file."""
    path = Path(path)
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    if path.name.endswith(".zst"):
        raw = path.open("rb")
        return io.TextIOWrapper(_zstandard().ZstdDecompressor().stream_reader(raw, closefd=True),
                                encoding="utf-8")
    return path.open(encoding="utf-8")


def is_jsonl(name: str) -> bool:
    return any(name.endswith(".jsonl" + suffix) for suffix in SUFFIXES.values())
