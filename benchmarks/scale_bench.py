"""Benchmark at scale, side by side with the peers, in one run.

    python benchmarks/scale_bench.py --sizes 10k,100k,1M --duration 5
    python benchmarks/scale_bench.py --sizes 10k --duration 2          # the CI smoke test

For each size, on a graph grown by benchmarks/scale.py (the real graph plus synthetic
municipalities; a size below the real graph's 18k triples is the real graph itself), prints:

- load time and peak memory of each embedded engine (pyoxigraph, rdflib), each in a fresh process;
- SHACL validation time with pyshacl-turbo, and with pySHACL where it finishes in bounded time;
- per catalogue question (its header's example parameters), in-process latency p50/p95 of the
  query answered as SPARQL JSON by pyoxigraph and by rdflib;
- over HTTP on 127.0.0.1, for ``epkg serve``, rdflib-endpoint serving the same files, and
  ``oxigraph serve-read-only`` on the same data: start time, resident memory, and per question
  p50/p95 and the throughput at each concurrency, "cold" (every request's text is new: a
  comment with a nonce, so no answer cache can help) and "repeated" (the same text again);
- our figures as ratios to the in-process engine and to each peer, against the targets of
  docs/benchmarks.md.

Everything is bounded in time: each HTTP run lasts ``--duration`` seconds (at concurrency 1 every
question is asked at least once, each request at most ``--request-timeout`` seconds); slow engines
run in child processes that are killed at their budget, and what they did not finish is reported
as such. ``--json`` keeps the figures; ``--plot`` draws them (docs/benchmarks/scale.png).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import scale  # noqa: E402

JSON_RESULTS = "application/sparql-results+json"
TARGETS = {
    "http_over_inprocess": 1.25,  # each question over HTTP within 1.25x the in-process engine time
    "repeated_ms": 2.0,  # a repeated question from the cache in at most 2 ms
    "cold_start_real_s": 2.0,
    "cold_start_1m_s": 10.0,
}


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of the values, None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    value = seconds * 1000
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def ratio(a: float | None, b: float | None) -> str:
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- children: one fresh process per engine, so peak memory is the engine's own ------------


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def questions(home: Path) -> list[tuple[str, str]]:
    """(name, SPARQL text) of every catalogue question with its header's example parameters."""
    from api.catalogue import load_catalogue

    catalogue = load_catalogue(home / "queries")
    return [(q.name, q.render(q.bind(q.example_params()))) for q in catalogue.values()]


class QuestionTimeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise QuestionTimeout


def child_inprocess(
    home: Path,
    engine: str,
    seconds_per_question: float,
    max_runs: int,
    question_timeout: float,
    skip: set[str],
) -> None:
    """Load time, peak memory, and per question the latency of the engine answering in SPARQL JSON.
    A question still running after ``question_timeout`` seconds is abandoned (rdflib runs Python
    code, so an alarm stops it; pyoxigraph only notices when the query returns)."""
    from api.graph import Project
    from api.store import open_store

    baseline = peak_rss_mb()
    started = time.perf_counter()
    store = open_store(engine, Project(home=home))
    load = time.perf_counter() - started
    emit({"kind": "load", "seconds": load, "peak_rss_mb": peak_rss_mb(), "baseline_rss_mb": baseline})
    signal.signal(signal.SIGALRM, _alarm)
    for name, query in questions(home):
        if name in skip:
            continue
        emit({"kind": "start", "name": name})
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, question_timeout)
        try:
            body = store.execute(query, JSON_RESULTS)
        except QuestionTimeout:
            emit({"kind": "question", "name": name, "timeout": question_timeout})
            continue
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        first = time.perf_counter() - started
        rows = len(json.loads(body)["results"]["bindings"])
        times: list[float] = []
        budget_end = time.perf_counter() + seconds_per_question
        while len(times) < max_runs and time.perf_counter() < budget_end:
            started = time.perf_counter()
            store.execute(query, JSON_RESULTS)
            times.append(time.perf_counter() - started)
        emit(
            {
                "kind": "question",
                "name": name,
                "rows": rows,
                "bytes": len(body),
                "first": first,
                "p50": percentile(times or [first], 50),
                "p95": percentile(times or [first], 95),
                "runs": len(times),
            }
        )
    emit({"kind": "done", "peak_rss_mb": peak_rss_mb()})


def child_validate(home: Path, engine: str) -> None:
    from api.graph import Project
    from api.validation import load_shapes, load_store, run_engine
    from rdflib.namespace import SH

    project = Project(home=home)
    started = time.perf_counter()
    # As epkg validate loads it: a pyoxigraph store (turbo reads it natively; pySHACL gets a copy).
    data, shapes = load_store(project.content_files()), load_shapes(project)
    emit({"kind": "load", "seconds": time.perf_counter() - started, "triples": len(data)})
    started = time.perf_counter()
    report = run_engine(engine, data, shapes)
    seconds = time.perf_counter() - started
    severities: dict[str, int] = {}
    for result in report.objects(None, SH.result):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        severities[severity] = severities.get(severity, 0) + 1
    emit({"kind": "done", "seconds": seconds, "results": severities, "peak_rss_mb": peak_rss_mb()})


