"""Time the collection-message triage: the corpus, and messages of 5,000 characters (the adversarial ones too).

Run: python bench/triage.py
Prints the milliseconds per message (median and worst) over the test corpus, and for each
5,000-character input its time. The goal: every 5,000-character message under 50 ms.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from test_triage_corpus import ADVERSARIAL  # noqa: E402  (the test suite's hostile inputs)

from tracker.triage import triage  # noqa: E402


def ms(text: str, sender: str | None = None, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        triage(text, sender)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    triage("warm up the lexicon and OpenCC")
    corpus = HERE.parent / "tests" / "data" / "triage_corpus"
    messages = [m for name in ("scams", "genuine") for m in json.loads((corpus / f"{name}.json").read_text(encoding="utf-8"))]
    times = [ms(m["text"], m["sender"], runs=1) for m in messages]
    print(f"corpus: {len(messages)} messages, median {statistics.median(times):.2f} ms, worst {max(times):.2f} ms")
    long_real = "".join(m["text"] for m in messages)[:5000]
    print(f"{'5,000 characters of real messages':<40} {ms(long_real, '13800138000'):7.1f} ms")
    for n, text in enumerate(ADVERSARIAL):
        label = f"adversarial {n}: {text[:12]!r}…"
        print(f"{label:<40} {ms(text, '13800138000'):7.1f} ms")


if __name__ == "__main__":
    main()
