"""Which files a build reads, and the name each one gets in the corpus.

Decides from the INPUT arguments alone (files, directories read recursively, quoted globs; the
same given as fsspec URLs, see locations):
- the build root of every file (the directory given, the glob's leading directories without a
  wildcard, or a file's own folder) and its path relative to that root;
- `doc_id`: that relative path, stable across rebuilds; where two inputs share it (the same name
  under two roots) the content hash is appended to each, so ids stay unique and stable;
- the output path OUTDIR/<relative path with .json>; outputs that would clash get the hash too;
- what is skipped: hidden files and folders, anything inside OUTDIR, and the same file twice.
Inputs that cannot be built (missing, a glob that matches nothing, an output escaping OUTDIR) are
returned as error entries for the manifest.
"""
from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .layout import RESERVED_NAMES
from .locations import as_local, expand, is_url, read_input
from .manifest import error_entry

HASH_CHARS = 12     # of the sha256, appended to colliding doc ids and outputs
NOTHING_THERE = "no such file or directory, or a glob that matches nothing"


@dataclass
class Task:
    index: int
    path: str                   # path to read
    source: str                 # as recorded in the manifest (the path as the user's shell sees it)
    output: str                 # POSIX path relative to OUTDIR of the document JSON
    doc_id: str = ""            # path relative to the build root (+ @hash where two collide)
    size: int = 0
    known_sha256: str | None = None   # --incremental: skip when the file still hashes to this


def _has_magic(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _glob_base(pattern: str) -> Path:
    """The leading directories of a glob pattern that contain no wildcard."""
    parts = []
    for part in Path(pattern).parts:
        if _has_magic(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def _is_hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _walk(root: Path, outdir: Path):
    """Regular files under root, sorted, skipping hidden ones and anything inside OUTDIR."""
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and (here / d).resolve() != outdir)
        for name in sorted(filenames):
            if not name.startswith("."):
                yield here / name


def _expand(inputs: list[str], outdir: Path):
    """(path, path relative to its root) for every input file; (input, None) for unusable ones."""
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            yield from ((file, file.relative_to(path)) for file in _walk(path, outdir))
        elif path.exists():
            yield path, Path(path.name)
        elif _has_magic(given):
            base = _glob_base(given)
            matched = False
            for match in sorted(glob.glob(given, recursive=True)):
                match_path = Path(match)
                if match_path.is_dir():
                    for file in _walk(match_path, outdir):
                        matched = True
                        yield file, file.relative_to(base)
                elif match_path.is_file() and not _is_hidden(match_path.relative_to(base)):
                    matched = True
                    yield match_path, match_path.relative_to(base)
            if not matched:
                yield path, None
        else:
            yield path, None


class _RealPaths:
    """Path.resolve() of many files in few folders: each folder resolved once. A file's real path
    is its folder's real path and its name, unless the file itself is a symbolic link (resolve()
    stats every component of every path: a third of a large build's start)."""

    def __init__(self) -> None:
        self.folders: dict[str, str] = {}

    def __call__(self, path: Path) -> Path:
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            return path.resolve()
        real = self.folders.get(folder)
        if real is None:
            # resolve(), not os.path.realpath: a folder that links to itself must raise as before
            real = self.folders[folder] = str(Path(folder).resolve())
        return Path(real, name)


def _output_for(rel: PurePosixPath, outdir: Path, realpath: _RealPaths) -> str | None:
    """The output path for rel (suffix → .json), or None when it would land outside OUTDIR, in
    a folder the build keeps for itself, or nowhere (a symbolic link that loops)."""
    stem = rel.name[: -len(rel.suffix)] if rel.suffix else rel.name
    out = PurePosixPath(*rel.parts[:-1], stem + ".json")
    if out.is_absolute() or ".." in out.parts or out.parts[0] in RESERVED_NAMES:
        return None
    try:
        resolved = realpath(outdir / out)
    except (RuntimeError, OSError):             # a link loop: Path.resolve raises RuntimeError
        return None
    if outdir != resolved and outdir not in resolved.parents:
        return None
    return out.as_posix()


def _with_hash(name: str, sha256: str, suffix: str = "") -> str:
    stem = name[: -len(suffix)] if suffix and name.endswith(suffix) else name
    return f"{stem}@{sha256[:HASH_CHARS]}{suffix}"


def _file_sha256(path: str) -> str:
    if is_url(path):
        return hashlib.sha256(read_input(path)).hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _disambiguate(tasks: list[Task]) -> list[dict]:
    """Give colliding doc ids and outputs the content hash; identical contents stay an error."""
    errors = []
    for attribute, suffix in (("doc_id", ""), ("output", ".json")):
        groups: dict[str, list[Task]] = {}
        for task in tasks:
            groups.setdefault(getattr(task, attribute), []).append(task)
        for name, group in groups.items():
            if len(group) < 2:
                continue
            for task in group:
                setattr(task, attribute, _with_hash(name, _file_sha256(task.path), suffix))
    seen: dict[str, Task] = {}
    for task in list(tasks):
        first = seen.setdefault(task.output, task)
        if first is not task:       # same relative path and same bytes: nothing to tell them apart
            errors.append(error_entry(task.source, task.output, f"same path and content as "
                                      f"{first.source}; built once"))
            tasks.remove(task)
    return errors


def discover(inputs: list[str], outdir: Path) -> tuple[list[Task], list[dict]]:
    """Sorted, de-duplicated tasks, plus manifest error entries for inputs that cannot be built."""
    outdir = Path(outdir).resolve()
    tasks: list[Task] = []
    errors: list[dict] = []
    seen_files: set = set()
    realpath = _RealPaths()

    def add(path: str, source: str, rel: PurePosixPath, size: int) -> None:
        output = _output_for(rel, outdir, realpath)
        if output is None:
            errors.append(error_entry(source, None, "output path would be outside OUTDIR or inside "
                                                    f"a folder jobun keeps ({', '.join(RESERVED_NAMES)})"))
        else:
            tasks.append(Task(0, path, source, output, rel.as_posix(), size=size))

    inputs = [as_local(given) for given in inputs]
    for path, rel in _expand([given for given in inputs if not is_url(given)], outdir):
        source = path.as_posix()
        if rel is None:
            errors.append(error_entry(source, None, NOTHING_THERE))
            continue
        real = realpath(path)
        if real in seen_files or outdir in real.parents:
            continue
        seen_files.add(real)
        add(str(path), source, PurePosixPath(rel.as_posix()), path.stat().st_size)
    for url in (given for given in inputs if is_url(given)):
        found = [(file, rel, size) for file, rel, size in expand(url) if file not in seen_files]
        if not found:
            errors.append(error_entry(url, None, NOTHING_THERE))
        for file, rel, size in found:
            seen_files.add(file)
            add(file, file, rel, size)
    errors += _disambiguate(tasks)
    tasks.sort(key=lambda t: (t.output, t.source))
    for index, task in enumerate(tasks):
        task.index = index
    return tasks, errors
