"""``/sources`` and ``/sources/{document}``: the source documents, and a source text with every cited
passage highlighted and anchored (with its own stylesheet, one rule per passage)."""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..errors import NotFound
from ..graph import BASE, compact_iri
from ..provenance import _WHITESPACE, normalise
from ..service import Service
from .common import Ui, ask, brief, passage_anchor, render, service_rows, source_markup, value


# --- the source view ----------------------------------------------------------


@dataclass
class Passage:
    iri: str
    anchor: str
    number: int
    quote: str
    section: str
    heading: str
    start: int = -1
    end: int = -1
    citing: list[tuple[str, str]] = field(default_factory=list)


def normalised_positions(text: str) -> tuple[str, list[int]]:
    """The text normalised as ``provenance.normalise`` does (every white-space run one space), and for
    every character of it the position of the character in ``text`` it stands for."""
    chars: list[str] = []
    where: list[int] = []
    last = 0
    for match in _WHITESPACE.finditer(text):
        chars.append(text[last : match.start()])
        where.extend(range(last, match.start()))
        chars.append(" ")
        where.append(match.start())
        last = match.end()
    chars.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(chars), where


@functools.lru_cache(maxsize=32)
def locate(text: str, quotes: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where each quote stands in ``text`` (start, end in the original), or (-1, -1). The texts do not
    change while the service runs, so the answer is remembered."""
    flat, where = normalised_positions(text)
    spans = []
    for quote in quotes:
        needle = normalise(quote)
        at = flat.find(needle) if needle else -1
        spans.append((where[at], where[at + len(needle) - 1] + 1) if at >= 0 else (-1, -1))
    return spans


SAFE_ANCHOR = re.compile(r"[A-Za-z0-9_-]+")


def highlight(text: str, passages: list[Passage]) -> Markup:
    """The text as HTML: every located passage in <mark> (classed ``q<number>`` for each passage that
    covers the stretch, so a stylesheet rule can light up one passage), and an anchor with a
    numbered link to the passage's entry at its start. Overlapping passages split into stretches."""
    found = [p for p in passages if p.start >= 0]
    cuts = sorted({0, len(text), *(p.start for p in found), *(p.end for p in found)})
    starts: dict[int, list[Passage]] = {}
    ends: dict[int, list[Passage]] = {}
    for p in found:
        starts.setdefault(p.start, []).append(p)
        ends.setdefault(p.end, []).append(p)
    active: dict[str, Passage] = {}
    out: list[str] = []
    italic = False  # the source's own <i>, kept balanced within each stretch (source_markup)
    for a, b in zip(cuts, cuts[1:], strict=False):
        for p in ends.get(a, []):
            active.pop(p.iri, None)
        for p in starts.get(a, []):
            active[p.iri] = p
            out.append(
                f'<a class="pin" id="{p.anchor}" href="#c-{p.anchor}" '
                f'title="{escape(p.section)}">{p.number}</a>'
            )
        stretch, italic = source_markup(text[a:b], italic)
        chunk = str(stretch)
        if active:
            classes = ["cited", *(f"q{p.number}" for p in active.values())]
            if len(active) > 1:
                classes.append("overlap")
            chunk = f'<mark class="{" ".join(classes)}">{chunk}</mark>'
        out.append(chunk)
    return Markup("".join(out))


def target_rules(passages: list[Passage]) -> str:
    """One stylesheet rule per passage: when its anchor is the URL's #fragment, its marks light up
    (CSS :target and :has, no script), so every citation links to the same page of the document."""
    rules = [
        f".source-text:has(#{p.anchor}:target) mark.q{p.number}"
        "{background:var(--mark-strong);outline:2px solid #c98a00}"
        for p in passages
        if p.start >= 0 and SAFE_ANCHOR.fullmatch(p.anchor)
    ]
    return "\n".join(rules) + "\n"


async def source_passages(
    service: Service, ui: Ui, document_path: str
) -> tuple[list[dict], str, list[Passage]]:
    """A source document's rows, text and passages, located in the text and numbered in text order."""
    document = BASE + document_path.strip("/")
    rows = await service_rows(service, "document-passages", document)
    if not rows:
        raise NotFound(f"{document_path} is not a source document of this dataset (see /sources)")
    file_name = value(rows[0]["file"])
    path = service.project.sources_dir / file_name
    if not path.is_file():
        raise NotFound(f"the source text {file_name} is missing from this installation")
    text = path.read_text(encoding="utf-8")
    passages: dict[str, Passage] = OrderedDict()
    for r in rows:
        iri = value(r["passage"])
        if not iri:
            continue
        p = passages.get(iri)
        if p is None:
            p = passages[iri] = Passage(
                iri, passage_anchor(iri), 0, value(r["quote"]), value(r["section"]), value(r["heading"])
            )
        citing = value(r["citing"])
        if citing and citing not in [c[0] for c in p.citing]:
            p.citing.append((citing, ui.pick(r["citing_label"], r["citing_label_en"]) or compact_iri(citing)))
    ordered = list(passages.values())
    for p, (start, end) in zip(ordered, locate(text, tuple(p.quote for p in ordered)), strict=True):
        p.start, p.end = start, end
    ordered.sort(key=lambda p: (p.start < 0, p.start, p.end, p.iri))
    for number, p in enumerate(ordered, 1):
        p.number = number
    return rows, text, ordered


async def source(service: Service, ui: Ui, document_path: str) -> str:
    rows, text, ordered = await source_passages(service, ui, document_path)
    title = ui.pick(rows[0]["title"], rows[0]["title_en"]) or document_path
    return render(
        "source.html",
        ui,
        title=ui.t("source_title", title=title),
        description=brief(ui.t("desc_source", title=title, n=sum(p.start >= 0 for p in ordered))),
        document=BASE + document_path.strip("/"),
        document_title=title,
        file_name=value(rows[0]["file"]),
        passages=ordered,
        body=highlight(text, ordered),
        stylesheet="/sources/" + document_path.strip("/") + ".css",
    )


async def source_stylesheet(service: Service, ui: Ui, document_path: str) -> str:
    """The source view's own stylesheet (the pages allow no inline style): one rule per passage."""
    _, _, ordered = await source_passages(service, ui, document_path)
    return target_rules(ordered)


async def sources(service: Service, ui: Ui) -> str:
    documents = OrderedDict()
    for r in await ask(service, "municipalities"):
        documents[value(r["document"])] = {
            "title": value(r["title"]),
            "municipality": ui.pick(r["name"], r["name_en"]),
            "start": value(r["start"]),
            "end": value(r["end"]),
        }
    titles = "; ".join(f"{d['municipality']}: {d['title']}" for d in documents.values())
    return render(
        "sources.html",
        ui,
        title=ui.t("sources_title"),
        description=brief(ui.t("desc_sources", n=len(documents), titles=titles)),
        documents=documents,
    )
