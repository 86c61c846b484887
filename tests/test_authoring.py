"""The authoring workflow (epkg author, api/authoring/) on a small invented plan text,
tests/authoring/bakkedal-2019.txt, in a temporary copy of the project: never in data/."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from api.authoring.targets import parse_target
from api.cli import main as epkg

REPO = Path(__file__).resolve().parent.parent
TEXT = REPO / "tests" / "authoring" / "bakkedal-2019.txt"
SLUG = "bakkedal-2019"
REGISTER = ["register", str(TEXT), "--slug", SLUG, "--municipality", "999", "--title", "Beskæftigelsesplan 2019",
            "--start", "2019"]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The ontology, shapes, queries and reference data, no plans, and the invented municipality."""
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    shutil.copytree(REPO / "data" / "reference", tmp_path / "data" / "reference")
    (tmp_path / "data" / "plans").mkdir()
    (tmp_path / "data" / "sources").mkdir()
    with (tmp_path / "data" / "reference" / "organisations.ttl").open("a", encoding="utf-8") as out:
        out.write('\n<municipality/999> a epkg:Municipality ;\n    rdfs:label "Bakkedal Kommune"@da , "Bakkedal Municipality"@en .\n')
    return tmp_path


def author(home: Path, *args: str) -> int:
    return epkg(["author", "--home", str(home), *args])


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_register_copies_the_text_and_describes_it(home: Path) -> None:
    assert author(home, *REGISTER) == 0
    assert (home / "data" / "sources" / f"{SLUG}.txt").read_bytes() == TEXT.read_bytes()
    documents = (home / "data" / "reference" / "documents.ttl").read_text(encoding="utf-8")
    block = documents[documents.index(f"<plan/{SLUG}>") :]
    assert f'epkg:sha256 "{hashlib.sha256(TEXT.read_bytes()).hexdigest()}"^^xsd:hexBinary' in block
    assert "epkg:municipality <municipality/999>" in block
    assert 'epkg:periodStart "2019"^^xsd:gYear' in block and 'epkg:periodEnd "2019"^^xsd:gYear' in block
    assert f'<passage/{SLUG}/title> a epkg:Passage' in block


def test_find_returns_the_verbatim_passage_of_a_pdf_copy(home: Path, capsys) -> None:
    author(home, *REGISTER)
    capsys.readouterr()
    assert author(home, "find", SLUG, "Sprogundervis-\nning kombineres  med ”praktik”", "--json") == 0
    assert capsys.readouterr().out.strip() == (
        '{"found": true, "quote": "Sprogundervisning kombineres med praktik", "line": 29, '
        '"heading": "Flygtninge i job", "occurrences": 1}'
    )


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Antallet af kontanthjælpsmodtagere skal reduceres med 10 % frem til 2019.",
         (10, "percent", None, "2019", "xsd:gYear", "frem til 2019", "reduce")),
        ("Der skal inden udgangen af 2. kvartal 2019 etableres 40 nye praktikpladser.",
         (40, "places", None, "2019-06-30", "xsd:date", "inden udgangen af 2. kvartal 2019", "at-least")),
        ("Antallet af borgere på sygedagpenge skal falde fra 500 personer til 450 personer inden udgangen af 2019.",
         (450, "persons", 500, "2019-12-31", "xsd:date", "inden udgangen af 2019", "reduce")),
        ("Der skal etableres 20 nye jobrotationspladser i hhv. 2016 og 2017 i private virksomheder.",
         (20, "places", None, None, None, "i hhv. 2016 og 2017", "at-least")),
        ("Der skal indgås aftaler med ti nye virksomheder inden udgangen af marts 2018.",
         (10, "companies", None, "2018-03-31", "xsd:date", "inden udgangen af marts 2018", "at-least")),
        ("Aktiveringsgraden skal øges med en procent i 2019.",
         (1, "percent", None, "2019", "xsd:gYear", "i 2019", "increase")),
    ],
)
def test_target_fields_are_parsed(sentence: str, expected: tuple) -> None:
    fields = parse_target(sentence)
    assert fields is not None and fields.deadline is not None
    got = (fields.value, fields.unit, fields.baseline, fields.deadline.value, fields.deadline.datatype,
           fields.deadline.words, fields.direction)
    assert got == expected


def test_sentences_without_a_quantity_are_not_targets() -> None:
    assert parse_target("Inden udgangen af 2015 er der udarbejdet en handleplan.") is None
    assert parse_target("Borgere med over 12 måneders ledighed i 2019.") is None


