"""How long SHACL validation of the real graph takes with pySHACL and with pyshacl-turbo,
and whether the two engines agree.

    python benchmarks/validation.py [--runs 3]

Loads ontology + data and the shapes once, then validates the same rdflib graphs with each
engine ``--runs`` times (the engines' own calls, as ``epkg validate`` makes them: no inference,
SHACL-AF on for the SPARQL target, warnings and infos allowed). Prints the median and the
spread of each, the ratio, and compares the two reports: the conforms value and the sets of
(focus node, source shape, severity, value) of their results. Exit code 1 if they disagree.
"""

from __future__ import annotations

import argparse
import platform
import statistics
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
        keys.add((
            "_:blank" if isinstance(focus, BNode) else str(focus),
            "_:blank" if isinstance(shape, BNode) else str(shape),
            str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(report.value(result, SH.value)),
        ))
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per engine (default 3)")
    args = parser.parse_args()

    project = Project.from_settings()
    started = time.perf_counter()
    data, shapes = load_graph(project), load_shapes(project)
    nodes, properties = count_shapes(shapes)
    print(f"graph: {len(data):,} triples from {len(project.content_files())} files; shapes: {nodes} node, "
          f"{properties} property ({len(shapes):,} triples); loaded in {time.perf_counter() - started:.2f} s")
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
    print(f"results: {len(keys_py)} ({', '.join(f'{n} {s}' for s, n in sorted(by_severity.items()))}); "
          f"conforms pySHACL {conforms(report_py)}, turbo {conforms(report_turbo)}")
    agree = keys_py == keys_turbo and conforms(report_py) == conforms(report_turbo)
    if agree:
        print("the engines agree: same conforms value, same (focus node, source shape, severity, value) results")
        return 0
    print("the engines DISAGREE:")
    for key in sorted(keys_py - keys_turbo):
        print("  only pySHACL:", *key)
    for key in sorted(keys_turbo - keys_py):
        print("  only turbo:  ", *key)
    return 1


if __name__ == "__main__":
    sys.exit(main())
