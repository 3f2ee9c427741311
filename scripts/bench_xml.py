"""e-Gov XML import cost in one run, on the 行政手続法 sample (or the files given).

(a) lxml alone: the safe parser jobun uses, bytes → element tree;
(b) jobun's tree: (a) plus building the Document tree and ids, with collections paused as in
    parse_egov_xml (what an XML reader such as ja-law-parser does: about 28 ms on this law where
    lxml takes about 1.7 ms);
(c) jobun.parse_egov_xml end to end: (b) plus references, sentences and the glossary;
(d) for comparison, jobun.parse of the same law exported as text in e-Gov layout.
Warm: one warm-up run of each, then R rounds that each time N back-to-back runs of every variant
in turn (interleaved, so a load change on a shared machine hits all alike); the best round of each.
Prints milliseconds per file and the ratios to (a). Acceptance: (b) under 10 ms.
Usage: python scripts/bench_xml.py [--repeat N] [files…]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "egov" / "405AC0000000088_20240401_504AC0100000052.xml"


def best_ms(variants: dict, repeat: int, rounds: int) -> dict:
    """Best milliseconds per call of each variant (name → (function, argument))."""
    best = {}
    for name, (fn, arg) in variants.items():
        fn(arg)
        best[name] = float("inf")
    for _ in range(rounds):
        for name, (fn, arg) in variants.items():
            start = time.perf_counter()
            for _ in range(repeat):
                fn(arg)
            best[name] = min(best[name], (time.perf_counter() - start) / repeat * 1000)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path, default=[SAMPLE])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    import jobun
    from jobun.io.egov_safe import parse_xml
    from jobun.io.egov_xml_in import build_document
    from jobun.structure import ids
    from jobun.analysis.tokens import gc_paused

    def lxml_only(data):
        return parse_xml(data, "bench")

    def tree_only(data):
        with gc_paused():                   # as parse_egov_xml builds it: no collections mid-tree
            doc = build_document(parse_xml(data, "bench")[0], "bench")
            ids.assign(doc)
        return doc

    for path in args.files:
        data = path.read_bytes()
        text = jobun.to_egov_text(jobun.parse_egov_xml(data))
        timings = best_ms({
            "(a) lxml parse": (lxml_only, data),
            "(b) jobun tree + ids": (tree_only, data),
            "(c) jobun import, all stages": (jobun.parse_egov_xml, data),
            "(d) jobun text parse, all stages": (jobun.parse, text),
        }, args.repeat, args.rounds)
        base = timings["(a) lxml parse"]
        print(f"{path.name} ({len(data):,} bytes, {sum(1 for _ in jobun.parse_egov_xml(data).walk())} nodes)")
        for name, ms in timings.items():
            print(f"  {name:34s} {ms:7.2f} ms  {ms / base:5.1f}x lxml")


if __name__ == "__main__":
    main()
