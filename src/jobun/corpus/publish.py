"""Output folders named by fsspec URLs (`memory://`, and `s3://bucket/corpus`, `gs://`… when the
user has installed that filesystem): the build runs exactly as for a local folder, into a local
stage, and its commit publishes the finished outputs to the URL instead of renaming them locally.

Publishing repeats the local commit (layout.py) on the store. The staged files are uploaded under
URL/.jobun-stage/ — hidden, so an object cut short there is never under a final name. Then a
journal (URL/.jobun-stage/COMMIT, uploaded under a temporary name and moved into place) lists what
is removed and what moves; it is carried out object by object with fs.mv (a rename on file
systems, a server-side copy on object stores: the object is whole or absent), the manifest last,
so the manifest is the commit point. A run that fails before the journal leaves the previous
corpus as it was; one that fails while carrying it out is rolled forward by the next build.

The previous corpus (its manifest, which documents exist, their bytes and sizes for
--incremental and corpus.jsonl) is read through `Published`, which answers the questions a build
asks of OUTDIR from one listing of the store. The local stage lives in a folder named after the
URL (under the user's cache), so the lock and the documents an interrupted run finished work as
for a local OUTDIR; two machines building to one URL at once is on the user.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from types import SimpleNamespace

from .layout import JOURNAL, STAGE_DIR
from .locations import fs_and_path


class Published:
    """The corpus at an fsspec URL, read like a local OUTDIR (`published / rel` is file-like)."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.fs, root = fs_and_path(self.url)
        self.root = root.rstrip("/")
        self.stage = f"{self.root}/{STAGE_DIR}"
        self._sizes: dict[str, int] | None = None

    def local_root(self) -> Path:
        """Where this URL's builds stage their outputs on this machine."""
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        digest = hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:20]
        return Path(cache, "jobun", "publish", digest)

    def __truediv__(self, rel) -> "PublishedFile":
        return PublishedFile(self, str(rel))

    def sizes(self) -> dict[str, int]:
        """{path relative to the root: size} of every published file, outside hidden folders."""
        if self._sizes is None:
            try:
                found = self.fs.find(self.root, detail=True)
            except FileNotFoundError:
                found = {}
            prefix = self.root + "/"
            self._sizes = {}
            for path, info in found.items():
                rel = path[len(prefix):] if path.startswith(prefix) else None
                if rel and info["type"] == "file" and not any(p.startswith(".") for p in rel.split("/")):
                    self._sizes[rel] = info["size"]
        return self._sizes

    def recover(self) -> None:
        """Finish the publishing an earlier run was carrying out, then drop its uploaded stage."""
        try:
            plan = json.loads(self.fs.cat_file(f"{self.stage}/{JOURNAL}"))
        except FileNotFoundError:
            plan = None
        if plan is not None:
            self._apply(plan)
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm(self.stage, recursive=True)
        self._sizes = None

    def publish(self, stage: Path, moves: list[str], removals: list[str]) -> None:
        """Make the local stage the corpus at the URL: `moves` (paths relative to the stage; a
        folder replaces the published folder of that name) and `removals`, the manifest last."""
        plan = self._plan(stage, moves, removals)
        made = set()
        for rel in plan["move"]:
            self._makedirs(f"{self.stage}/{rel}", made)
            self.fs.put_file(str(stage / rel), f"{self.stage}/{rel}")
        journal = json.dumps(plan, ensure_ascii=False).encode("utf-8")
        self.fs.pipe_file(f"{self.stage}/.{JOURNAL}.tmp", journal)
        self.fs.mv(f"{self.stage}/.{JOURNAL}.tmp", f"{self.stage}/{JOURNAL}")
        self._apply(plan)
        self.fs.rm(self.stage, recursive=True)
        self._sizes = None

    def _plan(self, stage: Path, moves: list[str], removals: list[str]) -> dict:
        """The journal, file by file: a staged folder's files, and the published files under a
        removed or replaced folder that the new ones do not overwrite."""
        files, replaced = [], set(removals)
        for rel in moves:
            if (stage / rel).is_dir():
                replaced.add(rel)
                files += sorted(p.relative_to(stage).as_posix() for p in (stage / rel).rglob("*") if p.is_file())
            else:
                files.append(rel)
        written = set(files)
        remove = [rel for rel in sorted(self.sizes()) if rel not in written
                  and any(rel == r or rel.startswith(r + "/") for r in replaced)]
        return {"remove": remove, "move": files}

    def _apply(self, plan: dict) -> None:
        """Carry out a journal; every step can be repeated, so a later build finishes it."""
        for rel in plan["remove"]:
            with contextlib.suppress(FileNotFoundError):
                self.fs.rm_file(f"{self.root}/{rel}")
        made = set()
        for rel in plan["move"]:
            target = f"{self.root}/{rel}"
            self._makedirs(target, made)
            with contextlib.suppress(FileNotFoundError):    # moved by the run that stopped
                self.fs.mv(f"{self.stage}/{rel}", target)

    def _makedirs(self, path: str, made: set) -> None:
        parent = path.rsplit("/", 1)[0]
        if parent not in made:
            self.fs.makedirs(parent, exist_ok=True)
            made.add(parent)


class PublishedFile:
    """One path under a Published root, with the few Path methods a build uses on OUTDIR."""

    def __init__(self, root: Published, rel: str):
        self.root, self.rel = root, rel

    def is_file(self) -> bool:
        return self.rel in self.root.sizes()

    def read_bytes(self) -> bytes:
        return self.root.fs.cat_file(f"{self.root.root}/{self.rel}")

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.read_bytes().decode(encoding)

    def stat(self) -> SimpleNamespace:
        try:
            return SimpleNamespace(st_size=self.root.sizes()[self.rel])
        except KeyError:
            raise FileNotFoundError(2, "No such file", f"{self.root.url}/{self.rel}") from None
