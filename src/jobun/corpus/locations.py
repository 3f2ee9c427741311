"""Inputs named by fsspec URLs (`file://`, `memory://`, and `s3://`, `gs://`… when the user has
installed that filesystem): which inputs are URLs, the files one names, and reading one file on
whichever machine runs the work (a Dask worker reads its inputs itself).

A URL is expanded like a local input: a file is itself (its own folder is the build root), a folder
is read recursively, a glob from its leading folders without a wildcard; hidden files are skipped
and files come sorted. fsspec is imported only when a URL is given (it comes with jobun[dask]).
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Iterator

URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(text: str) -> bool:
    return bool(URL.match(text))


def as_local(text: str) -> str:
    """A file:// URL as the local path it names (read like any path); anything else unchanged."""
    if text.startswith("file://"):
        return _fs(text)[1] or "/"
    return text


def _fs(url: str):
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise OSError(f"{url}: URLs need fsspec: pip install 'jobun[dask]'") from None
    return url_to_fs(url)


def expand(url: str) -> Iterator[tuple[str, PurePosixPath, int]]:
    """(file URL, path relative to its build root, size) of every file `url` names, sorted."""
    fs, path = _fs(url)
    path = path.rstrip("/")
    if any(ch in path for ch in "*?["):
        root = PurePosixPath(*[p for p in _leading(path)])
        found = {p: info for p, info in fs.glob(path, detail=True).items() if info["type"] == "file"}
    elif fs.isdir(path):
        root = PurePosixPath(path)
        found = fs.find(path, detail=True)
    elif fs.isfile(path):
        root = PurePosixPath(path).parent
        found = {path: fs.info(path)}
    else:
        return
    for file in sorted(found):
        rel = PurePosixPath(file).relative_to(root)
        if not any(part.startswith(".") for part in rel.parts):
            yield fs.unstrip_protocol(file), rel, found[file]["size"]


def _leading(pattern: str) -> Iterator[str]:
    for part in PurePosixPath(pattern).parts:
        if any(ch in part for ch in "*?["):
            return
        yield part


def read_input(path: str) -> bytes:
    """The bytes of one input, a local path or a URL."""
    if not is_url(path):
        return Path(path).read_bytes()
    fs, inner = _fs(path)
    try:
        return fs.cat_file(inner)
    except FileNotFoundError as e:
        raise FileNotFoundError(2, "No such file or directory", path) from e
