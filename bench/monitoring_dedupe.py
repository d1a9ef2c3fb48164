#!/usr/bin/env python
"""Near-duplicate indexing throughput of the monitoring pipeline (doingoai.textproc.dedupe).

For each size N, streams N synthetic Vietnamese news items through what ``item_store`` does
for dedupe — content hash, MinHash signature of the folded 3-word shingles, LSH lookup with
similarity check, LSH insert — and prints items/s per block of items, so one can see whether
the cost per item stays flat as the index grows. It also prints the LSH part alone
(lookup + insert with precomputed signatures) and how well planted republications were found.

Items: 300–600 words drawn with Zipf-like frequencies (weight 1/rank^1.07) from the syllables
of the demo content (doingoai/demo/data/*.json). A share of items (``--dup-rate``) republish
an earlier item with a new lead phrase and ``--edit-rate`` of the words changed (2%: a
near-duplicate with Jaccard ≈ 0.9); the rest are new stories. Pure Python, no database.
Not a test: it prints figures. Times are the process's CPU time (the machine may be shared), so the
figures are what one core gives; wall-clock time for the whole run is printed at the end.

    .venv/bin/python bench/monitoring_dedupe.py [--sizes 10000 100000] [--block 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from doingoai.textproc.dedupe import (  # noqa: E402
    NearDuplicateIndex,
    content_hash,
    words_and_signature,
)


def vocabulary() -> tuple[list[str], list[float]]:
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "doingoai" / "demo" / "data").glob("*.json")):
        text = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
        counts.update(w.lower() for w in re.findall(r"[^\W\d_]+", text) if not w.isascii())
    words = [w for w, _n in counts.most_common()]
    if len(words) < 500:
        raise SystemExit("the demo content (doingoai/demo/data/*.json) is missing")
    weights = [1 / (rank + 1) ** 1.07 for rank in range(len(words))]
    return words, weights


def article(rng: random.Random, words, weights) -> str:
    return " ".join(rng.choices(words, weights, k=rng.randint(300, 600)))


def republish(rng: random.Random, original: str, words, edit_rate: float) -> str:
    tokens = original.split()
    for _ in range(max(1, int(len(tokens) * edit_rate))):
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
    return "Theo báo địa phương, " + " ".join(tokens)


def run(size: int, block: int, dup_rate: float, edit_rate: float, seed: int) -> None:
    rng = random.Random(seed)
    words, weights = vocabulary()
    index = NearDuplicateIndex()
    originals: list[tuple[int, str]] = []  # a sample of earlier stories to republish
    planted = found = false_merges = 0
    total = lsh_total = 0.0
    print(
        f"\n== {size:,} items (block {block:,}, {dup_rate:.0%} republications with "
        f"{edit_rate:.0%} of words changed) =="
    )
    print(f"{'items':>9} {'items/s':>9} {'µs/item':>8} {'LSH µs/item':>12} {'index':>9}")
    for start in range(0, size, block):
        batch = []
        for n in range(start, min(start + block, size)):
            if originals and rng.random() < dup_rate:
                origin, text = rng.choice(originals)
                batch.append((n, republish(rng, text, words, edit_rate), origin))
            else:
                text = article(rng, words, weights)
                batch.append((n, text, None))
                if len(originals) < 2000:
                    originals.append((n, text))
                else:
                    originals[rng.randrange(2000)] = (n, text)
        lsh_time = 0.0
        began = time.process_time()
        for n, text, origin in batch:
            words_, minhash = words_and_signature(text)
            content_hash(text, words=words_)
            lsh_began = time.process_time()
            match = index.find(minhash)
            group = match.group if match else n
            index.add(n, minhash, group)
            lsh_time += time.process_time() - lsh_began
            if origin is not None:
                planted += 1
                found += index.group_of(origin) == group
            elif match is not None:
                false_merges += 1
        elapsed = time.process_time() - began
        total += elapsed
        lsh_total += lsh_time
        count = len(batch)
        print(
            f"{start + count:>9,} {count / elapsed:>9,.0f} {elapsed / count * 1e6:>8.0f} "
            f"{lsh_time / count * 1e6:>12.1f} {len(index):>9,}"
        )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    unique = size - planted
    print(
        f"overall {size / total:,.0f} items/s ({total / size * 1e6:.0f} µs/item, LSH part "
        f"{lsh_total / size * 1e6:.1f} µs/item); republications found {found:,}/{planted:,} "
        f"({found / max(planted, 1):.1%}); new stories wrongly merged {false_merges:,}/{unique:,}; "
        f"max RSS {rss_mb:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--block", type=int, default=10_000)
    parser.add_argument("--dup-rate", type=float, default=0.2)
    parser.add_argument("--edit-rate", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=20260324)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, one process, CPU time")
    began = time.perf_counter()
    for size in args.sizes:
        run(size, min(args.block, size), args.dup_rate, args.edit_rate, args.seed)
    print(f"\nwall-clock {time.perf_counter() - began:.0f} s (generation of the texts included)")


if __name__ == "__main__":
    main()
