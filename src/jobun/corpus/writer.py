"""The main process's side of a build: results in, a staged corpus out, and the plan to commit it.

Results arrive in completion order. Document files go into the stage at once (atomic, synced
together before the commit rather than one fsync each). Everything that must come out in input
order (corpus.jsonl, the tables) is appended to one anonymous spool file as it arrives and copied
out in order at the end, so memory stays flat however the results interleave.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..io.compression import SUFFIXES, compressing_writer
from ..io.tables import TABLE_NAMES
from .atomic import write_bytes_atomic
from .layout import LEGACY_MANIFEST, MANIFEST, TABLES_DIR, stage_path
from .manifest import error_entry, is_manifest, manifest_bytes, ok_entry
from .table_writer import open_tables

CORPUS_JSONL = "corpus.jsonl"
CORPUS_JSONL_NAMES = tuple(CORPUS_JSONL + suffix for suffix in SUFFIXES.values())


class RunWriter:
    def __init__(self, outdir: Path, tasks: list, settings, reusable: dict, previous: dict | None):
        self.outdir, self.stage = outdir, stage_path(outdir)
        self.tasks, self.settings, self.reusable = tasks, settings, reusable
        self.previous = previous or {}
        self.entries: dict[int, dict] = {}              # task index → manifest entry
        self.spooled: dict[tuple, tuple[int, int]] = {}   # (index, what) → (offset, length)
        self.staged: dict[int, str] = {}                # task index → document file in the stage
        self.unchanged = 0
        self.parsed_bytes = 0
        self.worker_rss_kb: dict[int, int] = {}
        self.stage.mkdir(parents=True, exist_ok=True)
        self.spool = tempfile.TemporaryFile(dir=self.stage, prefix=".spool-")

    # ---------------------------------------------------------------- results

    def accept(self, task, result: dict) -> None:
        pid = result.get("pid")
        if pid is not None:
            self.worker_rss_kb[pid] = max(self.worker_rss_kb.get(pid, 0), result["maxrss_kb"])
        status = result["status"]
        if status == "error":
            self.entries[task.index] = error_entry(task.source, task.output, result["error"],
                                                   doc_id=task.doc_id, **{k: result[k] for k in
                                                                          ("sha256", "bytes", "encoding")})
            return
        if status == "unchanged":
            self.unchanged += 1
            self.entries[task.index] = dict(self.reusable[(task.source, task.output)], doc_id=task.doc_id)
        else:
            self.parsed_bytes += result["bytes"] or 0
            self.entries[task.index] = ok_entry(task, result)
            if "json" in self.settings.formats:
                write_bytes_atomic(self.stage / task.output, result.get("file") or result["line"],
                                   durable=False)
                self.staged[task.index] = task.output
        if "jsonl" in self.settings.formats and "line" in result:
            self._spool((task.index, "line"), result["line"])
        for fmt, payloads in result.get("tables", {}).items():
            for table, payload in payloads.items():
                self._spool((task.index, fmt, table), payload)

    def _spool(self, key: tuple, data: bytes) -> None:
        self.spool.seek(0, os.SEEK_END)
        self.spooled[key] = (self.spool.tell(), len(data))
        self.spool.write(data)

    def _unspool(self, key: tuple) -> bytes:
        offset, length = self.spooled[key]
        self.spool.seek(offset)
        return self.spool.read(length)

    # ---------------------------------------------------------------- the staged corpus

    def entries_in_order(self, early_errors: list[dict]) -> list[dict]:
        return [self.entries[t.index] for t in self.tasks if t.index in self.entries] + early_errors

    def finish(self, early_errors: list[dict], prune: bool) -> tuple[list[str], list[str], list[dict], list[dict]]:
        """Write corpus.jsonl, the tables and the manifest into the stage.
        Returns (moves, removals, entries, orphans) for layout.commit."""
        entries = self.entries_in_order(early_errors)
        ok_indexes = [t.index for t in self.tasks if self.entries.get(t.index, {}).get("status") == "ok"]
        moves = [self.staged[i] for i in ok_indexes if i in self.staged]
        if "jsonl" in self.settings.formats:
            moves.append(self._write_corpus_jsonl(ok_indexes))
        tables = self.settings.tables
        if tables:
            for fmt in tables:
                self._write_tables(fmt, ok_indexes)
            moves.append(TABLES_DIR)
        orphans = self._orphans()
        removals = self._removals(moves, orphans if prune else [])
        output_bytes = self._output_bytes(moves, ok_indexes)
        manifest = manifest_bytes(entries, self.settings.recorded(), complete=True,
                                  orphans=[] if prune else orphans, output_bytes=output_bytes)
        write_bytes_atomic(self.stage / MANIFEST, manifest, durable=False)
        moves.append(MANIFEST)
        return moves, removals, entries, orphans

    def _write_corpus_jsonl(self, ok_indexes: list[int]) -> str:
        name = CORPUS_JSONL + SUFFIXES[self.settings.compression]
        by_index = {t.index: t for t in self.tasks}
        with open(self.stage / name, "wb") as raw:
            out = compressing_writer(raw, self.settings.compression)
            for index in ok_indexes:
                out.write(self._line_for(index, by_index[index]))
            if out is not raw:
                out.close()
        return name

    def _line_for(self, index: int, task) -> bytes:
        if (index, "line") in self.spooled:
            return self._unspool((index, "line"))
        data = (self.outdir / task.output).read_bytes()       # unchanged: its existing file
        if data.count(b"\n") == 1 and data.endswith(b"\n"):
            return data
        # an indented (--pretty) document: re-serialize on one line
        return json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8") + b"\n"

    def _write_tables(self, fmt: str, ok_indexes: list[int]) -> None:
        writer = open_tables(fmt, self.stage / TABLES_DIR, self.settings.compression)
        try:
            for table in TABLE_NAMES:
                for index in ok_indexes:
                    writer.add(table, self._unspool((index, fmt, table)))
        finally:
            writer.close()

    def _orphans(self) -> list[dict]:
        """Outputs of an earlier build whose input is no longer among the inputs."""
        current = {t.output for t in self.tasks} | {t.source for t in self.tasks}
        earlier = [e for e in self.previous.get("files", []) if e.get("status") == "ok"]
        earlier += self.previous.get("orphans", [])
        orphans, seen = [], set()
        for entry in earlier:
            output = entry.get("output")
            if not output or output in current or entry["source"] in current or output in seen:
                continue
            if (self.outdir / output).is_file():
                seen.add(output)
                orphans.append({"source": entry["source"], "output": output})
        return orphans

    def _removals(self, moves: list[str], pruned: list[dict]) -> list[str]:
        """What the commit deletes: outputs that would now contradict the manifest."""
        produced = set(moves)
        removals = [o["output"] for o in pruned]
        for task in self.tasks:
            entry = self.entries.get(task.index)
            keep = entry is not None and entry["status"] == "ok" and "json" in self.settings.formats
            if not keep and task.output not in produced and (self.outdir / task.output).is_file():
                removals.append(task.output)        # failed now, or JSON no longer asked for
        removals += [name for name in CORPUS_JSONL_NAMES if name not in produced]
        if TABLES_DIR not in produced:
            removals.append(TABLES_DIR)
        legacy = self.outdir / LEGACY_MANIFEST
        if legacy.is_file() and LEGACY_MANIFEST not in {t.output for t in self.tasks}:
            try:
                if is_manifest(json.loads(legacy.read_text(encoding="utf-8"))):
                    removals.append(LEGACY_MANIFEST)
            except (OSError, ValueError):
                pass
        return removals

    def _output_bytes(self, moves: list[str], ok_indexes: list[int]) -> int:
        total = 0
        for rel in moves:
            path = self.stage / rel
            if path.is_dir():
                total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
            else:
                total += path.stat().st_size
        if "json" in self.settings.formats:     # unchanged documents stay where they are
            by_index = {t.index: t for t in self.tasks}
            total += sum((self.outdir / by_index[i].output).stat().st_size
                         for i in ok_indexes if i not in self.staged)
        return total

    def close(self) -> None:
        self.spool.close()
