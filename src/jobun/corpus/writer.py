"""The main process's side of a build: results in, a staged corpus out, and the plan to commit it.

Results arrive in completion order. Document files go into the stage at once (atomic, synced
together before the commit rather than one fsync each): the local pool's workers have written
them there already (work.WorkItem.write_to); the bytes of other engines' workers are written
here. What must come out in input order (corpus.jsonl, the tables) is written as soon as every
earlier file has finished; a result that arrives early waits in one anonymous spool file, not in
memory, however the results interleave.
Tasks are handed out in input order, so little waits and the tables are done when the last file is.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..io.compression import SUFFIXES, compressing_writer
from ..io.export import compact_json_bytes
from ..io.tables import TABLE_NAMES
from .atomic import write_bytes_atomic
from .layout import LEGACY_MANIFEST, MANIFEST, TABLES_DIR, document_files, stage_path
from .manifest import error_entry, is_manifest, manifest_bytes, ok_entry
from .table_writer import open_tables
from .work import document_payloads

CORPUS_JSONL = "corpus.jsonl"
CORPUS_JSONL_NAMES = tuple(CORPUS_JSONL + suffix for suffix in SUFFIXES.values())


class RunWriter:
    def __init__(self, outdir: Path, tasks: list, settings, reusable: dict, previous: dict | None,
                 staged_reusable: dict | None = None, published=None):
        self.stage = stage_path(outdir)
        # where the previous corpus is read: OUTDIR, or the URL the stage is published to
        self.published = outdir if published is None else published
        self.tasks, self.settings, self.reusable = tasks, settings, reusable
        self.staged_reusable = staged_reusable or {}     # finished by an interrupted run, in the stage
        self.previous = previous or {}
        self.entries: dict[int, dict] = {}              # task index → manifest entry
        self.spooled: dict[tuple, tuple[int, int]] = {}   # (index, what) → (offset, length)
        self.staged: dict[int, list[str]] = {}          # task index → document files in the stage
        self.unchanged = 0
        self.parsed_bytes = 0
        self.worker_rss_kb: dict[int, int] = {}
        self.stage.mkdir(parents=True, exist_ok=True)
        self.spool = tempfile.TemporaryFile(dir=self.stage, prefix=".spool-")
        self.next_index = 0                             # first task whose ordered outputs are not out
        self.corpus_jsonl = CORPUS_JSONL + SUFFIXES[settings.compression]
        self._jsonl_raw = self._jsonl = None
        if "jsonl" in settings.formats:
            self._jsonl_raw = open(self.stage / self.corpus_jsonl, "wb")
            self._jsonl = compressing_writer(self._jsonl_raw, settings.compression)
        self.tables = {fmt: open_tables(fmt, self.stage / TABLES_DIR, settings.compression)
                       for fmt in settings.tables}

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
        elif status == "unchanged":
            self.unchanged += 1
            key = (task.source, task.output)
            files = document_files(task.output, self.settings.formats)
            if key in self.staged_reusable and files:   # moves in with this run's documents
                self.staged[task.index] = list(files.values())
            entry = self.staged_reusable.get(key) or self.reusable[key]
            self.entries[task.index] = dict(entry, doc_id=task.doc_id)
        else:
            self.parsed_bytes += result["bytes"] or 0
            self.entries[task.index] = ok_entry(task, result)
            files = document_files(task.output, self.settings.formats)
            if not result.get("written"):       # (else the worker wrote them: work.WorkItem.write_to)
                payloads = document_payloads(result)
                for fmt, rel in files.items():
                    write_bytes_atomic(self.stage / rel, payloads[fmt], durable=False)
            if files:
                self.staged[task.index] = list(files.values())
        ordered = {}
        if "line" in result and self._jsonl is not None:
            ordered["line"] = result["line"]
        for fmt, payloads in result.get("tables", {}).items():
            ordered.update(((fmt, table), payload) for table, payload in payloads.items())
        if task.index == self.next_index:
            self._emit(task.index, ordered.get)
            self.next_index += 1
        else:
            for key, data in ordered.items():
                self._spool((task.index, key), data)
        self._drain()

    def _drain(self) -> None:
        """Write out, in input order, every finished result whose predecessors are all out."""
        while self.next_index < len(self.tasks) and self.next_index in self.entries:
            index = self.next_index
            self._emit(index, lambda key: self._unspool((index, key)) if (index, key) in self.spooled else None)
            self.next_index += 1

    def _emit(self, index: int, payload) -> None:
        if self.entries[index]["status"] != "ok":
            return
        if self._jsonl is not None:
            self._jsonl.write(payload("line") or self._line_from_file(index))
        for fmt, writer in self.tables.items():
            for table in TABLE_NAMES:
                writer.add(table, payload((fmt, table)))

    def _spool(self, key: tuple, data: bytes) -> None:
        self.spool.seek(0, os.SEEK_END)
        self.spooled[key] = (self.spool.tell(), len(data))
        self.spool.write(data)

    def _unspool(self, key: tuple) -> bytes:
        offset, length = self.spooled.pop(key)
        self.spool.seek(offset)
        return self.spool.read(length)

    # ---------------------------------------------------------------- the staged corpus

    def entries_in_order(self, early_errors: list[dict]) -> list[dict]:
        return [self.entries[t.index] for t in self.tasks if t.index in self.entries] + early_errors

    def finish(self, early_errors: list[dict], prune: bool) -> tuple[list[str], list[str], list[dict], list[dict]]:
        """Close corpus.jsonl and the tables, write the manifest, all in the stage.
        Returns (moves, removals, entries, orphans) for layout.commit."""
        self._close_ordered_outputs()
        entries = self.entries_in_order(early_errors)
        ok_indexes = [t.index for t in self.tasks if self.entries.get(t.index, {}).get("status") == "ok"]
        moves = [rel for i in ok_indexes for rel in self.staged.get(i, ())]
        if self._jsonl is not None:
            moves.append(self.corpus_jsonl)
        if self.tables:
            moves.append(TABLES_DIR)
        orphans = self._orphans()
        removals = self._removals(moves, orphans if prune else [])
        output_bytes = self._output_bytes(moves, ok_indexes)
        manifest = manifest_bytes(entries, self.settings.recorded(), complete=True,
                                  orphans=[] if prune else orphans, output_bytes=output_bytes)
        write_bytes_atomic(self.stage / MANIFEST, manifest, durable=False)
        moves.append(MANIFEST)
        return moves, removals, entries, orphans

    def _close_ordered_outputs(self) -> None:
        if self._jsonl is not None and self._jsonl is not self._jsonl_raw:
            self._jsonl.close()
        if self._jsonl_raw is not None:
            self._jsonl_raw.close()
        for writer in self.tables.values():
            writer.close()

    def _line_from_file(self, index: int) -> bytes:
        """corpus.jsonl line of an unchanged document: its existing file, on one line."""
        folder = self.stage if index in self.staged else self.published
        data = (folder / self.tasks[index].output).read_bytes()
        if data.count(b"\n") == 1 and data.endswith(b"\n"):
            return data
        # an indented (--pretty) document: re-serialize on one line
        return compact_json_bytes(json.loads(data)) + b"\n"

    def partial_manifest(self) -> bytes:
        """What an interrupted run finished and left in the stage (see layout.keep_partial)."""
        entries = [self.entries[i] for i in sorted(self.staged)]
        return manifest_bytes(entries, self.settings.recorded(), complete=False)

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
            if any((self.published / rel).is_file() for rel in document_files(output).values()):
                seen.add(output)
                orphans.append({"source": entry["source"], "output": output})
        return orphans

    def _removals(self, moves: list[str], pruned: list[dict]) -> list[str]:
        """What the commit deletes: outputs that would now contradict the manifest."""
        produced = set(moves)
        removals = [rel for o in pruned for rel in document_files(o["output"]).values()]
        for task in self.tasks:
            entry = self.entries.get(task.index)
            ok = entry is not None and entry["status"] == "ok"
            kept = document_files(task.output, self.settings.formats).values() if ok else ()
            for rel in document_files(task.output).values():
                if rel not in kept and rel not in produced and (self.published / rel).is_file():
                    removals.append(rel)            # failed now, or this format no longer asked for
        removals += [name for name in CORPUS_JSONL_NAMES if name not in produced]
        if TABLES_DIR not in produced:
            removals.append(TABLES_DIR)
        legacy = self.published / LEGACY_MANIFEST
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
        by_index = {t.index: t for t in self.tasks}     # unchanged documents stay where they are
        total += sum((self.published / rel).stat().st_size for i in ok_indexes if i not in self.staged
                     for rel in document_files(by_index[i].output, self.settings.formats).values())
        return total

    def close(self) -> None:
        """Release the files; after an interrupted run the stage they are in is then removed."""
        if self.next_index < len(self.tasks):
            try:
                self._close_ordered_outputs()
            except Exception:           # half-written tables of a run that will not be committed
                pass
        self.spool.close()