def run_child(args: list[str], budget: float) -> tuple[list[dict], bool]:
    """Runs this script as a child; returns its records and whether it finished within budget."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", *args],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    records: list[dict] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip():
                records.append(json.loads(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        process.wait(timeout=budget)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    reader.join(timeout=5)
    return records, process.returncode == 0


def run_inprocess(
    home: Path, engine: str, args: argparse.Namespace, budget: float
) -> tuple[list[dict], bool]:
    """The in-process child, watched: a question still running after ``--request-timeout`` seconds
    is recorded as timed out, the child killed and started again without it (pyoxigraph cannot
    be interrupted in a query); everything stops at ``budget`` seconds."""
    deadline = time.monotonic() + budget
    records: list[dict] = []
    skip: list[str] = []
    while True:
        command = [
            sys.executable,
            __file__,
            "--child",
            "inprocess",
            str(home),
            engine,
            str(args.seconds_per_question),
            str(args.max_runs),
            str(args.request_timeout),
            ",".join(skip),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
        got: list[dict] = []

        def read(process: subprocess.Popen = process, got: list[dict] = got) -> None:
            assert process.stdout is not None
            for line in process.stdout:
                if line.strip():
                    got.append(json.loads(line))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        stuck = None
        started_at: dict[str, float] = {}
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            for record in list(got):
                if record["kind"] == "start" and record["name"] not in started_at:
                    started_at[record["name"]] = time.monotonic()
            finished_names = {r["name"] for r in got if r["kind"] == "question"}
            running = [n for n in started_at if n not in finished_names]
            if running and time.monotonic() - started_at[running[0]] > args.request_timeout + 5:
                stuck = running[0]
                break
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=5)
        if not records:  # the first child's load stands for the engine's
            records.extend(r for r in got if r["kind"] != "start")
        else:
            records.extend(r for r in got if r["kind"] == "question")
        if stuck is None:
            return records, process.returncode == 0
        records.append({"kind": "question", "name": stuck, "timeout": args.request_timeout})
        skip += [r["name"] for r in records if r["kind"] == "question"]
        if time.monotonic() >= deadline:
            return records, False


# --- servers --------------------------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo.extend(int(child) for child in f.read().split())
    return pids


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, sum of each process's peak resident) of a process and its children, in MB.

    Resident now is proportional (Pss): a page shared by n processes counts 1/n in each, so the
    store the query workers share (api/zygote.py) counts once, as it takes memory once. Where
    the kernel has no smaps_rollup it is the plain sum of resident sizes."""
    rss = hwm = 0.0
    for each in process_tree(pid):
        with contextlib.suppress(OSError), open(f"/proc/{each}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm += int(line.split()[1]) / 1024
        rss += _proportional_kb(each) / 1024
    return rss, hwm


def _proportional_kb(pid: int) -> int:
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


@dataclass
class Server:
    name: str
    url: str  # the SPARQL endpoint
    process: subprocess.Popen
    start_seconds: float
    prepare_seconds: float = 0.0  # e.g. oxigraph load into its on-disk store
    log: Path | None = None

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _wait_answering(url: str, process: subprocess.Popen, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode} before answering")
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.post(url, data={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS}, timeout=5)
            if response.status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"no answer within {timeout:.0f} s")


