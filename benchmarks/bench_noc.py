"""NOC look-up figures: index build time, and per-query time for English and French job titles (issue #14 added
the French reading, which every query also tries). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_noc.py
"""

from __future__ import annotations

import time
import tracemalloc

from knowledge.programs.noc import NOC_DIR, NocIndex

ENGLISH = ["registered nurse", "software developer", "welder", "truck driver", "accountant", "cook", "teacher"]
FRENCH = ["infirmière autorisée", "développeur de logiciels", "soudeuse", "camionneur", "comptable", "cuisinière"]
FRENCH += ["enseignant au secondaire"]


def per_query_ms(run, queries: list[str], rounds: int = 10) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for query in queries:
            run(query)
    return (time.perf_counter() - start) / (rounds * len(queries)) * 1000


def main() -> None:
    start = time.perf_counter()
    index = NocIndex()
    built = time.perf_counter() - start
    start = time.perf_counter()
    index._init_french(NOC_DIR)
    french = time.perf_counter() - start
    tracemalloc.start()
    NocIndex()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index build: {built * 1000:.0f} ms (of which the French part {french * 1000:.0f} ms), peak traced memory")
    print(f"  {peak / 1e6:.1f} MB")
    print(f"  {len(index.titles)} English titles, {len(index._fr_entries)} French phrases")
    print(f"English queries, English look-up only: {per_query_ms(index.search_english, ENGLISH):.1f} ms/query")
    print(f"English queries, search (both readings): {per_query_ms(index.search, ENGLISH):.1f} ms/query")
    print(f"French queries, search (both readings): {per_query_ms(index.search, FRENCH):.1f} ms/query")
    print(f"French queries, French look-up only: {per_query_ms(index.search_french, FRENCH):.1f} ms/query")


if __name__ == "__main__":
    main()