SCAFFOLDED = [
    "focus-area/bakkedal-2019/flygtninge-i-job",
    "focus-area/bakkedal-2019/unge-i-uddannelse",
    "measure/bakkedal-2019/flygtninge-i-job-1",
    "measure/bakkedal-2019/flygtninge-i-job-2",
    "measure/bakkedal-2019/unge-i-uddannelse-1",
    "measure/bakkedal-2019/unge-i-uddannelse-2",
    "measure/bakkedal-2019/unge-i-uddannelse-3",
    "objective/bakkedal-2019/kontanthjaelp-3",
    "plan-target-group/bakkedal-2019",
    "plan-target-group/bakkedal-2019/kontanthjaelp",
    "plan-target-group/bakkedal-2019/sygedagpenge",
    "project/bakkedal-2019/projekter-line-43-1",
    "target/bakkedal-2019/kontanthjaelp-1",
    "target/bakkedal-2019/kontanthjaelp-2",
    "target/bakkedal-2019/sygedagpenge-1",
]
SUGGESTED = [
    ("focus-area/bakkedal-2019/flygtninge-i-job", "minister-goal/2019/3", "curated", "direct", ""),
    ("plan-target-group/bakkedal-2019/kontanthjaelp", "minister-goal/2019/1", "curated", "direct", ""),
    ("plan-target-group/bakkedal-2019/sygedagpenge", "minister-goal/2019/1", "curated", "direct", ""),
    ("measure/bakkedal-2019/flygtninge-i-job-1", "minister-goal/2019/3", "curated", "direct", ""),
    ("measure/bakkedal-2019/flygtninge-i-job-2", "minister-goal/2019/3", "derived", "via-group",
     "goal-link/bakkedal-2019/flygtninge-i-job--2019-3"),
    ("target/bakkedal-2019/kontanthjaelp-1", "minister-goal/2019/1", "curated", "direct", ""),
    ("target/bakkedal-2019/kontanthjaelp-2", "minister-goal/2019/1", "derived", "via-group",
     "goal-link/bakkedal-2019/kontanthjaelp--2019-1"),
    ("target/bakkedal-2019/sygedagpenge-1", "minister-goal/2019/1", "curated", "direct", ""),
    ("objective/bakkedal-2019/kontanthjaelp-3", "minister-goal/2019/1", "derived", "via-group",
     "goal-link/bakkedal-2019/kontanthjaelp--2019-1"),
]