def start_server(name: str, home: Path, work: Path, timeout: float, extra: tuple[str, ...] = ()) -> Server:
    port = free_port()
    files = [str(p) for p in sorted(p for d in ("ontology", "data") for p in (home / d).rglob("*.ttl"))]
    log = work / f"{name}.log"
    prepare = 0.0
    env = dict(os.environ)
    if name == "epkg":
        env.update(EPKG_HOME=str(home))
        epkg = shutil.which("epkg") or str(Path(sys.executable).parent / "epkg")
        command = [epkg, "serve", "--host", "127.0.0.1", "--port", str(port), *extra]
        url = f"http://127.0.0.1:{port}/sparql"
    elif name == "oxigraph":
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        location = work / "oxigraph-db"
        shutil.rmtree(location, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", *files],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        prepare = time.perf_counter() - started
        command = [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
        url = f"http://127.0.0.1:{port}/query"
    elif name == "rdflib-endpoint":
        binary = shutil.which("rdflib-endpoint") or str(Path(sys.executable).parent / "rdflib-endpoint")
        command = [binary, "serve", "--host", "127.0.0.1", "--port", str(port), *files]
        url = f"http://127.0.0.1:{port}/"
    else:
        raise ValueError(name)
    started = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(name, url, process, 0.0, prepare, log)
    try:
        _wait_answering(url, process, timeout)
    except RuntimeError as exc:
        server.stop()
        tail = log.read_text(errors="replace")[-600:]
        raise RuntimeError(f"{name} {exc}; its log ends:\n{tail}") from None
    server.start_seconds = time.perf_counter() - started
    return server


# --- load generation --------------------------------------------------------------------------


@dataclass
class Run:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    unfinished: int = 0
    seconds: float = 0.0
    cache_hits: int = 0
    timeouts: dict[str, int] = field(default_factory=dict)

    @property
    def completed(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def all_latencies(self) -> list[float]:
        return [x for v in self.latencies.values() for x in v]


async def load_run(
    url: str,
    queries: list[tuple[str, str]],
    concurrency: int,
    duration: float,
    cold: bool,
    request_timeout: float,
    round_budget: float = 0.0,
) -> Run:
    """``concurrency`` clients ask the questions round-robin for ``duration`` seconds.
    At concurrency 1 every question is asked at least once, for up to ``round_budget`` seconds."""
    import httpx

    run = Run(latencies={name: [] for name, _ in queries})
    order = itertools.count()
    started = time.perf_counter()
    deadline = started + duration
    first_round = len(queries) if concurrency == 1 else 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client(http: httpx.AsyncClient) -> None:
        while True:
            i = next(order)
            if time.perf_counter() >= deadline and i >= first_round:
                return
            name, text = queries[i % len(queries)]
            if cold:
                text = f"{text}\n# cold {uuid.uuid4().hex}\n"
            sent = time.perf_counter()
            try:
                response = await http.post(
                    url, data={"query": text}, headers={"Accept": JSON_RESULTS}, timeout=request_timeout
                )
                await response.aread()
            except httpx.HTTPError as exc:
                key = type(exc).__name__
                run.errors[key] = run.errors.get(key, 0) + 1
                if isinstance(exc, httpx.TimeoutException):
                    run.timeouts[name] = run.timeouts.get(name, 0) + 1
                continue
            if response.status_code != 200:
                key = f"HTTP {response.status_code}"
                run.errors[key] = run.errors.get(key, 0) + 1
                continue
            run.latencies[name].append(time.perf_counter() - sent)
            if response.headers.get("x-cache") == "hit":
                run.cache_hits += 1

    async with httpx.AsyncClient(limits=limits) as http:
        tasks = [asyncio.create_task(client(http)) for _ in range(concurrency)]
        hard_stop = max(duration, round_budget if concurrency == 1 else 0.0) + request_timeout
        done, pending = await asyncio.wait(tasks, timeout=hard_stop)
        for task in pending:
            task.cancel()
        run.unfinished = len(pending)
        await asyncio.gather(*pending, return_exceptions=True)
    run.seconds = time.perf_counter() - started
    return run


def summarise_run(run: Run) -> dict:
    everything = run.all_latencies()
    return {
        "seconds": run.seconds,
        "completed": run.completed,
        "throughput": run.completed / run.seconds if run.seconds else 0.0,
        "p50": percentile(everything, 50),
        "p95": percentile(everything, 95),
        "errors": run.errors,
        "unfinished": run.unfinished,
        "cache_hits": run.cache_hits,
        "timeouts": run.timeouts,
        "questions": {
            name: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95)}
            for name, v in run.latencies.items()
        },
    }


# --- the benchmark ------------------------------------------------------------------------------


def say(text: str = "") -> None:
    print(text, flush=True)


def bench_size(label: str, home: Path, args: argparse.Namespace, work: Path) -> dict:
    manifest = json.loads((home / "scale.json").read_text())
    triples = manifest["triples"]
    with open("/proc/loadavg") as f:
        loadavg = f.read().split()[:3]
    result: dict[str, Any] = {
        "loadavg": loadavg,
        "label": label,
        "triples": triples,
        "manifest": manifest,
        "inprocess": {},
        "shacl": {},
        "http": {},
    }
    say(
        f"\n=== {label}: {triples:,} triples ({manifest['municipalities']} synthetic municipalities x "
        f"{manifest['periods']} periods on the real graph; load average {' '.join(loadavg)}) ==="
    )

    # In process.
    for engine in () if args.skip_inprocess else ("oxigraph", "rdflib"):
        if engine == "rdflib" and triples > args.rdflib_max:
            say(
                f"in-process rdflib: skipped above {scale.size_label(args.rdflib_max)} triples (--rdflib-max)"
            )
            continue
        budget = args.rdflib_budget if engine == "rdflib" else args.inprocess_budget
        records, finished = run_inprocess(home, engine, args, budget)
        load = next((r for r in records if r["kind"] == "load"), None)
        engine_entry: dict[str, Any] = {
            "finished": finished,
            "load": load,
            "questions": {r["name"]: r for r in records if r["kind"] == "question"},
            "peak_rss_mb": next(
                (r["peak_rss_mb"] for r in records if r["kind"] == "done"),
                load["peak_rss_mb"] if load else None,
            ),
        }
        result["inprocess"][engine] = engine_entry
        if load:
            say(
                f"in-process {engine}: load {load['seconds']:.2f} s, peak resident {engine_entry['peak_rss_mb']:.0f} MB"
                f" (python and imports {load['baseline_rss_mb']:.0f} MB)"
                + ("" if finished else f"; stopped at its budget of {budget:.0f} s")
            )
        else:
            say(f"in-process {engine}: did not load within {budget:.0f} s")

    # SHACL.
    if not args.skip_shacl:
        for engine in ("turbo", "pyshacl"):
            if engine == "pyshacl" and triples > args.pyshacl_max:
                say(
                    f"SHACL pySHACL: skipped above {scale.size_label(args.pyshacl_max)} triples (--pyshacl-max)"
                )
                continue
            budget = args.shacl_budget
            records, finished = run_child(["validate", str(home), engine], budget)
            done = next((r for r in records if r["kind"] == "done"), None)
            load = next((r for r in records if r["kind"] == "load"), None)
            result["shacl"][engine] = {"finished": finished, "done": done, "load": load, "budget": budget}
            if done and load:
                say(
                    f"SHACL {engine:8}: {done['seconds']:.2f} s (graph and shapes parsed in {load['seconds']:.2f} s);"
                    f" results {done['results']}, peak {done['peak_rss_mb']:.0f} MB"
                )
            else:
                say(f"SHACL {engine:8}: not finished within {budget:.0f} s")

    # Over HTTP.
    queries = questions(home)
    if not args.skip_http:
        for name in args.servers:
            if name == "rdflib-endpoint" and triples > args.rdflib_max:
                say(f"HTTP {name}: skipped above {scale.size_label(args.rdflib_max)} triples (--rdflib-max)")
                continue
            extra: tuple[str, ...] = ("--timeout", str(args.request_timeout)) if name == "epkg" else ()
            first_start = None
            try:
                turbo = result["shacl"].get("turbo", {})
                if name == "epkg" and args.epkg_skip_checks:
                    extra += ("--skip-checks",)
                elif name == "epkg" and turbo and not turbo.get("done"):
                    say(
                        "HTTP epkg: SHACL validation did not finish in its budget, so epkg serve --skip-checks"
                    )
                    extra += ("--skip-checks",)
                if name == "epkg":  # the first start checks the graph; a restart remembers the result
                    try:
                        first = start_server(name, home, work, args.start_timeout, extra)
                    except RuntimeError as exc:
                        say(
                            f"HTTP epkg: the start with checks failed ({str(exc).splitlines()[-1]}); "
                            "serving with --skip-checks"
                        )
                        extra += ("--skip-checks",)
                        first = start_server(name, home, work, args.start_timeout, extra)
                    first_start = first.start_seconds
                    first.stop()
                server = start_server(name, home, work, args.start_timeout, extra)
            except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
                say(f"HTTP {name}: could not start: {exc}")
                result["http"][name] = {"error": str(exc)}
                continue
            entry: dict[str, Any] = {
                "start_seconds": server.start_seconds,
                "first_start_seconds": first_start,
                "prepare_seconds": server.prepare_seconds,
                "options": list(extra),
                "runs": {},
            }
            try:
                prepared = (
                    f", after loading its store in {server.prepare_seconds:.2f} s"
                    if server.prepare_seconds
                    else ""
                )
                first_text = (
                    f" (first start{' with --skip-checks' if '--skip-checks' in extra else ', with checks'}: "
                    f"{first_start:.2f} s)"
                    if first_start is not None
                    else ""
                )
                say(f"HTTP {name}: answering {server.start_seconds:.2f} s after start{prepared}{first_text}")
                floor = asyncio.run(
                    load_run(server.url, [("ASK {}", "ASK {}")], 1, 1.0, False, args.request_timeout)
                )
                entry["floor_p50"] = percentile(floor.all_latencies(), 50)
                say(f"  floor: ASK {{}} p50 {ms(entry['floor_p50'])} ms (HTTP and client overhead)")
                # Each question alone first: its first answer, and whether it finishes in time at all
                # (a server cannot cancel a query: after a timeout it is restarted, so the next
                # question does not wait behind it).
                asked, excluded, firsts = [], [], {}
                for question in queries:
                    probe = asyncio.run(load_run(server.url, [question], 1, 0.0, True, args.request_timeout))
                    if probe.latencies[question[0]]:
                        asked.append(question)
                        firsts[question[0]] = probe.latencies[question[0]][0]
                        continue
                    excluded.append(question[0])
                    if probe.timeouts or probe.unfinished:
                        server.stop()
                        server = start_server(name, home, work, args.start_timeout, extra)
                entry["first"] = firsts
                if excluded:
                    say(
                        f"  not answered within {args.request_timeout:.0f} s, so not asked again: {', '.join(excluded)}"
                    )
                for mode in ("cold", "repeated"):
                    if mode == "repeated" and asked:  # each text asked once before, unmeasured
                        asyncio.run(
                            load_run(
                                server.url, asked, 1, 0.0, False, args.request_timeout, args.round_budget
                            )
                        )
                    for concurrency in args.concurrency:
                        if not asked:
                            continue
                        run = asyncio.run(
                            load_run(
                                server.url,
                                asked,
                                concurrency,
                                args.duration,
                                mode == "cold",
                                args.request_timeout,
                                args.round_budget,
                            )
                        )
                        summary = summarise_run(run)
                        entry["runs"][f"{mode}@{concurrency}"] = summary
                        problems = f", errors {summary['errors']}" if summary["errors"] else ""
                        problems += f", {summary['unfinished']} unfinished" if summary["unfinished"] else ""
                        problems += f", {summary['cache_hits']} from the cache" if name == "epkg" else ""
                        say(
                            f"  {mode:8} c={concurrency:<3} {summary['throughput']:8.1f} req/s  "
                            f"p50 {ms(summary['p50'])} ms  p95 {ms(summary['p95'])} ms  "
                            f"({summary['completed']} in {summary['seconds']:.1f} s{problems})"
                        )
                        if run.timeouts:  # the engine may still be busy with them: restart it
                            say(
                                f"  timed out after {args.request_timeout:.0f} s: {', '.join(sorted(run.timeouts))}"
                                f"; restarting {name}"
                            )
                            server.stop()
                            server = start_server(name, home, work, args.start_timeout, extra)
                entry["excluded"] = excluded
                entry["rss_mb"], entry["peak_rss_mb"] = memory_mb(server.process.pid)
                say(
                    f"  resident {entry['rss_mb']:.0f} MB (process tree, shared pages once; sum of peaks {entry['peak_rss_mb']:.0f} MB)"
                )
            finally:
                server.stop()
            result["http"][name] = entry
    print_question_table(result, queries)
    print_ratios(result)
    return result


def pair(q: dict | None) -> str:
    """p50/p95 in ms, or what stopped the question."""
    if not q:
        return "-"
    if "timeout" in q:
        return f">{q['timeout']:.0f}s"
    return f"{ms(q.get('p50'))}/{ms(q.get('p95'))}"


def print_question_table(result: dict, queries: list[tuple[str, str]]) -> None:
    ox = result["inprocess"].get("oxigraph", {}).get("questions", {})
    rd = result["inprocess"].get("rdflib", {}).get("questions", {})
    servers = [s for s in ("epkg", "oxigraph", "rdflib-endpoint") if result["http"].get(s, {}).get("runs")]
    head = f"{'question':32} {'rows':>6} {'oxigraph':>14} {'rdflib':>14}"
    for s in servers:
        head += f" {s + ' cold':>18}"
    head += f" {'epkg repeated':>15}" if "epkg" in servers else ""
    say("\nper question, p50/p95 in ms (in-process: the engine writing SPARQL JSON; HTTP: concurrency 1)")
    say(head)
    for name, _ in queries:
        o, r = ox.get(name), rd.get(name)
        line = f"{name:32} {o.get('rows', '-') if o else '-':>6} "
        line += f"{pair(o):>14} {pair(r):>14}"
        for s in servers:
            q = result["http"][s]["runs"].get("cold@1", {}).get("questions", {}).get(name, {})
            line += f" {(ms(q.get('p50')) + '/' + ms(q.get('p95'))):>18}"
        if "epkg" in servers:
            q = result["http"]["epkg"]["runs"].get("repeated@1", {}).get("questions", {}).get(name, {})
            line += f" {(ms(q.get('p50')) + '/' + ms(q.get('p95'))):>15}"
        say(line)


def question_ratios(result: dict, server: str, against: str, mode: str = "cold@1") -> list[float]:
    """Per question: p50 of ``server`` over HTTP / p50 of ``against`` (another server, or
    ``inprocess`` for the in-process pyoxigraph engine)."""
    mine = result["http"].get(server, {}).get("runs", {}).get(mode, {}).get("questions", {})
    if against == "inprocess":
        theirs = {k: v for k, v in result["inprocess"].get("oxigraph", {}).get("questions", {}).items()}
    else:
        theirs = result["http"].get(against, {}).get("runs", {}).get(mode, {}).get("questions", {})
    ratios = []
    for name, q in mine.items():
        t = theirs.get(name)
        if q.get("p50") and t and t.get("p50"):
            ratios.append(q["p50"] / t["p50"])
    return ratios


def print_ratios(result: dict) -> None:
    http = result["http"]
    if not http.get("epkg", {}).get("runs"):
        return
    triples = result["triples"]
    say("\nours (epkg serve) against the targets:")

    def describe(values: list[float]) -> str:
        if not values:
            return "-"
        values = sorted(values)
        return f"median {percentile(values, 50):.2f}x, worst {values[-1]:.2f}x over {len(values)} questions"

    inproc = question_ratios(result, "epkg", "inprocess")
    within = sum(1 for r in inproc if r <= TARGETS["http_over_inprocess"])
    say(
        f"  HTTP / in-process pyoxigraph (cold, c=1): {describe(inproc)}; "
        f"{within} of {len(inproc)} within {TARGETS['http_over_inprocess']}x"
    )
    for peer in ("oxigraph", "rdflib-endpoint"):
        if http.get(peer, {}).get("runs"):
            r = question_ratios(result, "epkg", peer)
            say(f"  epkg / {peer} per question p50 (cold, c=1): {describe(r)} (below 1 is faster)")
    repeated = http["epkg"]["runs"].get("repeated@1", {}).get("questions", {})
    worst = max((q["p50"] for q in repeated.values() if q.get("p50")), default=None)
    say(
        f"  repeated question p50 (c=1), worst question: {ms(worst)} ms (target <= {TARGETS['repeated_ms']} ms)"
    )
    for mode in ("cold", "repeated"):
        mine = http["epkg"]["runs"].get(f"{mode}@32", {}).get("throughput")
        for peer in ("oxigraph", "rdflib-endpoint"):
            theirs = http.get(peer, {}).get("runs", {}).get(f"{mode}@32", {}).get("throughput")
            if mine is not None and theirs:
                say(
                    f"  throughput at 32 clients ({mode}): epkg {mine:.1f} req/s, {peer} {theirs:.1f} req/s "
                    f"= {mine / theirs:.2f}x"
                )
    start = http["epkg"]["start_seconds"]
    target = (
        TARGETS["cold_start_real_s"]
        if triples < 50_000
        else TARGETS["cold_start_1m_s"] * max(1, triples / 1e6)
    )
    say(
        f"  cold start {start:.2f} s (target for this size {target:.1f} s); resident "
        f"{http['epkg']['rss_mb']:.0f} MB = {http['epkg']['rss_mb'] / (triples / 1e6):.0f} MB per million triples"
    )


def _get(d: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _s(value: float | None, unit: str = " s") -> str:
    return "-" if value is None else f"{value:.1f}{unit}" if value >= 10 else f"{value:.2f}{unit}"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} MB"


def markdown(results: list[dict]) -> str:
    """The figures as Markdown tables (for docs/benchmarks.md)."""
    out = [
        "| size | triples | pyoxigraph load / peak | rdflib load / peak | SHACL turbo | pySHACL | "
        "epkg serve start: first / restart / resident | oxigraph load + start / resident | "
        "rdflib-endpoint start / resident |",
        "|---|---:|---|---|---|---|---|---|---|",
    ]
    for r in results:
        cells = [r["label"], f"{r['triples']:,}"]
        for engine in ("oxigraph", "rdflib"):
            load = _get(r, "inprocess", engine, "load")
            peak = _get(r, "inprocess", engine, "peak_rss_mb")
            cells.append(f"{_s(load['seconds'])} / {_mb(peak)}" if load else "skipped")
        for engine in ("turbo", "pyshacl"):
            entry = _get(r, "shacl", engine)
            done = _get(r, "shacl", engine, "done")
            cells.append(
                _s(done["seconds"]) if done else f"> {entry['budget']:.0f} s" if entry else "skipped"
            )
        epkg = r["http"].get("epkg", {})
        if epkg.get("runs"):
            skip = " (--skip-checks)" if "--skip-checks" in epkg.get("options", []) else ""
            cells.append(
                f"{_s(epkg.get('first_start_seconds'))}{skip} / {_s(epkg['start_seconds'])} / "
                f"{_mb(epkg.get('rss_mb'))}"
            )
        else:
            cells.append("-")
        ox = r["http"].get("oxigraph", {})
        cells.append(
            f"{_s(ox['prepare_seconds'])} + {_s(ox['start_seconds'])} / {_mb(ox.get('rss_mb'))}"
            if ox.get("runs")
            else "-"
        )
        rd = r["http"].get("rdflib-endpoint", {})
        cells.append(f"{_s(rd['start_seconds'])} / {_mb(rd.get('rss_mb'))}" if rd.get("runs") else "skipped")
        out.append("| " + " | ".join(cells) + " |")

    modes = [(m, c) for m in ("cold", "repeated") for c in (1, 8, 32)]
    out += [
        "",
        "Over HTTP, all questions round-robin: throughput (requests/s), p50 / p95 latency (ms); cold = every "
        "request's text is new, repeated = the same text again.",
        "",
        "| size | server | floor (ASK {}) | " + " | ".join(f"{m} c={c}" for m, c in modes) + " |",
        "|---|---|---:|" + "---|" * len(modes),
    ]
    for r in results:
        for server in ("epkg", "oxigraph", "rdflib-endpoint"):
            entry = r["http"].get(server, {})
            if not entry.get("runs"):
                continue
            cells = [r["label"], server, ms(entry.get("floor_p50"))]
            for mode, c in modes:
                run = entry["runs"].get(f"{mode}@{c}")
                if not run:
                    cells.append("-")
                    continue
                text = f"{run['throughput']:.1f}/s, {ms(run['p50'])} / {ms(run['p95'])}"
                refused = run["errors"].get("HTTP 429", 0)
                failed = sum(run["errors"].values()) - refused
                notes = [f"{refused} refused (429)"] * bool(refused) + [f"{failed} failed"] * bool(failed)
                cells.append(text + (f" ({', '.join(notes)})" if notes else ""))
            out.append("| " + " | ".join(cells) + " |")

    for r in results:
        names = list(_get(r, "inprocess", "oxigraph", "questions") or {})
        if not names:
            continue
        out += [
            "",
            f"Per question at {r['label']} ({r['triples']:,} triples): p50 / p95 in ms; in process = the engine "
            "answering in SPARQL JSON; HTTP at concurrency 1.",
            "",
            "| question | rows | pyoxigraph | rdflib | epkg cold | oxigraph serve | rdflib-endpoint | "
            "epkg repeated | epkg cold / in-process |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in names:
            o = _get(r, "inprocess", "oxigraph", "questions", name) or {}
            rd = _get(r, "inprocess", "rdflib", "questions", name)
            cells = [name, str(o.get("rows", "-")), pair(o), pair(rd)]
            for server, mode in (
                ("epkg", "cold@1"),
                ("oxigraph", "cold@1"),
                ("rdflib-endpoint", "cold@1"),
                ("epkg", "repeated@1"),
            ):
                q = _get(r, "http", server, "runs", mode, "questions", name)
                excluded = name in (_get(r, "http", server, "excluded") or [])
                cells.append("timed out" if excluded and not (q and q.get("n")) else pair(q) if q else "-")
            mine = _get(r, "http", "epkg", "runs", "cold@1", "questions", name, "p50")
            cells.append(ratio(mine, o.get("p50")))
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def plot(results: list[dict], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    xs = [r["triples"] for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))

    def median_of(values: list[float | None]) -> float | None:
        present = [v for v in values if v]
        return percentile(present, 50) if present else None

    series: dict[str, list[float | None]] = {}
    for r in results:
        for engine in ("oxigraph", "rdflib"):
            qs = r["inprocess"].get(engine, {}).get("questions", {})
            series.setdefault(f"{engine} in process", []).append(
                median_of([q.get("p50") for q in qs.values()])
            )
        for server in ("epkg", "oxigraph", "rdflib-endpoint"):
            runs = r["http"].get(server, {}).get("runs", {})
            for mode in ("cold", "repeated") if server == "epkg" else ("cold",):
                qs = runs.get(f"{mode}@1", {}).get("questions", {})
                label = f"{'epkg serve' if server == 'epkg' else server + (' serve' if server == 'oxigraph' else '')}"
                label += f" HTTP {mode}" if server == "epkg" else " HTTP"
                series.setdefault(label, []).append(median_of([q.get("p50") for q in qs.values()]))
    for label, values in series.items():
        points = [(x, v * 1000) for x, v in zip(xs, values, strict=True) if v]
        if points:
            left.plot(*zip(*points, strict=True), marker="o", label=label)
    left.set(
        xscale="log",
        yscale="log",
        xlabel="triples",
        ylabel="median over questions of p50 latency (ms)",
        title="Latency per question (concurrency 1)",
    )
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)

    loads: dict[str, list[float | None]] = {}
    for r in results:
        for engine in ("oxigraph", "rdflib"):
            load = r["inprocess"].get(engine, {}).get("load")
            loads.setdefault(f"{engine} in process: load", []).append(load["seconds"] if load else None)
        for server in ("epkg", "oxigraph", "rdflib-endpoint"):
            entry = r["http"].get(server, {})
            start = entry.get("start_seconds")
            total = start + entry.get("prepare_seconds", 0.0) if start is not None else None
            label = {
                "epkg": "epkg serve: restart",
                "oxigraph": "oxigraph: load + start",
                "rdflib-endpoint": "rdflib-endpoint: start",
            }[server]
            loads.setdefault(label, []).append(total)
        first = r["http"].get("epkg", {}).get("first_start_seconds")
        checked = "--skip-checks" not in r["http"].get("epkg", {}).get("options", [])
        loads.setdefault("epkg serve: first start, with checks", []).append(first if checked else None)
    for label, values in loads.items():
        points = [(x, v) for x, v in zip(xs, values, strict=True) if v]
        if points:
            right.plot(*zip(*points, strict=True), marker="o", label=label)
    right.set(xscale="log", yscale="log", xlabel="triples", ylabel="seconds", title="Load and start time")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8)
    fig.suptitle(
        f"epkg at scale ({os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()})"
    )
    fig.tight_layout()
    path = out / "scale.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [path]


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError), open("/proc/meminfo") as f:
        memory = f", {int(f.readline().split()[1]) / 1024 / 1024:.0f} GB memory"
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in (
        "pyoxigraph",
        "oxigraph",
        "rdflib",
        "rdflib-endpoint",
        "pyshacl",
        "pyshacl-turbo",
        "httpx",
    ):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated sizes (default 10k,100k,1M)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per HTTP run (default 5)")
    parser.add_argument("--concurrency", default="1,8,32", help="client counts (default 1,8,32)")
    parser.add_argument("--servers", default="epkg,oxigraph,rdflib-endpoint")
    parser.add_argument(
        "--rdflib-max",
        type=scale.parse_size,
        default=scale.parse_size("1.2M"),
        help="in-process rdflib and rdflib-endpoint up to this many triples (default 1.2M)",
    )
    parser.add_argument(
        "--pyshacl-max",
        type=scale.parse_size,
        default=scale.parse_size("50k"),
        help="pySHACL up to this many triples (default 50k)",
    )
    parser.add_argument(
        "--seconds-per-question",
        type=float,
        default=1.0,
        help="in-process repetitions per question and engine, in seconds (default 1)",
    )
    parser.add_argument("--max-runs", type=int, default=50)
    parser.add_argument(
        "--inprocess-budget",
        type=float,
        default=300.0,
        help="seconds for load and all questions in process with pyoxigraph (default 300)",
    )
    parser.add_argument(
        "--rdflib-budget", type=float, default=300.0, help="the same with rdflib (default 300)"
    )
    parser.add_argument(
        "--shacl-budget", type=float, default=300.0, help="seconds per SHACL engine (default 300)"
    )
    parser.add_argument("--start-timeout", type=float, default=600.0)
    parser.add_argument(
        "--request-timeout", type=float, default=30.0, help="seconds per HTTP request (default 30)"
    )
    parser.add_argument(
        "--round-budget",
        type=float,
        default=60.0,
        help="seconds to ask every question once over HTTP at concurrency 1 (default 60)",
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-inprocess", action="store_true")
    parser.add_argument("--epkg-skip-checks", action="store_true", help="start epkg serve with --skip-checks")
    parser.add_argument("--skip-shacl", action="store_true")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--home", type=Path, default=ROOT, help="the project to grow (default: this checkout)"
    )
    parser.add_argument(
        "--work", type=Path, help="where the generated projects go (default: a temporary folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--json", type=Path, help="write all figures to this file")
    parser.add_argument("--plot", type=Path, help="draw the figures into this folder (scale.png)")
    parser.add_argument(
        "--from",
        dest="from_json",
        type=Path,
        nargs="+",
        help="no run: take the figures of earlier --json files (for --plot and --markdown)",
    )
    parser.add_argument("--markdown", action="store_true", help="print the figures as Markdown tables")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, home, engine, *rest = args.child
        if kind == "inprocess":
            skip = set(rest[3].split(",")) if len(rest) > 3 and rest[3] else set()
            child_inprocess(Path(home), engine, float(rest[0]), int(rest[1]), float(rest[2]), skip)
        else:
            child_validate(Path(home), engine)
        return 0
    if args.from_json:
        by_label: dict[str, dict] = {}
        for path in args.from_json:  # later files add to (and replace parts of) earlier ones
            for r in json.loads(path.read_text())["results"]:
                known = by_label.setdefault(r["label"], r)
                if known is not r:
                    before = known["http"].get("epkg", {})
                    for part in ("inprocess", "shacl", "http"):
                        known[part].update(r[part])
                    after = known["http"].get("epkg", {})
                    if "--skip-checks" in after.get("options", []) and "--skip-checks" not in before.get(
                        "options", ["--skip-checks"]
                    ):  # keep the earlier run's first start with checks
                        after["first_start_seconds"] = before.get("first_start_seconds")
                        after["options"] = [o for o in after["options"] if o != "--skip-checks"]
        merged = sorted(by_label.values(), key=lambda r: r["triples"])
        if args.markdown:
            print(markdown(merged))
        if args.plot:
            for path in plot(merged, args.plot):
                say(f"plot: {path}")
        return 0
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    sizes = [(s.strip(), scale.parse_size(s)) for s in args.sizes.split(",") if s.strip()]

    work = args.work or Path(tempfile.mkdtemp(prefix="epkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    say(f"machine: {machine()}")
    say(f"versions: {', '.join(f'{k} {v}' for k, v in versions().items())}")
    results = []
    try:
        for label, target in sizes:
            home = work / label
            scale.generate(home, triples=target, seed=args.seed, home=args.home, log=say)
            results.append(bench_size(label, home, args, work))
            if args.json:
                args.json.write_text(
                    json.dumps(
                        {
                            "machine": machine(),
                            "versions": versions(),
                            "args": {k: str(v) for k, v in vars(args).items()},
                            "results": results,
                        },
                        indent=1,
                    )
                )
            if not args.keep:
                shutil.rmtree(home, ignore_errors=True)
    finally:
        shutil.rmtree(work / "oxigraph-db", ignore_errors=True)
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.plot:
        for path in plot(results, args.plot):
            say(f"plot: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
