"""Tokenizer cost in one run: fugashi alone vs jobun's parse with tokens=True, on the five seeds.

(a) fugashi alone: a default fugashi.Tagger over exactly the sentences jobun produces, reading each
    token's `surface` and `feature_raw` (the bare minimum any tokenizing caller pays);
(b) jobun.parse(text, tokens=True) of each seed, end to end (all stages).
Both are timed after a warm-up pass: three rounds of N back-to-back runs of each, best of all. Prints both and the ratio b/a
(acceptance: <= 1.5).  Usage: python scripts/bench_tokens.py [--repeat N] [files…]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))


def seed_texts(paths):
    from jobun.text.decode import decode_bytes
    return [decode_bytes(p.read_bytes(), p.name)[0] for p in paths]


def jobun_sentences(texts):
    import jobun
    sentences = []
    for text in texts:
        doc = jobun.parse(text)
        for node in doc.walk():
            sentences.extend(node.text[a:b] for a, b in (s.span for s in node.sentences))
    return sentences


def fugashi_alone(tagger, sentences):
    count = 0
    for sentence in sentences:
        for node in tagger(sentence):
            node.surface
            node.feature_raw
            count += 1
    return count


def jobun_with_tokens(texts):
    import jobun
    count = 0
    for text in texts:
        doc = jobun.parse(text, tokens=True)
        count += sum(len(s.tokens) for n in doc.walk() for s in n.sentences)
    return count


def best_of(repeat, fn, *args):
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    texts = seed_texts(args.files or SEEDS)
    sentences = jobun_sentences(texts)

    import fugashi
    tagger = fugashi.Tagger()
    fugashi_alone(tagger, sentences)          # warm-up: dictionary pages, caches
    jobun_with_tokens(texts)

    # Three rounds of back-to-back runs of each side, best of all: each side runs warm, as it would
    # over a corpus, and a drift in the machine's speed falls on both sides alike.
    fugashi_time = jobun_time = float("inf")
    for _ in range(3):
        t, fugashi_tokens = best_of(args.repeat, fugashi_alone, tagger, sentences)
        fugashi_time = min(fugashi_time, t)
        t, jobun_tokens = best_of(args.repeat, jobun_with_tokens, texts)
        jobun_time = min(jobun_time, t)
    ratio = jobun_time / fugashi_time
    print(f"documents: {len(texts)}  sentences: {len(sentences)}  characters: {sum(map(len, sentences))}")
    print(f"fugashi alone (surface + feature_raw): {fugashi_time * 1000:8.1f} ms  {fugashi_tokens} tokens")
    print(f"jobun.parse(tokens=True):              {jobun_time * 1000:8.1f} ms  {jobun_tokens} tokens")
    print(f"ratio jobun/fugashi: {ratio:.2f}  (target <= 1.50)")
    breakdown(args.repeat, texts, sentences, jobun_time)
    return 0 if ratio <= 1.5 else 1


def breakdown(repeat, texts, sentences, jobun_time):
    """Where parse(tokens=True) spends its time: jobun's own tagger calls alone, the parse without
    tokens, and what is left (token bookkeeping and the cost of alternating between MeCab and the
    parser, whose working sets evict each other from the CPU caches)."""
    import jobun
    from jobun.analysis.tokens import tagger
    tag = tagger()
    tag_time, _ = best_of(repeat, lambda: [tag(s) for s in sentences])
    bare_time, _ = best_of(repeat, lambda: [jobun.parse(t) for t in texts])
    rest = jobun_time - tag_time - bare_time
    print(f"  of which: jobun's tagger calls alone {tag_time * 1000:.1f} ms, parse without tokens "
          f"{bare_time * 1000:.1f} ms, the rest {rest * 1000:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
