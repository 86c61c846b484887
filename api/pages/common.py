"""What every page module shares: small helpers, ``Ui`` (the language, the words and links that keep
the language), asking the façade (catalogue questions and service queries), labels, and rendering
a template. Depends only on ``texts`` and the layers below the pages (service, store, graph)."""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from rdflib import URIRef
from rdflib.term import Identifier, Node

from ..catalogue import bind_values
from ..errors import EpkgError
from ..graph import BASE, compact_iri
from ..service import Service
from ..store import Table
from .texts import EXTERNAL_TERMS, INVERSE, LANGS, TEXT

# The templates and static files stay in api/ (package data), one level above this package.
TEMPLATES = Path(__file__).parent.parent / "templates"
STATIC = Path(__file__).parent.parent / "static"


# --- small helpers ----------------------------------------------------------


def path_of(iri: str) -> str:
    """A dataset IRI as the path this server serves it at."""
    return "/" + iri[len(BASE) :] if iri.startswith(BASE) else iri


def same_site(path: str) -> str:
    """A request's path as a link to itself: one leading slash (``//host/x`` would leave the site)
    and percent-encoded (a decoded ``?``, ``#`` or backslash would change what the link means)."""
    return quote("/" + path.lstrip("/"), safe="/:@!$&'()*+,;=-._~")


def passage_anchor(passage_iri: str) -> str:
    return "p-" + passage_iri.removeprefix(BASE + "passage/").replace("/", "--")


def value(term: Node | None) -> str:
    return "" if term is None else str(term)


def brief(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut at a word to at most ``limit`` characters (with "…"): a meta description."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:·–- ") + "…"


def badge_key(iri: str) -> str:
    """``basis:stated`` → ``stated``, ``specificity:via-group`` → ``via_group``."""
    return iri.rsplit("/", 1)[-1].replace("-", "_")


_NUMBER = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


@dataclass
class Ui:
    """What every template needs: the language, the words, and links that keep the language."""

    lang: str
    path: str
    query: dict[str, str]
    vocabulary: dict[str, tuple[str, str]] = field(default_factory=dict)

    def t(self, key: str, **fields: Any) -> str:
        """The words for ``key`` in the page's language; ``{n|one|other}`` picks by the number ``n``."""
        text = TEXT[key][self.lang]
        if not fields:
            return text
        text = _NUMBER.sub(lambda m: m.group(2) if fields[m.group(1)] == 1 else m.group(3), text)
        return text.format(**fields)

    def error(self, exc: EpkgError) -> str:
        """What went wrong, in the page's language: an error's message is English, so a Danish page
        gives its Danish words, or says what its status means."""
        if self.lang == "en":
            return exc.message
        key = f"error_{exc.status}"
        return exc.message_da or self.t(key if key in TEXT else "error_other")

    def count(self, key: str, n: int) -> str:
        """``n`` and the word for ``key`` in its grammatical number: "1 kobling", "2 koblinger"."""
        return f"{n} {self.t(key + '_one' if n == 1 else key)}"

    def url(self, path: str, **params: Any) -> str:
        path, hash_, fragment = path.partition("#")  # the query goes before a #fragment
        pairs = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
        if self.lang != "da":
            pairs.append(("lang", self.lang))
        return path + ("?" + urlencode(pairs) if pairs else "") + hash_ + fragment

    def link(self, iri: str) -> str:
        return self.url(path_of(iri)) if iri.startswith(BASE) else iri

    @property
    def switch_url(self) -> str:
        other = "en" if self.lang == "da" else "da"
        pairs = [(k, v) for k, v in self.query.items() if k != "lang"]
        if other != "da":
            pairs.append(("lang", other))
        return same_site(self.path) + ("?" + urlencode(pairs) if pairs else "")

    @property
    def other_lang(self) -> str:
        return "en" if self.lang == "da" else "da"

    def pick(self, da: Any, en: Any) -> str:
        first, second = (en, da) if self.lang == "en" else (da, en)
        return value(first) or value(second)

    def inverse(self, iri: str) -> str:
        """A property as read from its object's side ("links here")."""
        names = INVERSE.get(iri)
        if names:
            return names[1] if self.lang == "en" else names[0]
        return "← " + self.term(iri)

    def term(self, iri: str) -> str:
        """A vocabulary term (property, class, scheme concept) in the page's language."""
        names = self.vocabulary.get(iri) or EXTERNAL_TERMS.get(iri)
        if names:
            return names[1] if self.lang == "en" else names[0]
        return compact_iri(iri)

    def source_url(self, passage: str, document: str) -> str:
        return self.url("/sources" + path_of(document)) + "#" + passage_anchor(passage)


