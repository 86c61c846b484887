"""The SHACL shapes: the shipped data passes, every structural rule can fail, the engines agree.

Each file in tests/shapes/ is one small example. Its first line says what is wrong; then one
``# expect: <shape> <focus node> [<value>]`` line per result it must produce.
``*.invalid.ttl``: validated with the ontology and the reference data, it must produce exactly
the expected violations. ``*.warning.ttl``: it must produce exactly the expected completeness
findings of the shapes it names, and no violation.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SH

from api import validation
from api.cli import main
from api.graph import BASE, EPKG, load_files
from api.graph import SHAPES
from api.errors import ProjectError
from api.validation import count_shapes, load_shapes, run_engine, validate

EXAMPLES = Path(__file__).resolve().parent / "shapes"
EXPECT = re.compile(r"^# expect: <([^>]+)> <([^>]+)>(?: <([^>]+)>)?\s*$")
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
TURBO = pytest.mark.skipif(not validation.turbo_installed(), reason="pyshacl-turbo is not installed")


def _examples(kind: str) -> list[Path]:
    return sorted(EXAMPLES.glob(f"*.{kind}.ttl"))


def _expectations(path: Path) -> set[tuple[str, ...]]:
    expected = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            expected.add(tuple(g for g in match.groups() if g))
    return expected


@pytest.fixture(scope="session")
def shapes(project) -> Graph:
    return load_shapes(project)


@pytest.fixture(scope="session")
def shipped(graph, shapes):
    return validate(graph, shapes)


@pytest.fixture(scope="session")
def context_files(project) -> list[Path]:
    """What an example is validated with: the vocabulary and the reference data."""
    return sorted((project.home / "ontology").glob("*.ttl")) + sorted(
        (project.home / "data" / "reference").glob("*.ttl")
    )


@pytest.fixture(scope="session")
def context_violations(context_files, shapes) -> set[tuple[str, str]]:
    result = validate(load_files(context_files), shapes)
    return {(f.shape, f.focus_node) for f in result.findings if f.severity == "Violation"}


def _validate_example(path: Path, context_files: list[Path], shapes: Graph):
    return validate(load_files(context_files + [path]), shapes)


# --- the shapes graph ---------------------------------------------------------------


def test_the_shapes_graph_has_its_metadata(shapes):
    header = URIRef(BASE + "shapes")
    assert (header, RDF.type, OWL.Ontology) in shapes
    assert shapes.value(header, OWL.versionIRI) == URIRef(BASE + "shapes/1.0.0")
    assert shapes.value(header, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert shapes.value(header, DCTERMS.created).datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")


def test_every_ontology_class_has_a_node_shape(project, shapes):
    ontology = load_files([project.home / "ontology" / "epkg.ttl"])
    classes = sorted(c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(EPKG)))
    assert len(classes) == 30
    for cls in classes:
        shape = URIRef(SHAPES + str(cls).removeprefix(str(EPKG)) + "Shape")
        assert (shape, RDF.type, SH.NodeShape) in shapes, shape
        assert (shape, SH.targetClass, cls) in shapes, shape
        assert list(shapes.objects(shape, SH.property)), f"{shape} states no rule"


def _named_shapes(shapes: Graph) -> set[URIRef]:
    return {
        s
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, kind)
        if isinstance(s, URIRef)
    }


def test_every_rule_is_a_named_shape_that_explains_itself(shapes):
    named = _named_shapes(shapes)
    # Shapes with targets, and their property shapes, have stable IRIs: no anonymous rules.
    targeted = {s for p in TARGETS for s in shapes.subjects(p, None)}
    assert targeted <= named
    assert {p for s in targeted for p in shapes.objects(s, SH.property)} <= named
    for shape in named:
        assert str(shape).startswith(SHAPES), shape
        assert shapes.value(shape, SH.name) is not None, f"{shape} has no sh:name"
        description = shapes.value(shape, SH.description)
        assert isinstance(description, Literal) and description.language == "en", (
            f"{shape} has no sh:description"
        )
        messages = [m for m in shapes.objects(shape, SH.message) if m.language == "en"]
        assert len(messages) == 1, f"{shape} needs one English sh:message"
        if (shape, RDF.type, SH.PropertyShape) in shapes or shapes.value(shape, SH.sparql) is not None:
            assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning, SH.Info), (
                f"{shape} states no severity"
            )


def _structural_shapes(shapes: Graph) -> set[str]:
    """Named shapes that report violations themselves (not only through their property shapes)."""
    own_constraints = {
        SH["class"],
        SH.datatype,
        SH.minCount,
        SH.maxCount,
        SH.qualifiedMinCount,
        SH["in"],
        SH.hasValue,
        SH["or"],
        SH["not"],
        SH.node,
        SH.nodeKind,
        SH.pattern,
        SH.minLength,
        SH.uniqueLang,
        SH.languageIn,
        SH.minInclusive,
        SH.sparql,
    }
    return {
        str(s)
        for s in _named_shapes(shapes)
        if shapes.value(s, SH.severity, default=SH.Violation) == SH.Violation
        and any(p in own_constraints for p in shapes.predicates(s, None))
        and ((None, SH.property, s) in shapes or any(shapes.value(s, t) is not None for t in TARGETS))
    }


def test_shape_counts(shapes):
    nodes, properties = count_shapes(shapes)
    assert nodes >= 30 and properties >= 50
    assert len(_structural_shapes(shapes)) >= 70


# --- the shipped data: the CI gate -----------------------------------------------------------


def test_shipped_data_has_no_violations(shipped):
    violations = [f for f in shipped.findings if f.severity == "Violation"]
    assert not violations, "\n".join(
        f"{f.focus_node} ({f.label}): {f.message} [{f.shape} {f.path or ''} {f.value or ''}]"
        for f in violations
    )


def test_the_coverage_findings_are_the_gaps_the_catalogue_reports(shipped, catalogue, project):
    """The completeness shape and queries/plan-goal-gaps.rq must name the same (plan, goal) cells."""
    from api.store import open_store

    shape = SHAPES + "EmploymentPlan-answers-minister-goals"
    findings = [f for f in shipped.findings if f.shape == shape]
    assert all(f.severity == "Warning" for f in findings)
    pairs = sorted((f.focus_node, f.value) for f in findings)
    store, question = open_store("oxigraph", project), catalogue["plan-goal-gaps"]
    gaps = sorted(
        (str(row["plan"]), str(row["goal"]))
        for year in ("2017", "2019")
        for row in store.select(question.render(question.bind({"year": year}))).records()
    )
    # Every plan answers every goal of its years with some link: Sønderborg's 2017/4, once a gap when
    # only measures counted, has its integration group, objective and targets (tests/test_views_agree.py).
    assert pairs == gaps == []


def test_findings_name_resources_by_their_label(shipped, graph):
    for finding in shipped.findings:
        labels = {
            str(lb) for lb in graph.objects(URIRef(finding.focus_node), RDFS.label) if lb.language == "en"
        }
        if labels:
            assert finding.label in labels
        assert finding.message and not finding.message.startswith("(no message")


# --- both directions: every structural shape can fail -------------------------------------------


@pytest.mark.parametrize("path", _examples("invalid"), ids=lambda p: p.name.removesuffix(".invalid.ttl"))
def test_invalid_example_produces_exactly_the_expected_violations(
    path, context_files, context_violations, shapes
):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and not first.startswith("# expect:"), (
        "the first line must say what is wrong"
    )
    expected = _expectations(path)
    assert expected, "no '# expect: <shape> <focus node>' line"
    result = _validate_example(path, context_files, shapes)
    found = {
        (f.shape, f.focus_node) for f in result.findings if f.severity == "Violation"
    } - context_violations
    assert found == {e[:2] for e in expected}


@pytest.mark.parametrize("path", _examples("warning"), ids=lambda p: p.name.removesuffix(".warning.ttl"))
def test_completeness_example_produces_exactly_the_expected_findings(
    path, context_files, context_violations, shapes
):
    expected = _expectations(path)
    assert expected
    result = _validate_example(path, context_files, shapes)
    assert {
        (f.shape, f.focus_node) for f in result.findings if f.severity == "Violation"
    } <= context_violations
    named = {e[0] for e in expected}
    with_values = any(len(e) == 3 for e in expected)
    found = {
        (f.shape, f.focus_node, f.value) if with_values else (f.shape, f.focus_node)
        for f in result.findings
        if f.shape in named
        and f.severity != "Violation"
        and f.focus_node.startswith(BASE)
        and "/example" in f.focus_node
    }
    assert found == expected


def test_every_structural_shape_is_the_expected_source_of_an_invalid_example(shapes):
    covered = {e[0] for path in _examples("invalid") for e in _expectations(path)}
    missing = sorted(s.removeprefix(SHAPES) for s in _structural_shapes(shapes) - covered)
    assert not missing, f"structural shapes no example makes fail: {missing}"
    unknown = sorted(s for s in covered if URIRef(s) not in _named_shapes(shapes))
    assert not unknown, f"examples expect shapes that do not exist: {unknown}"


def test_the_examples_are_named_after_the_shape_they_break():
    for path in _examples("invalid"):
        name = path.name.removesuffix(".invalid.ttl")
        assert SHAPES + name in {e[0] for e in _expectations(path)}, path.name


# --- the engines ----------------------------------------------------------------------------------


def _keys(report: Graph) -> set[tuple]:
    keys = set()
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        keys.add(
            (
                str(report.value(result, SH.sourceShape))
                if isinstance(report.value(result, SH.sourceShape), URIRef)
                else "_",
                str(focus) if isinstance(focus, URIRef) else "_",
                str(report.value(result, SH.resultSeverity)),
                str(report.value(result, SH.value)),
            )
        )
    return keys


@TURBO
def test_turbo_and_pyshacl_agree_on_every_example(context_files, shapes):
    # All examples at once: every shape fails somewhere in this graph, SPARQL ones included.
    data = load_files(context_files + _examples("invalid") + _examples("warning"))
    reference, turbo = run_engine("pyshacl", data, shapes), run_engine("turbo", data, shapes)
    assert _keys(turbo) == _keys(reference)
    assert len(_keys(reference)) > 80


def test_auto_takes_turbo_when_installed():
    expected = "turbo" if validation.turbo_installed() else "pyshacl"
    assert validation.resolve_engine("auto") == expected
    assert validation.resolve_engine("pyshacl") == "pyshacl"
    with pytest.raises(ValueError):
        validation.resolve_engine("jena")


def test_auto_falls_back_to_pyshacl_when_turbo_fails(monkeypatch, context_files, shapes):
    real = validation.run_engine

    def turbo_breaks(engine, data, shapes_graph):
        if engine == "turbo":
            raise validation.EngineError("turbo: simulated failure")
        return real(engine, data, shapes_graph)

    monkeypatch.setattr(validation, "turbo_installed", lambda: True)
    monkeypatch.setattr(validation, "run_engine", turbo_breaks)
    data = load_files(context_files + [EXAMPLES / "GoalLink-curated-needs-rationale.invalid.ttl"])
    result = validation.validate(data, shapes, "auto")
    assert result.engine == "pyshacl" and "simulated failure" in result.fallback
    assert (SHAPES + "GoalLink-curated-needs-rationale") in {f.shape for f in result.findings}
    with pytest.raises(validation.EngineError):
        validation.validate(data, shapes, "turbo")


# --- the command ------------------------------------------------------------------------------------


def test_epkg_validate_passes_the_shipped_data_and_reports_findings(capsys):
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert "0 violations" in out and "the data conforms" in out
    assert "Warnings:" in out
    assert re.search(r"validating [\d,]+ triples against \d+ shapes", err)
    assert re.search(r"done in [\d.]+ s", err)


def test_epkg_validate_json_and_turtle(capsys):
    assert main(["validate", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is True and report["counts"]["violations"] == 0
    assert report["counts"]["warnings"] == sum(1 for r in report["results"] if r["severity"] == "Warning")
    assert set(report["results"][0]) == {
        "severity",
        "focus_node",
        "label",
        "shape",
        "path",
        "value",
        "value_label",
        "message",
    }
    assert main(["validate", "--format", "turtle"]) == 0
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(list(graph.subjects(RDF.type, SH.ValidationReport))) == 1


@pytest.fixture
def broken_project(tmp_path, project, monkeypatch):
    """A copy of the project whose data holds one invalid example: a curated link without rationale."""
    for folder in ("ontology", "shapes"):
        shutil.copytree(project.home / folder, tmp_path / folder)
    shutil.copytree(project.home / "data" / "reference", tmp_path / "data" / "reference")
    (tmp_path / "data" / "plans").mkdir()
    shutil.copy(
        EXAMPLES / "GoalLink-curated-needs-rationale.invalid.ttl", tmp_path / "data" / "plans" / "broken.ttl"
    )
    monkeypatch.setenv("EPKG_HOME", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("engine", ["pyshacl", pytest.param("turbo", marks=TURBO)])
def test_epkg_validate_fails_on_a_violation_and_says_which_rule(broken_project, capsys, engine):
    assert main(["validate", "--engine", engine]) == 1
    out, _err = capsys.readouterr()
    assert "Violations: 2 on 2 resources" in out  # no rationale; an English one only
    assert "does not say why in both languages" in out  # the rule in words
    assert "Example measure → Minister goal 2017 no. 1" in out  # the resource by its label
    assert "epkgsh:GoalLink-curated-needs-rationale" in out
    assert "the data does NOT conform" in out


# --- linear checks: SPARQL targets and the store -------------------------------------------------

# Shapes whose sh:SPARQLTarget picks, in one whole-graph query, the focus nodes that have a finding
# (benchmarks/validation.py --sizes): with the class target they had before, every instance was
# asked, and the findings must be the same.
SPARQL_TARGETED = {
    "EmploymentPlan-answers-minister-goals": EPKG.PolicyDocument,
    "GoalLink-derivation-ends-at-a-root": EPKG.GoalLink,
}


def _with_class_targets(shapes: Graph) -> Graph:
    copy = Graph()
    for triple in shapes:
        copy.add(triple)
    for name, cls in SPARQL_TARGETED.items():
        shape = URIRef(SHAPES + name)
        assert (shape, SH.target, None) in copy, f"{name} has no SPARQL target any more"
        copy.remove((shape, SH.target, None))
        copy.add((shape, SH.targetClass, cls))
    return copy


def _rows(result) -> set[tuple]:
    return {(f.severity, f.focus_node, f.shape, f.path, f.value) for f in result.findings}


def test_sparql_targets_miss_no_finding_of_the_class_targets(context_files, shapes):
    data = load_files(context_files + _examples("invalid") + _examples("warning"))
    targeted, per_instance = validate(data, shapes), validate(data, _with_class_targets(shapes))
    assert _rows(targeted) == _rows(per_instance)
    for name in SPARQL_TARGETED:  # the examples do break these shapes
        assert any(f.shape == SHAPES + name for f in targeted.findings), name


@pytest.mark.parametrize("engine", ["pyshacl", pytest.param("turbo", marks=TURBO)])
def test_a_store_gives_the_findings_of_an_rdflib_graph(context_files, shapes, engine):
    files = context_files + _examples("invalid") + _examples("warning")
    from_store = validate(validation.load_store(files), shapes, engine)
    from_graph = validate(load_files(files), shapes, engine)
    assert from_store.findings == from_graph.findings  # labels and messages included
    assert len(from_store.findings) > 80


def test_a_store_loads_only_turtle(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://w3id.org/epkg/x> <https://w3id.org/epkg/p> .\n", encoding="utf-8")
    with pytest.raises(ProjectError, match="broken.ttl is not valid Turtle"):
        validation.load_store([broken])
