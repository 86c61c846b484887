"""Times ``epkg author check`` on one plan file: a first run without the reference cache, then
N runs with it, each a fresh process, then N checks in this one process. Prints the check's
own time (what the command reports), the whole command's wall time (Python start and imports
included) and, in process, wall and CPU time, as medians, with the machine's load average,
which on a shared machine moves the figures more than anything.

    python benchmarks/author_check.py [PLAN] [--runs 9] [--home DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent


def run_once(home: Path, plan: Path) -> tuple[float, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "author", "--home", str(home), "check", str(plan)],
        capture_output=True,
        text=True,
        cwd=HOME,
    )
    wall = time.perf_counter() - started
    found = re.search(r"\(([0-9.]+) s\)\s*$", done.stdout)
    if not found:
        raise SystemExit(f"no timing in the check's output:\n{done.stdout}{done.stderr}")
    return float(found.group(1)), wall


def in_process(home: Path, plan: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of check_plan, called again and again (imports done)."""
    from api.authoring.check import check_plan
    from api.graph import Project
    from api.settings import get_settings

    project = Project.from_settings(get_settings().with_overrides(home=home))
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        check_plan(project, plan)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path, nargs="?", default=HOME / "data/plans/sonderborg-2016-2018.ttl")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--home", type=Path, default=HOME)
    args = parser.parse_args()
    shutil.rmtree(args.home / ".cache" / "epkg", ignore_errors=True)
    cold = run_once(args.home, args.plan.resolve())
    warm = [run_once(args.home, args.plan.resolve()) for _ in range(args.runs)]
    print(f"{args.plan.name}: first run (no cache) {cold[0]:.2f} s check, {cold[1]:.2f} s command")
    print(
        f"next {args.runs} runs, median: {statistics.median(r for r, _ in warm):.2f} s check, "
        f"{statistics.median(w for _, w in warm):.2f} s command "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    wall, cpu = in_process(args.home, args.plan.resolve(), args.runs)
    print(
        f"in process, {args.runs} checks, median: {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"(load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