def make_ui(service: Service, lang: str, path: str, query: dict[str, str], vocabulary: dict) -> Ui:
    return Ui(lang if lang in LANGS else "da", path, dict(query), vocabulary)


def records(table: Table) -> list[dict[str, Identifier | None]]:
    return [dict(zip(table.variables, row, strict=True)) for row in table.rows]


async def ask(service: Service, name: str, **params: Any) -> list[dict[str, Identifier | None]]:
    answer = await service.ask(name, {k: str(v) for k, v in params.items() if v not in (None, "")})
    return records(answer.table)


async def service_rows(service: Service, name: str, resource: str | None = None) -> list[dict]:
    bindings = {"resource": URIRef(resource)} if resource else {}
    table, _, _ = await service.select(bind_values(service.service_query(name), bindings))
    return records(table)


async def label_of(service: Service, ui: Ui, iri: str) -> str:
    """A resource's label in the page's language (else Danish, else any), or its path."""
    names = {}
    for r in await service_rows(service, "labels", iri):
        label = r["label"]
        names[getattr(label, "language", None) or ""] = value(label)
    return names.get(ui.lang) or names.get("da") or next(iter(names.values()), "") or compact_iri(iri)


async def vocabulary(service: Service) -> dict[str, tuple[str, str]]:
    return {
        str(r["term"]): (value(r["label"]), value(r["label_en"]))
        for r in await service_rows(service, "vocabulary")
    }


async def labels_of(service: Service, ui: Ui, iris: set[str]) -> dict[str, dict[str, str]]:
    """Documents' titles and municipalities, from the municipalities question (it lists every source document)."""
    out = {}
    for r in await ask(service, "municipalities"):
        if value(r["document"]) in iris:
            out[value(r["document"])] = {
                "title": value(r["title"]) or compact_iri(value(r["document"])),
                "municipality": ui.pick(r["name"], r["name_en"]),
            }
    return out


# --- rendering ----------------------------------------------------------------

_SOURCE_TAG = re.compile(r"&lt;(/?)(i|p)&gt;", re.IGNORECASE)


def source_markup(text: str, italic: bool = False) -> tuple[Markup, bool]:
    """A stretch of source text as HTML: escaped, with the source's own markup rendered, not printed:
    ``<i>`` as italics (balanced within the stretch, so a stretch may start or end inside one: pass
    and keep the state), ``<p>`` as nothing (the text's line breaks already show paragraphs).
    Returns the HTML and whether the stretch ends inside italics."""
    html = str(escape(text))
    out = ["<i>"] if italic else []
    at = 0
    for match in _SOURCE_TAG.finditer(html):
        out.append(html[at : match.start()])
        at = match.end()
        if match.group(2).lower() == "i" and italic == bool(
            match.group(1)
        ):  # a close in italics, an open outside
            italic = not italic
            out.append("<i>" if italic else "</i>")
    out.append(html[at:])
    if italic:
        out.append("</i>")
    return Markup("".join(out)), italic


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["path"] = path_of
    env.filters["source"] = lambda text: source_markup(text)[0]
    return env


def render(template: str, ui: Ui, **context: Any) -> str:
    return environment().get_template(template).render(ui=ui, **context)
