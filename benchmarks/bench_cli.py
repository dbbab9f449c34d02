"""``maple-crs score`` at scale: 100,000 varied valid profiles, as JSON Lines and as one JSON array.

    python benchmarks/bench_cli.py [--count 100000] [--keep DIR]

Each input is scored by ``maple-crs score`` in a fresh subprocess (one process, so one core); the
figures are wall time and profiles per second, the child's CPU time (user + system: steadier than
wall time on a shared machine) and its peak resident memory (``RUSAGE_CHILDREN`` ru_maxrss, measured
in a fresh helper process per run so one run's peak does not hide the next one's).
Goal: at least 3,000 profiles/s with full breakdowns and under 200 MB peak RSS, for both inputs.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ABILITIES = ("listening", "reading", "writing", "speaking")
IELTS_BANDS = [x / 2 for x in range(8, 19)]  # 4.0 .. 9.0

# Runs the CLI as a grandchild and reports its peak RSS: RUSAGE_CHILDREN is the maximum over all
# waited-for children of the calling process, so each measurement gets its own fresh parent.
MEASURE = """
import resource, subprocess, sys, time
cmd, out = sys.argv[1:-1], sys.argv[-1]
t = time.perf_counter()
with open(out, "wb") as sink:
    done = subprocess.run(cmd, stdout=sink, stderr=subprocess.PIPE, check=False)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(done.returncode, wall, cpu, usage.ru_maxrss, done.stderr.decode()[:500].replace(chr(10), " | "))
"""


def language(rng: random.Random, profile_date: str, french: bool = False) -> dict[str, Any]:
    if french:
        kind = rng.choice(("nclc", "tef_canada", "tcf_canada"))
        if kind == "nclc":
            return {"test": "nclc", **{a: rng.randint(4, 10) for a in ABILITIES}}
        if kind == "tef_canada":
            return {
                "test": "tef_canada",
                "test_date": "2024-01-15",
                **{a: rng.randint(300, 650) for a in ABILITIES},
            }
        return {
            "test": "tcf_canada",
            "test_date": "2024-01-15",
            "listening": rng.randint(400, 650),
            "reading": rng.randint(400, 650),
            "writing": rng.randint(6, 18),
            "speaking": rng.randint(6, 18),
        }
    kind = rng.choice(("clb", "ielts", "celpip"))
    if kind == "clb":
        return {"test": "clb", **{a: rng.randint(4, 10) for a in ABILITIES}}
    if kind == "ielts":
        return {"test": "ielts", "test_date": "2024-01-15", **{a: rng.choice(IELTS_BANDS) for a in ABILITIES}}
    return {"test": "celpip", **{a: rng.randint(4, 12) for a in ABILITIES}}


def profile(rng: random.Random) -> dict[str, Any]:
    """One valid profile: ages, education, languages, work (totals or periods), spouses all vary."""
    from knowledge.vocabulary import EDUCATION_LEVELS

    day = rng.choice(("2024-06-01", "2025-03-24", "2025-10-01", "2026-10-01"))
    data: dict[str, Any] = {"profile_date": day, "education": rng.choice(EDUCATION_LEVELS)}
    if rng.random() < 0.7:
        data["age"] = rng.randint(18, 50)
    else:
        data["date_of_birth"] = f"{rng.randint(1975, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    data["first_language"] = language(rng, day)
    if rng.random() < 0.3:
        data["second_language"] = language(rng, day, french=True)
    if rng.random() < 0.25:
        data["work_periods"] = [
            {
                "noc": rng.choice(("21231", "21232", "31301", "62020", "72010")),
                "in_canada": rng.random() < 0.5,
                "start": f"{rng.randint(2012, 2023)}-{rng.randint(1, 12):02d}-01",
                "hours_per_week": rng.choice((20, 30, 40)),
            }
            for _ in range(rng.randint(1, 3))
        ]
    else:
        data["canadian_work_years"] = rng.randint(0, 6)
        data["foreign_work_years"] = rng.randint(0, 6)
    if rng.random() < 0.45:
        data["marital_status"] = rng.choice(("married", "common_law"))
        data["spouse"] = {
            "canadian_citizen_or_pr": rng.random() < 0.1,
            "accompanying": rng.random() < 0.9,
            "education": rng.choice(EDUCATION_LEVELS),
            "canadian_work_years": rng.randint(0, 3),
        }
        if rng.random() < 0.7:
            data["spouse"]["language"] = language(rng, day)
    if data["education"] in EDUCATION_LEVELS[4:] and rng.random() < 0.2:
        data["canadian_study"] = rng.choice(("one_or_two_years", "three_plus_years"))
    data["certificate_of_qualification"] = rng.random() < 0.1
    data["provincial_nomination"] = rng.random() < 0.05
    data["sibling_in_canada"] = rng.random() < 0.15
    if day < "2025-03-25" and rng.random() < 0.2:
        data["arranged_employment"] = "other_teer_0_1_2_3"
    return data


def generate(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` profiles, every one checked valid by the repo's own Profile model."""
    from knowledge.profile import Profile

    rng = random.Random(seed)
    out = []
    while len(out) < count:
        data = profile(rng)
        Profile.model_validate(data)  # raises if the generator ever drifts from the model
        out.append(data)
    return out


def measure(label: str, args: list[str], output: Path, count: int) -> None:
    script = Path(sys.executable).with_name("maple-crs")
    cmd = [str(script), *args] if script.exists() else [sys.executable, "-m", "knowledge.cli", *args]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd, str(output)], capture_output=True, text=True, check=True
    )
    code, wall, cpu, rss_kb, *rest = done.stdout.strip().split(" ", 4)
    err = rest[0] if rest else ""
    seconds, cpu_seconds = float(wall), float(cpu)
    lines = sum(1 for _ in output.open("rb"))
    print(
        f"{label:<10} exit {code}  wall {seconds:6.2f} s = {count / seconds:6,.0f} profiles/s  "
        f"CPU {cpu_seconds:6.2f} s = {count / cpu_seconds:6,.0f} profiles/s  peak RSS {int(rss_kb) / 1024:6.1f} MB  "
        f"output {output.stat().st_size / 1e6:6.1f} MB, {lines:,} lines"
    )
    if code != "0":
        print(f"  stderr: {err}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the inputs and outputs here instead of a temp dir")
    args = parser.parse_args()
    t = time.perf_counter()
    profiles = generate(args.count)
    print(f"generated and validated {args.count:,} profiles in {time.perf_counter() - t:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        jsonl, array = folder / "profiles.jsonl", folder / "profiles.json"
        with jsonl.open("w", encoding="utf-8") as f:
            for p in profiles:
                f.write(json.dumps(p) + "\n")
        array.write_text(json.dumps(profiles), encoding="utf-8")
        del profiles
        measure("JSONL", ["score", str(jsonl)], folder / "out.jsonl", args.count)
        measure("JSON array", ["score", str(array)], folder / "out.json", args.count)


if __name__ == "__main__":
    main()
