"""The load test, run short: benchmarks/load.py with 32 clients and 4 hostile queries for ~10 s.

Asserted: every request answered 200 with the whole expected answer (zero errors, zero wrong
answers), each hostile query ended with its answer or the time limit's 503, /health answered
throughout, and a runaway query's worker was gone after its limit. Latency and memory are
printed (pytest -s), not asserted: they are figures of the machine (tests/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent


def test_load_short():
    duration = os.environ.get("EPKG_LOAD_SECONDS", "10")
    run = subprocess.run(
        [sys.executable, str(HOME / "benchmarks" / "load.py"), "--duration", duration, "--json"],
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
    assert all(key.endswith(("answered", "stopped at the limit")) for key in outcomes), outcomes
    assert figures["runaway_status"] == [503, 503, 503]
    # The killed worker is gone (pebble's SIGTERM ends it at once; its SIGKILL would follow in 3 s).
    assert all(0 <= ms < 3000 for ms in figures["runaway_limit_to_worker_end_ms"]), figures
