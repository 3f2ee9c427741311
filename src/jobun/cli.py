"""Command-line interface: jobun parse | outline | lint | refs | export | build.

Exit codes: 0 ok, 1 warnings under --strict, 2 bad input, usage or an output that cannot be
written (one line naming the path, never a traceback), 3 some files failed (build), 130 interrupted.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

EPILOG = """examples:
  jobun parse terms.txt -o terms.json --validate   parse one file into JSON, checked against the schema
  jobun outline terms.txt                          indented outline to check against the source
  jobun lint law.txt --ignore numbering-gap        broken references, caption mismatches, numbering gaps
  jobun refs terms.txt --format csv                citation graph: from, to, text, kind, law number/id
  jobun export law.xml --to text                   e-Gov XML (or any input) as plain text in e-Gov layout
  jobun export terms.txt --to egov-xml -o t.xml    any document as e-Gov 法令標準XML
  jobun build corpus/raw -o corpus/json -j 2       convert a folder into a JSON corpus
  cat terms.txt | jobun parse -                    FILE "-" reads standard input

exit status: 0 ok, 1 warnings under --strict, 2 bad input, usage or an output that cannot be
written, 3 some files failed (build), 130 interrupted (build).
"""


def _add_parse(sub) -> None:
    p = sub.add_parser("parse", help="parse one file into JSON",
                       description="Parse one raw text file (UTF-8/UTF-16/CP932/EUC-JP) or e-Gov 法令標準XML file "
                                   "(recognized by its content) into the jobun JSON document.",
                       epilog="Warnings (numbering gaps, unresolved references …) go to standard error as "
                              "FILE:LINE: CODE message.\nExit status: 0 ok, 1 warnings with --strict, 2 the file "
                              "cannot be read or decoded.\n\nexample:\n  jobun parse terms.txt -o terms.json --validate",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help='raw text file ("-": standard input)')
    p.add_argument("-o", "--output", help="write JSON here (a file is replaced atomically; a FIFO or "
                                          "device is written to) instead of standard output")
    p.add_argument("--validate", action="store_true", help="check the output against the published JSON Schema")
    p.add_argument("--tokens", action="store_true", help="add tokens (surface, lemma, pos, reading) to every sentence")
    p.add_argument("--strict", action="store_true", help="exit 1 when the parser reports warnings")
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.set_defaults(func=cmd_parse)


def _add_outline(sub) -> None:
    p = sub.add_parser("outline", help="print an indented outline (id, caption or first words)",
                       description="Print the document tree as an indented outline that a person can check against the source.")
    p.add_argument("file")
    p.add_argument("--width", type=int, default=30, help="characters of text shown per node (default 30)")
    p.add_argument("--strict", action="store_true", help="exit 1 when the parser reports warnings")
    p.set_defaults(func=cmd_outline)


def _add_lint(sub) -> None:
    p = sub.add_parser("lint", help="report broken references, caption mismatches and numbering problems",
                       description="Print FILE:LINE: CODE message findings and a count per code on standard "
                                   "error; exit 1 when there are any. Numbering gaps inside an excerpt (抄) "
                                   "are not findings.")
    p.add_argument("file")
    p.add_argument("--ignore", action="append", default=[], metavar="CODE",
                   help="drop findings with this code (repeatable; comma-separated codes too)")
    p.set_defaults(func=cmd_lint)


def _add_refs(sub) -> None:
    p = sub.add_parser("refs", help="export the citation graph (from, to, text, kind, law number, law id)",
                       description="Export every reference as an edge of the citation graph: internal ones to "
                                   "node ids, statutes to the law's full name with its number and e-Gov id.")
    p.add_argument("file")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_refs)


def _add_export(sub) -> None:
    p = sub.add_parser("export", help="write a document as e-Gov XML or as plain text in e-Gov layout",
                       description="Parse FILE (text or e-Gov XML) and write it as e-Gov 法令標準XML (valid "
                                   "against the XSD v3; references are not written: importing recomputes them) "
                                   "or as plain text in e-Gov layout.")
    p.add_argument("file", help="raw text file or e-Gov XML file")
    p.add_argument("--to", choices=("egov-xml", "text"), required=True, help="output format")
    p.add_argument("-o", "--output", help="write here (atomically) instead of standard output")
    p.set_defaults(func=cmd_export)


def _add_build(sub) -> None:
    try:
        from .corpus import add_parser      # loads only the command's module (see jobun.corpus)
    except ImportError:
        return
    add_parser(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobun", description="Turn raw Japanese legal text (利用規約, 約款, statutes) into a structured JSON corpus.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    from .io.export import PARSER_VERSION
    parser.add_argument("--version", action="version", version=f"jobun {PARSER_VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_add_parse, _add_outline, _add_lint, _add_refs, _add_export, _add_build):
        add(sub)
    return parser


def _load(path: str, **kw):
    if path == "-":
        from .pipeline import parse_bytes
        return parse_bytes(sys.stdin.buffer.read(), None, _where="<stdin>", **kw)
    from .pipeline import parse_file
    return parse_file(path, **kw)


def _print_warnings(doc, name: str) -> None:
    for w in doc.warnings:
        print(f"{name}:{w.line}: {w.code}: {w.message}", file=sys.stderr)


def cmd_parse(args) -> int:
    doc = _load(args.file, tokens=args.tokens)
    if args.validate:
        from .io.schema import validate
        validate(doc.to_dict())
    from .io.export import write_document
    indent = None if args.compact else 1
    if args.output:
        from .corpus.atomic import output_writer
        with output_writer(Path(args.output)) as out:
            write_document(doc, out, indent=indent)
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        write_document(doc, sys.stdout.buffer, indent=indent)
        sys.stdout.buffer.flush()
    else:                                        # a text-only stdout (captured in tests)
        out = io.BytesIO()
        write_document(doc, out, indent=indent)
        sys.stdout.write(out.getvalue().decode("utf-8"))
    _print_warnings(doc, args.file)
    return 1 if args.strict and doc.warnings else 0


def cmd_outline(args) -> int:
    doc = _load(args.file)
    if doc.title:
        print(doc.title)
    for node in doc.walk():
        depth = sum(1 for _ in node.ancestors())
        head = node.caption or node.title or node.text.replace("\n", " ")[: args.width]
        print(f"{'  ' * depth}{node.id}  {head}")
    _print_warnings(doc, args.file)
    return 1 if args.strict and doc.warnings else 0


def cmd_lint(args) -> int:
    from .findings import findings, summary
    doc = _load(args.file)
    ignore = frozenset(code.strip() for arg in args.ignore for code in arg.split(",") if code.strip())
    found = findings(doc, ignore)
    for w in found:
        print(f"{args.file}:{w.line}: {w.code}: {w.message}")
    print(f"{args.file}: {summary(found)}", file=sys.stderr)
    return 1 if found else 0


def cmd_refs(args) -> int:
    doc = _load(args.file)
    from .references import citation_edges
    edges = citation_edges(doc)
    if args.format == "json":
        import json
        print(json.dumps(edges, ensure_ascii=False, indent=1))
    else:
        import csv
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["from", "to", "text", "kind", "law_number", "law_id"])
        for e in edges:
            w.writerow([e["from"], e["to"], e["text"], e["kind"], e.get("law_number") or "", e.get("law_id") or ""])
    return 0


def cmd_export(args) -> int:
    doc = _load(args.file)
    if args.to == "egov-xml":
        from .io.egov_xml_out import to_egov_xml
        data = to_egov_xml(doc)
    else:
        from .io.egov_text import to_egov_text
        data = to_egov_text(doc).encode("utf-8")
    if args.output:
        from .corpus.atomic import write_bytes_atomic
        write_bytes_atomic(Path(args.output), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    _print_warnings(doc, args.file)
    return 0


def main(argv: list[str] | None = None) -> int:
    from .errors import JobunError
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except JobunError as e:
        print(f"jobun: {e}", file=sys.stderr)
        return 2
    except OSError as e:            # an output folder that is read-only, a full disk …
        where = e.filename or getattr(args, "output", None) or ""
        print(f"jobun: {where}: {e.strerror or e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