def test_the_whole_workflow_ends_in_a_plan_that_validates(home: Path, capsys) -> None:
    from rdflib import Graph
    from api.graph import BASE, EPKG

    assert author(home, *REGISTER) == 0
    plan = home / "data" / "plans" / f"{SLUG}.ttl"
    assert author(home, "scaffold", SLUG) == 0
    graph = Graph().parse(plan)
    assert sorted({str(s)[len(BASE) :] for s in graph.subjects(EPKG.partOfDocument, None)}) == SCAFFOLDED
    project = next(s for s in graph.subjects(EPKG.partOfDocument, None) if "/project/" in str(s))
    assert [str(n) for n in graph.objects(project, graph.namespace_manager.expand_curie("skos:editorialNote"))] == [
        "funder: Styrelsen for Arbejdsmarked og Rekruttering; partners: Bakkedal Erhvervsråd"]
    assert (str(graph.value(project, EPKG.periodStart)), str(graph.value(project, EPKG.periodEnd))) == ("2018", "2020")

    table = home / "review.tsv"
    assert author(home, "suggest", str(plan), "--out", str(table)) == 0
    lines = [line.split("\t") for line in table.read_text(encoding="utf-8").splitlines()]
    header, rows = lines[0], lines[1:]
    assert [(r[1], r[2], r[3], r[4], r[6]) for r in rows] == SUGGESTED
    verdict = header.index("verdict")
    for row in rows:
        row[verdict] = "accept"
    table.write_text("\n".join("\t".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    assert author(home, "apply", str(plan), str(table)) == 0

    capsys.readouterr()
    assert author(home, "check", str(plan)) == 0
    out = capsys.readouterr().out
    assert "0 violations" in out
    line = next(n for n, text in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("<measure/bakkedal-2019/flygtninge-i-job-1>"))
    assert f"{plan}:{line}: warning: <measure/bakkedal-2019/flygtninge-i-job-1> draft, still lacks: Has no English label" in out
    linked = Graph().parse(plan)
    assert len(set(linked.subjects(EPKG.linkGoal, None))) == len(SUGGESTED) == len(set(linked.subject_objects(EPKG.servesGoal)))


def test_a_quote_not_in_the_source_is_a_finding_of_the_check(home: Path, capsys) -> None:
    author(home, *REGISTER)
    author(home, "scaffold", SLUG)
    plan = home / "data" / "plans" / f"{SLUG}.ttl"
    text = plan.read_text(encoding="utf-8").replace('epkg:quote "Sprogundervisning', 'epkg:quote "Sprogundervisningen')
    plan.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert author(home, "check", str(plan)) == 1
    assert "violation: <passage/bakkedal-2019/measure-flygtninge-i-job-2> quote not found" in capsys.readouterr().out


def _latin1(home: Path) -> Path:
    path = home / "latin1.txt"
    path.write_bytes(TEXT.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    return path


BAD_INPUTS = [
    ("unknown municipality", lambda h: [*REGISTER[:2], "--slug", "other", "--municipality", "998", *REGISTER[6:]],
     "unknown municipality code '998'"),
    ("not UTF-8", lambda h: ["register", str(_latin1(h)), "--slug", "other", *REGISTER[4:]], "latin1.txt is not UTF-8 text (byte 0xe6"),
    ("quote not in source", lambda h: ["find", SLUG, "Sprogundervisning kombineres med løntilskud"],
     "the words are not in bakkedal-2019.txt; the nearest lines:\n  line 29"),
    ("no goal year", lambda h: ["suggest", str(h / "data" / "plans" / "bakkedal-2015.ttl"), "--out", str(h / "data" / "r.tsv")],
     "plan/bakkedal-2015 has no goal year: its period 2015–2015"),
    ("not accepted parent", lambda h: ["apply", str(h / "data" / "plans" / f"{SLUG}.ttl"), str(h / "bad-review.tsv")],
     "it derives from goal-link/bakkedal-2019/flygtninge-i-job--2019-3, which is not an accepted row"),
]


@pytest.mark.parametrize("name, arguments, message", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_exits_2_and_writes_nothing(home: Path, capsys, name, arguments, message) -> None:
    author(home, *REGISTER)
    author(home, "scaffold", SLUG)
    author(home, "register", str(TEXT), "--slug", "bakkedal-2015", "--municipality", "999", "--title",
           "Beskæftigelsesplan 2019", "--start", "2015")
    author(home, "scaffold", "bakkedal-2015")
    author(home, "suggest", str(home / "data" / "plans" / f"{SLUG}.ttl"), "--out", str(home / "review.tsv"))
    review = (home / "review.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in review]
    for row in rows[1:]:
        row[11] = "accept" if row[1].endswith("flygtninge-i-job-2") else "reject"
    (home / "bad-review.tsv").write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    args = arguments(home)
    before = tree(home / "data")
    capsys.readouterr()
    assert author(home, *args) == 2
    assert message in capsys.readouterr().err
    assert tree(home / "data") == before


# --- lists inside a sentence and "Målet er, at ..." objectives (api/authoring/structure.py) ---

@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Indsatsen kan styrkes ved at øge fokus på: Tidlige samtaler, kontakt til arbejdsgivere i både by og land "
         "og mentorer.", ("focus-area", ["Tidlige samtaler", "kontakt til arbejdsgivere i både by og land", "mentorer"])),
        ("Kommunen har tre indsatsområder, nemlig unge, ledige og virksomheder.",
         ("focus-area", ["unge", "ledige", "virksomheder"])),
        ("Jobcentret tilbyder: Vejledning, praktik samt løntilskud.", (None, ["Vejledning", "praktik", "løntilskud"])),
        ("Kommunen har to indsatsområder, nemlig unge, ledige og virksomheder.", None),  # the count does not fit
        ("Der er fokus på unge og ledige.", None),  # no colon, no count
        ("Vi arbejder med: unge og ledige.", None),  # fewer than three items
    ],
)
def test_lists_inside_a_sentence(sentence: str, expected) -> None:
    from api.authoring.structure import inline_enumeration

    found = inline_enumeration(sentence)
    assert (None if found is None else (found.kind, found.items)) == expected


INLINE_TEXT = """Indsatser

Indsatsen kan styrkes ved at øge fokus på: Tidlige samtaler, kontakt til arbejdsgivere og mentorer.

Borgerne deles i 2 målgrupper:

1. Borgere tæt på arbejdsmarkedet
Målet er, at borgerne kommer i job
2. Unge uden uddannelse
Målet er, at de unge starter på en uddannelse
"""


def test_inline_lists_and_objectives_become_candidates() -> None:
    from api.authoring.candidates import find_candidates
    from api.authoring.groups import GroupScheme

    scheme = GroupScheme.load(REPO)
    found = [(c.kind, c.local_id, c.label, c.quotes[0][1], c.container) for c in find_candidates(INLINE_TEXT, scheme)]
    assert found == [
        ("target-group", "borgere-taet-paa-arbejdsmarkedet", "Borgere tæt på arbejdsmarkedet", 7, None),
        ("target-group", "unge-uden-uddannelse", "Unge uden uddannelse", 9, None),
        ("focus-area", "tidlige-samtaler", "Tidlige samtaler", 3, None),
        ("focus-area", "kontakt-til-arbejdsgivere", "kontakt til arbejdsgivere", 3, None),
        ("focus-area", "mentorer", "mentorer", 3, None),
        ("objective", "indsatser-line-8-1", "Målet er, at borgerne kommer i job", 8,
         "target-group:borgere-taet-paa-arbejdsmarkedet"),
        ("objective", "indsatser-line-10-1", "Målet er, at de unge starter på en uddannelse", 10,
         "target-group:unge-uden-uddannelse"),
    ]


# --- the single-plan check's reference cache and Turtle reader (api/authoring/reference.py, fastrdf.py) ---

def test_the_fast_turtle_reader_gives_rdflibs_graph() -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from api.authoring.fastrdf import read_turtle

    for path in (REPO / "data" / "reference" / "target-groups.ttl", REPO / "ontology" / "schemes.ttl"):
        parsed = read_turtle([path])
        assert isomorphic(parsed.graph, Graph().parse(path, format="turtle"))
        assert isomorphic(Graph().parse(data=parsed.ntriples, format="nt"), parsed.graph)


def test_the_check_caches_the_reference_data_by_content(home: Path, capsys) -> None:
    author(home, *REGISTER)
    author(home, "scaffold", SLUG)
    plan = home / "data" / "plans" / f"{SLUG}.ttl"
    capsys.readouterr()
    runs = []
    for change in (False, False, True):
        if change:  # a changed reference file is a new key: its facts are read, not the old cache's
            goals = home / "data" / "reference" / "minister-goals.ttl"
            goals.write_text(goals.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        assert author(home, "check", str(plan)) == 0
        runs.append(capsys.readouterr().out.rsplit(" (", 1)[0])
        runs.append(sorted(p.name for p in (home / ".cache" / "epkg").iterdir()))
    assert runs[0] == runs[2] == runs[4] and "22 warnings" in runs[0]
    assert runs[1] == runs[3] and len(runs[1]) == 1 and runs[5] != runs[1] and len(runs[5]) == 1


def test_the_check_warns_of_a_link_whose_resource_names_only_other_groups(home: Path, capsys) -> None:
    author(home, *REGISTER)
    author(home, "scaffold", SLUG)
    plan = home / "data" / "plans" / f"{SLUG}.ttl"
    link = (
        "\n<goal-link/bakkedal-2019/sygedagpenge--2019-3> a epkg:GoalLink ;\n"
        "    epkg:linkSubject <plan-target-group/bakkedal-2019/sygedagpenge> ;\n"
        "    epkg:linkGoal <minister-goal/2019/3> ;\n"
        "    epkg:partOfDocument <plan/bakkedal-2019> .\n"
    )
    plan.write_text(plan.read_text(encoding="utf-8") + link, encoding="utf-8")
    line = len(plan.read_text(encoding="utf-8").splitlines()) - 3
    capsys.readouterr()
    author(home, "check", str(plan))
    warnings = [w for w in capsys.readouterr().out.splitlines() if "disjoint" in w]
    assert warnings == [
        f"{plan}:{line}: warning: <goal-link/bakkedal-2019/sygedagpenge--2019-3> its resource names only target "
        "groups disjoint from the goal's (Sygedagpenge, sygedagpenge): check the link"
    ]


def test_epkg_validate_softens_a_draft_read_from_a_store(home: Path, capsys, monkeypatch) -> None:
    """`epkg validate` and the start-up check validate a pyoxigraph store (api/validation.py): a
    draft's violations are warnings there too, and a plan no longer marked draft has them back.
    (The fixture's invented municipality has violations of its own: no code, region or source.)"""
    import json

    def violations_and_softened() -> tuple[set, set]:
        rows = json.loads(capsys.readouterr().out)["results"]
        prefix = "draft, still lacks: "
        softened = {(r["focus_node"], r["message"][len(prefix) :]) for r in rows if r["message"].startswith(prefix)}
        assert all(r["severity"] == "Warning" for r in rows if r["message"].startswith(prefix))
        return {(r["focus_node"], r["message"]) for r in rows if r["severity"] == "Violation"}, softened

    assert author(home, *REGISTER) == 0
    assert author(home, "scaffold", SLUG) == 0
    monkeypatch.setenv("EPKG_HOME", str(home))
    capsys.readouterr()
    epkg(["validate", "--format", "json"])
    fixture, softened = violations_and_softened()
    assert {node for node, _ in fixture} == {"https://w3id.org/epkg/municipality/999"}
    assert len(softened) >= 10

    plan = home / "data" / "plans" / f"{SLUG}.ttl"
    marked = f"<plan/{SLUG}> epkg:status status:draft .\n"
    assert marked in plan.read_text(encoding="utf-8")
    plan.write_text(plan.read_text(encoding="utf-8").replace(marked, ""), encoding="utf-8")
    assert epkg(["validate", "--format", "json"]) == 1
    violations, still_softened = violations_and_softened()
    assert still_softened == set()
    assert violations == fixture | softened
