"""How long SHACL validation of the real graph takes with pySHACL and with pyshacl-turbo,
and whether the two engines agree; then, with ``--sizes``, how validation grows with the graph.

    python benchmarks/validation.py [--runs 3]
    python benchmarks/validation.py --sizes real,100k,1M [--baseline-rev 02330f3] [--baseline-timeout 300]

Loads ontology + data and the shapes once, then validates the same rdflib graphs with each
engine ``--runs`` times (the engines' own calls, as ``epkg validate`` makes them: no inference,
SHACL-AF on for the SPARQL target, warnings and infos allowed). Prints the median and the
spread of each, the ratio, and compares the two reports: the conforms value and the sets of
(focus node, source shape, severity, value) of their results. Exit code 1 if they disagree.

``--sizes``: for the real graph and graphs grown by ``benchmarks/scale.py`` (written under
``--scratch``, /tmp by default), in a child process each: the time ``epkg validate`` takes today
(the files loaded into a pyoxigraph store, validated with turbo) beside the time before the
linear-checks rewrite (``--baseline-rev``: that commit's shapes, the data as an rdflib graph, as
``epkg validate`` then ran it; stopped after ``--baseline-timeout`` seconds), and whether the two
give the same findings (severity, focus node, shape, path, value). Exit code 1 if they differ.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import BNode, Graph  # noqa: E402
from rdflib.namespace import SH  # noqa: E402

from api.graph import Project, load_graph  # noqa: E402
from api.validation import count_shapes, load_shapes, run_engine, turbo_installed  # noqa: E402


def result_keys(report: Graph) -> set[tuple[str, str, str, str]]:
    keys = set()
    for result in report.objects(None, SH.result):
        focus, shape = report.value(result, SH.focusNode), report.value(result, SH.sourceShape)
        keys.add(
            (
                "_:blank" if isinstance(focus, BNode) else str(focus),
                "_:blank" if isinstance(shape, BNode) else str(shape),
                str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(report.value(result, SH.value)),
            )
        )
    return keys


def conforms(report: Graph) -> bool:
    return any(value.toPython() is True for value in report.objects(None, SH.conforms))


def measure(engine: str, data: Graph, shapes: Graph, runs: int) -> tuple[list[float], Graph]:
    times, report = [], None
    for _ in range(runs):
        started = time.perf_counter()
        report = run_engine(engine, data, shapes)
        times.append(time.perf_counter() - started)
    return times, report


def describe(times: list[float]) -> str:
    return f"median {statistics.median(times):7.2f} s  (min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"


# --- at scale: today's validation beside the one before the linear-checks rewrite ----------

ROOT = Path(__file__).resolve().parent.parent
BASELINE_REV = "02330f3"  # the last commit with the per-focus-node shapes (38x the time for 5.6x the data)


def child(home: Path, shapes_file: Path | None) -> None:
    """Validates one project folder and prints its figures as one JSON line (run in a subprocess).
    Without ``shapes_file``: as ``epkg validate`` does today. With it: those shapes, on an rdflib graph."""
    from api.graph import load_files
    from api.validation import load_store, validate

    project = Project(home=home)
    started = time.perf_counter()
    if shapes_file is None:
        data, shapes = load_store(project.content_files()), load_shapes(project)
    else:
        data, shapes = load_graph(project), load_files([shapes_file])
    loaded = time.perf_counter() - started
    result = validate(data, shapes, "turbo")
    findings = sorted(
        {(f.severity, f.focus_node, f.shape, f.path or "", f.value or "") for f in result.findings}
    )
    figures = {"triples": len(data), "load": loaded, "validate": result.seconds, "findings": findings}
    if shapes_file is None:  # the rest of epkg serve's start-up check (api/service.py startup_check)
        from api.service import check_sources, content_hash

        started = time.perf_counter()
        check_sources(project, data)
        figures["sources"] = time.perf_counter() - started
        started = time.perf_counter()
        content_hash(project)  # all a restart with the same files pays: the check is remembered
        figures["restart"] = time.perf_counter() - started
    print(json.dumps(figures))


def run_child(home: Path, shapes_file: Path | None, timeout: float) -> dict | None:
    command = [sys.executable, __file__, "--child", str(home)]
    if shapes_file is not None:
        command += ["--child-shapes", str(shapes_file)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"validating {home} failed:\n{exc.stderr[-2000:]}") from None
    return json.loads(done.stdout.strip().splitlines()[-1])


def baseline_shapes(rev: str, scratch: Path) -> Path | None:
    """The shapes file of ``rev``, from git (None where this is not a git checkout)."""
    try:
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:shapes/epkg-shapes.ttl"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = scratch / f"shapes-{rev}.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def project_home(size: str, scratch: Path) -> Path:
    if size == "real":
        return ROOT
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale

    out = scratch / f"epkg-validation-{size}"
    if not (out / "scale.json").is_file():
        scale.generate(out, triples=scale.parse_size(size), log=lambda *_: None)
    return out


def at_scale(sizes: list[str], rev: str, timeout: float, scratch: Path) -> int:
    scratch.mkdir(parents=True, exist_ok=True)
    old_shapes = baseline_shapes(rev, scratch)
    print(
        f"\nat scale: today (pyoxigraph store, turbo) beside {rev} (rdflib graph, turbo; "
        f"stopped after {timeout:.0f} s); seconds"
    )
    print(
        f"{'graph':>8} {'triples':>10} {'load':>6} {'validate':>9} {'findings':>9} | "
        f"{'old load':>8} {'old validate':>12} {'same findings':>14}"
    )
    differ = False
    for size in sizes:
        home = project_home(size, scratch)
        new = run_child(home, None, timeout=max(timeout, 600))
        assert new is not None
        old = run_child(home, old_shapes, timeout) if old_shapes is not None else None
        if old is None:
            stopped = f"> {timeout:.0f}" if old_shapes else "no git"
            old_text, same = f"{'-':>8} {stopped:>12}", "not compared"
        else:
            old_text = f"{old['load']:8.2f} {old['validate']:12.2f}"
            same = "yes" if old["findings"] == new["findings"] else "NO"
            differ |= same == "NO"
            for key in sorted(set(map(tuple, old["findings"])) ^ set(map(tuple, new["findings"])))[:10]:
                print("  differs:", *key)
        print(
            f"{size:>8} {new['triples']:>10,} {new['load']:6.2f} {new['validate']:9.2f} "
            f"{len(new['findings']):>9} | {old_text} {same:>14}",
            flush=True,
        )
        first = new["load"] + new["validate"] + new["sources"]
        print(
            f"{'':>8} start-up check: {first:.2f} s on a first start (load, validate, quotes "
            f"{new['sources']:.2f}); {new['restart']:.2f} s to recognise the same files on a restart"
        )
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per engine (default 3)")
    parser.add_argument(
        "--sizes", help="real and grown graphs to validate, e.g. real,100k,1M (skips the engine comparison)"
    )
    parser.add_argument(
        "--baseline-rev", default=BASELINE_REV, help=f"the shapes to compare with (default {BASELINE_REV})"
    )
    parser.add_argument(
        "--baseline-timeout", type=float, default=300, help="seconds before the old validation is stopped"
    )
    parser.add_argument("--scratch", type=Path, default=Path("/tmp"), help="where grown graphs are written")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-shapes", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.child_shapes)
        return 0
    if args.sizes:
        return at_scale(args.sizes.split(","), args.baseline_rev, args.baseline_timeout, args.scratch)

    project = Project.from_settings()
    started = time.perf_counter()
    data, shapes = load_graph(project), load_shapes(project)
    nodes, properties = count_shapes(shapes)
    print(
        f"graph: {len(data):,} triples from {len(project.content_files())} files; shapes: {nodes} node, "
        f"{properties} property ({len(shapes):,} triples); loaded in {time.perf_counter() - started:.2f} s"
    )
    print(f"python {platform.python_version()} on {platform.machine()}")

    import pyshacl

    times_py, report_py = measure("pyshacl", data, shapes, args.runs)
    print(f"pySHACL {pyshacl.__version__:<10} {describe(times_py)}")
    if not turbo_installed():
        print("pyshacl-turbo is not installed: nothing to compare (pip install 'epkg[fast]')")
        return 0
    import pyshacl_turbo

    times_turbo, report_turbo = measure("turbo", data, shapes, max(args.runs, 3))
    print(f"turbo   {pyshacl_turbo.__version__:<10} {describe(times_turbo)}")
    ratio = statistics.median(times_py) / statistics.median(times_turbo)
    print(f"ratio: pyshacl-turbo is {ratio:.0f}x faster than pySHACL (median against median)")

    keys_py, keys_turbo = result_keys(report_py), result_keys(report_turbo)
    by_severity = Counter(k[2] for k in keys_py)
    print(
        f"results: {len(keys_py)} ({', '.join(f'{n} {s}' for s, n in sorted(by_severity.items()))}); "
        f"conforms pySHACL {conforms(report_py)}, turbo {conforms(report_turbo)}"
    )
    agree = keys_py == keys_turbo and conforms(report_py) == conforms(report_turbo)
    if agree:
        print(
            "the engines agree: same conforms value, same (focus node, source shape, severity, value) results"
        )
        return 0
    print("the engines DISAGREE:")
    for key in sorted(keys_py - keys_turbo):
        print("  only pySHACL:", *key)
    for key in sorted(keys_turbo - keys_py):
        print("  only turbo:  ", *key)
    return 1


if __name__ == "__main__":
    sys.exit(main())
