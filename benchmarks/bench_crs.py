"""CRS engine benchmark: import time of the engine and profiles scored per second on one core.

    python benchmarks/bench_crs.py [--seconds 3]

Goal (issue #2): at least 50,000 profiles per second on one core.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time


def import_time() -> float:
    code = "import time; t=time.perf_counter(); import knowledge.crs.scoring; print(time.perf_counter()-t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(5)
    ]
    return min(runs)


def sample_profiles(n: int):
    from knowledge.profile import Profile
    from knowledge.vocabulary import EDUCATION_LEVELS

    rng = random.Random(7)
    out = []
    for _ in range(n):
        lv = [rng.randint(3, 10) for _ in range(4)]
        data = {
            "profile_date": "2026-10-01",
            "age": rng.randint(18, 47),
            "education": rng.choice(EDUCATION_LEVELS[4:]),
            "first_language": {
                "test": "clb",
                **dict(zip(("listening", "reading", "writing", "speaking"), lv, strict=True)),
            },
            "canadian_work_years": rng.randint(0, 6),
            "foreign_work_years": rng.randint(0, 6),
            "certificate_of_qualification": rng.random() < 0.1,
            "sibling_in_canada": rng.random() < 0.2,
        }
        if rng.random() < 0.5:
            data["marital_status"] = "married"
            data["spouse"] = {
                "education": rng.choice(EDUCATION_LEVELS),
                "canadian_work_years": rng.randint(0, 3),
                "language": {"test": "clb", "listening": 7, "reading": 7, "writing": 7, "speaking": 7},
            }
        if rng.random() < 0.3:
            data["second_language"] = {"test": "nclc", "listening": 7, "reading": 7, "writing": 7, "speaking": 7}
        out.append(Profile.model_validate(data))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print(f"import knowledge.crs.scoring: {import_time() * 1000:.1f} ms (best of 5, fresh interpreter)")
    from knowledge.crs.scoring import default_scorer

    scorer = default_scorer()
    profiles = sample_profiles(2000)
    t = time.perf_counter()
    validated = sample_profiles(2000)
    validate_rate = len(validated) / (time.perf_counter() - t)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for p in profiles:
            scorer.score(p)
        count += len(profiles)
    elapsed = time.perf_counter() - start
    rate = count / elapsed
    print(f"score(): {rate:,.0f} profiles/s ({elapsed / count * 1e6:.1f} us each, one core)")
    start = time.perf_counter()
    for p in profiles:
        scorer.score(p).sections  # noqa: B018 - materialise the explained lines too
    explained = len(profiles) / (time.perf_counter() - start)
    print(f"score() + explained breakdown (.sections): {explained:,.0f} profiles/s")
    print(f"Profile validation (JSON-like dict -> Profile): {validate_rate:,.0f} profiles/s")
    print(f"goal 50,000/s: {'met' if rate >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
