"""The load test, run short: benchmarks/load.py with 32 clients, 4 hostile queries and an attacker
for ~10 s.

Asserted: every ordinary request answered 200 with the whole expected answer (zero errors, zero
wrong answers); each hostile query ended with its answer, the time limit's 503 or a "busy" 503
(its client holds its share of the workers); every response to the attacker (its own address,
8 heavy queries in flight) was a 200, a 429, or a 503 that says why: the time limit, the memory
cap or "busy" (never a 500, never a dropped connection); /health answered throughout; a runaway
query's worker was gone after its limit; and the served graph holds as many triples afterwards as
before. Latency and memory are printed (pytest -s), not asserted: they are figures of the machine
(tests/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
# What an attacker may get back (benchmarks/load.py's outcome(): the status and what the message says).
ATTACKER_OUTCOMES = {"200", "429", "503 time limit", "503 memory cap", "503 busy"}


def test_load_short():
    duration = os.environ.get("EPKG_LOAD_SECONDS", "10")
    run = subprocess.run(
        [
            sys.executable,
            str(HOME / "benchmarks" / "load.py"),
            "--duration",
            duration,
            "--attacker",
            # The ordinary clients' 32 loops share a third of the workers; on a busy machine one of
            # them may wait longer than the service's 5 s for a worker and be refused "busy". The
            # test is about answers, not the machine's speed: they may wait up to a minute.
            "--queue-seconds",
            "60",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HOME,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    print("\nload figures:", json.dumps(figures, indent=1))
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["wrong_answers"] == 0, figures["wrong_examples"]
    assert figures["requests"] >= figures["distinct_requests"]
    assert figures["health_probes"] > 0
    outcomes = figures["pathological"]
    assert sum(outcomes.values()) >= 4
    assert all(key.endswith(("answered", "stopped at the limit", "refused, busy")) for key in outcomes), (
        outcomes
    )
    attacker = figures["attacker"]
    assert sum(attacker.values()) >= 8, attacker  # the first 8 in flight all end, one way or another
    assert set(attacker) <= ATTACKER_OUTCOMES, figures["attacker_by_query"]
    assert figures["triples_after"] == figures["triples_before"] > 0
    assert figures["runaway_status"] == [503, 503, 503]
    # The killed worker is gone (the pool ends it with SIGKILL at its limit).
    assert all(0 <= ms < 3000 for ms in figures["runaway_limit_to_worker_end_ms"]), figures
