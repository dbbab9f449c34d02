"""The cost of the verdict with its what-ifs: a cold result (a profile not seen before) and the taps on it.

    python benchmarks/bench_whatif.py [--people 200]

Each person is a varied set of stored answers (age, education and ECA, a language test, a job abroad and
maybe one in Canada, a partner or not). For each one, the figures are the CPU time (process time: steadier
than wall time on a shared machine) of ``Results.final`` (the verdict: every move computed, about a dozen
re-scored and re-assessed copies), then of two what-if taps on its buttons (reused from the verdict's
computation), then of the moves detail. Goal: a cold verdict under 50 ms, a tap under 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date
from typing import Any

from flows.results import Results
from knowledge.crs.scoring import default_scorer
from knowledge.programs.eligibility import EligibilityEngine

TODAY = date(2026, 10, 1)


def person(rng: random.Random) -> dict[str, Any]:
    score = lambda: rng.choice([5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5])  # noqa: E731
    answers: dict[str, Any] = {
        "dob": f"{rng.randint(1975, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "marital": rng.choice(["never_married", "married"]),
        "education": rng.choice(["secondary", "two_year", "bachelors", "masters"]),
        "education_proof": rng.choice(["eca", "none"]),
        "lang1_test": "ielts",
        "lang1_date": "2025-06-01",
        "lang1_scores": {"listening": score(), "reading": score(), "writing": score(), "speaking": score()},
        "jobs": [
            {"job_noc": rng.choice(["21232", "31301", "72106", "13110"]), "job_where": "abroad",
             "job_start": f"{rng.randint(2015, 2024)}-01-01", "job_end": "2025-12-31", "job_hours": 40,
             "job_kind": "employee"},
        ],
        "funds": rng.choice([5000, 20000, 40000]),
        "family_size": 1,
    }  # fmt: skip
    if rng.random() < 0.5:
        answers["jobs"].append({"job_noc": "21232", "job_where": "canada", "job_start": "2025-03-01",
                                "job_end": "ongoing", "job_hours": 40, "job_kind": "employee"})  # fmt: skip
    if answers["marital"] == "married":
        answers.update(spouse_citizen="no", spouse_coming="yes", spouse_education="bachelors",
                       spouse_education_proof="none", spouse_test="none", spouse_work=0)  # fmt: skip
        answers["family_size"] = 2
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results = Results(default_scorer(), EligibilityEngine())
    results.final(person(rng), TODAY)  # warm-up: rule files, tables, the rounds
    verdicts, taps, details, buttons = [], [], [], []
    for _ in range(args.people):
        answers = person(rng)
        start = time.process_time()
        [reply] = results.final(answers, TODAY)
        verdicts.append(time.process_time() - start)
        what_ifs = [b.data for b in reply.buttons if b.data.startswith("wi:")]
        buttons.append(len(what_ifs))
        for data in what_ifs[:2]:
            start = time.process_time()
            results.what_if(data.removeprefix("wi:"), answers, TODAY)
            taps.append(time.process_time() - start)
        start = time.process_time()
        results.detail("moves", answers, TODAY)
        details.append(time.process_time() - start)

    def line(name: str, values: list[float]) -> str:
        ms = sorted(v * 1000 for v in values)
        p95 = ms[int(0.95 * (len(ms) - 1))]
        median = statistics.median(ms)
        return f"{name:<14} n={len(ms):<5} median {median:7.2f} ms   p95 {p95:7.2f} ms   max {ms[-1]:7.2f} ms"

    print(f"{args.people} people, {statistics.mean(buttons):.1f} what-if buttons each on average")
    print(line("cold verdict", verdicts))
    print(line("what-if tap", taps))
    print(line("moves detail", details))


if __name__ == "__main__":
    main()
