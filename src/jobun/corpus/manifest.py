"""The manifest: what was built from what (sha256, size, encoding, status, error, counts per input),
the outputs' size per input byte, and inputs of an earlier build that have disappeared.

It is also what `--incremental` trusts: an entry is reused only when the parser version and the
options that change output bytes match, and the document files the build asks for (JSON, e-Gov XML)
still exist.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..io.export import PARSER_VERSION
from .layout import LEGACY_MANIFEST, MANIFEST, document_files

COUNTED = ("articles", "paragraphs", "items", "references")


def error_entry(source: str, output: str | None, message: str, **known) -> dict:
    entry = {"source": source, "doc_id": None, "output": output, "sha256": None, "bytes": None,
             "encoding": None, "status": "error", "error": message, "counts": None, "warnings": None}
    entry.update({k: v for k, v in known.items() if k in entry})
    return entry


def ok_entry(task, result: dict) -> dict:
    return {"source": task.source, "doc_id": task.doc_id, "output": task.output,
            "sha256": result["sha256"], "bytes": result["bytes"], "encoding": result["encoding"],
            "status": "ok", "error": None, "counts": result["counts"], "warnings": result["warnings"]}


def read_manifest(outdir: Path) -> dict | None:
    """The manifest of the corpus in OUTDIR (also where older builds put it), or None."""
    for name in (MANIFEST, LEGACY_MANIFEST):
        try:
            data = json.loads((Path(outdir) / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if is_manifest(data):
            return data
    return None


def is_manifest(data) -> bool:
    return isinstance(data, dict) and "files" in data and "totals" in data and "children" not in data


def reusable_entries(manifest: dict | None, recorded_options: dict, outdir: Path, formats) -> dict:
    """Manifest entries an --incremental build with these formats may keep, keyed by (source, output)."""
    if not manifest or manifest.get("parser_version") != PARSER_VERSION \
            or manifest.get("options") != recorded_options:
        return {}
    reusable = {}
    for entry in manifest.get("files", []):
        output = entry.get("output")
        if entry.get("status") == "ok" and output and entry.get("sha256") \
                and all((outdir / file).is_file() for file in document_files(output, formats).values()):
            reusable[(entry["source"], output)] = entry
    return reusable


def totals(entries: list[dict], output_bytes: int | None = None) -> dict:
    sums = {"files": len(entries), "ok": 0, "error": 0, "bytes": 0, **{k: 0 for k in COUNTED},
            "warnings": 0}
    for entry in entries:
        sums[entry["status"]] += 1
        sums["bytes"] += entry["bytes"] or 0
        sums["warnings"] += entry["warnings"] or 0
        for key, value in (entry["counts"] or {}).items():
            sums[key] += value
    if output_bytes is not None:
        sums["output_bytes"] = output_bytes
        sums["output_per_input_byte"] = round(output_bytes / sums["bytes"], 3) if sums["bytes"] else None
    return sums


def manifest_bytes(entries: list[dict], recorded_options: dict, *, complete: bool,
                   orphans: list[dict] = (), output_bytes: int | None = None) -> bytes:
    """The manifest with one file entry per line: readable, and each line goes through the C
    encoder (json.dumps with indent= runs the pure-Python one, about 5x slower)."""
    head = {"parser_version": PARSER_VERSION, "options": recorded_options, "complete": complete,
            "totals": totals(entries, output_bytes), "orphans": list(orphans)}
    lines = [f' "{key}": {json.dumps(value, ensure_ascii=False)},' for key, value in head.items()]
    files = ",\n".join("  " + json.dumps(entry, ensure_ascii=False) for entry in entries)
    return ("{\n" + "\n".join(lines) + '\n "files": [\n' + files + "\n ]\n}\n").encode("utf-8")
