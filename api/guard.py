"""Vets a client's SPARQL before it runs: read-only, no calls out, within limits.

The check runs on the query's tokens, as the SPARQL 1.1 grammar defines them (its
terminals: IRIs, prefixed names, variables, the four kinds of string, comments, keywords,
punctuation). A keyword is a keyword token, whatever its case; the same word inside a
string, an IRI, a prefixed name or a comment is not. SERVICE, LOAD and the update
operations can only appear as keywords, so a token-level check cannot be fooled by
spelling, and it costs microseconds where a full parse in Python costs tens of milliseconds
(rdflib's parser: 15-80 ms on the catalogue's questions, measured). The engine's own parser
then parses the query for real, and its syntax errors come back as 400.

FROM and FROM NAMED are allowed: they choose among the store's own named graphs, and no
engine here fetches a graph (store.py; tests/test_http_canary.py proves it). ``DEFINE`` is
refused: it is no SPARQL keyword but Virtuoso's pragma, and some pragmas (``get:soft``,
``input:grab-*``) make Virtuoso fetch IRIs from the web.

Codepoint escapes (``\\u0053``, ``\\U00000053``) are where readers disagree, and a guard that
reads a text differently from the engine is a bypass. The grammar (section 19.2) replaces
them everywhere before parsing, as rdflib does; Oxigraph decodes them only inside strings
and IRIs, so to it ``"\\u005C"`` is a finished string holding a backslash, while the grammar's
reading sees an escaped quote and a string that runs on. So the guard
- refuses an escape that decodes to anything but an ASCII letter or digit or a non-ASCII
  character that is not a space or control: only such characters read the same either way
  (they never open, close or escape a token); and
- checks both readings: the text as written (Oxigraph's) and the text with every escape
  replaced (the grammar's, and rdflib's). A keyword either reading finds is refused.

Limits: the query's length (413), the nesting depth of ``{ ( [`` (400: one query of 3,000
nested groups overflows pyoxigraph's stack and kills the process), the number of terms in
VALUES blocks (413).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import PayloadTooLarge, UserError

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"}
)

# The grammar's terminals (SPARQL 1.1 Query, section 19.8), longest and most specific first.
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_CHARS_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040-"
_SURROGATE = re.compile("[\ud800-\udfff]")  # a regex: a Python loop per character cost 1 ms per 2.5 kB
_TOKEN = re.compile(
    r"""
      (?P<ws>[\ \t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][NAME_CHARS0-9_]+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[BASE_CHARS](?:[NAME_CHARS.]*[NAME_CHARS])?)?:(?:[NAME_CHARS:0-9]|%[0-9A-Fa-f]{2}|\\[_~.!$&'()*+,;=/?\#@%-])*
                |_:[NAME_CHARS0-9](?:[NAME_CHARS.]*[NAME_CHARS])?)
    | (?P<word>[A-Za-z][A-Za-z0-9_]*)
    | (?P<number>[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?))
    | (?P<punct>\^\^|&&|\|\||!=|<=|>=|.)
    """.replace("BASE_CHARS", _PN_CHARS_BASE).replace("NAME_CHARS", _PN_CHARS),
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPEN, _CLOSE = "{([", "})]"


@dataclass(frozen=True)
class VettedQuery:
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100_000
    max_depth: int = 64
    max_values: int = 10_000
    network_clauses: bool = False  # tests only: let SERVICE, LOAD and DEFINE reach the engine


def _decoded(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise UserError(f"the query has an invalid codepoint escape {match.group(0)!r}")
    return chr(code)


def _reads_the_same_everywhere(char: str) -> bool:
    """A character that opens, closes or escapes no token, whoever decodes the escape."""
    if char.isascii():
        return char.isalnum()
    return unicodedata.category(char)[0] not in "ZC"  # separators, controls, format characters


def _check_escapes(text: str) -> str:
    """The grammar's reading (every escape replaced), refusing escapes whose reading could differ."""

    def replace(match: re.Match[str]) -> str:
        char = _decoded(match)
        if not _reads_the_same_everywhere(char):
            raise UserError(
                f"the query writes {match.group(0)!r} for {unicodedata.name(char, repr(char))!r}, a "
                "character with a role in SPARQL's grammar; engines decode such escapes differently, so "
                'this endpoint refuses them: write the character itself (in a string, \\\\ or \\")'
            )
        return char

    return _ESCAPE.sub(replace, text)


def vet(text: str, limits: Limits = Limits()) -> VettedQuery:
    """Refuses what this endpoint never runs; returns the query and its form."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise PayloadTooLarge(
            f"the query is {size:,} bytes; this endpoint takes at most {limits.max_bytes:,}"
        )
    if _SURROGATE.search(text):
        raise UserError("the query is not valid Unicode (it holds a lone surrogate)")
    if "\x00" in text:
        raise UserError("the query holds a NUL character")
    if not text.strip():
        raise UserError("the query is empty")
    form = _check_tokens(text, limits)  # as Oxigraph reads it: escapes only inside strings and IRIs
    unescaped = _check_escapes(text)
    if unescaped != text:
        form = _check_tokens(unescaped, limits) or form  # as the grammar and rdflib read it
    if form is None:
        raise UserError("not a SPARQL query: it has no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return VettedQuery(text=text, form=form)


def _check_tokens(source: str, limits: Limits) -> str | None:
    """Refuses forbidden keywords and passes of the limits in one reading; returns the form."""
    form: str | None = None
    depth = 0
    values_terms = 0
    values_depth: int | None = None  # the depth at which the VALUES block being counted opened
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup
        token = match.group()
        if kind in ("ws", "comment"):
            continue
        if kind == "punct" and token in _OPEN:
            depth += 1
            if depth > limits.max_depth:
                raise UserError(
                    f"the query nests {{ }}, ( ) or [ ] deeper than {limits.max_depth} levels; "
                    "write it flatter"
                )
            continue
        if kind == "punct" and token in _CLOSE:
            depth = max(depth - 1, 0)
            if values_depth is not None and depth < values_depth:
                values_depth = None
            continue
        if (
            values_depth is not None
            and depth >= values_depth
            and kind in ("iri", "pname", "string", "number", "word")
        ):
            values_terms += 1
            if values_terms > limits.max_values:
                raise PayloadTooLarge(f"the query's VALUES blocks hold more than {limits.max_values:,} terms")
        if kind != "word":
            continue
        word = token.upper()
        if word == "VALUES":
            values_depth = depth + 1
        elif limits.network_clauses and word in ("SERVICE", "LOAD", "DEFINE"):
            continue
        elif word == "SERVICE":
            raise UserError(
                "SERVICE (a federated query) is not allowed: this endpoint never calls other servers"
            )
        elif word == "DEFINE":
            raise UserError(
                "DEFINE is not SPARQL (it is a Virtuoso pragma, and some make the server fetch IRIs): "
                "this endpoint refuses it"
            )
        elif word in UPDATE_KEYWORDS:
            raise UserError(f"{word} is an update: this endpoint is read-only and answers queries only")
        elif word in FORMS and form is None:
            form = word
    return form


def has_dataset_clause(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED), as Oxigraph reads the text."""
    if "from" not in text.lower():  # the keyword is never escaped outside strings and IRIs
        return False
    return any(
        match.lastgroup == "word" and match.group().upper() == "FROM" for match in _TOKEN.finditer(text)
    )


def dataset_clause_graphs(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The graphs a query's FROM and FROM NAMED clauses name: (default, named) absolute IRIs.

    For a remote store that would not honour them itself (an Oxigraph server run with
    ``--union-default-graph`` reads every query over the union), they are sent as the
    protocol's dataset instead, which means the same. Prefixed names are expanded with the
    query's PREFIX declarations; a relative or escaped IRI is refused (400)."""
    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment")]
    prefixes: dict[str, str] = {}
    default: list[str] = []
    named: list[str] = []
    i = 0
    while i < len(tokens):
        kind, token = tokens[i].lastgroup, tokens[i].group()
        if kind == "word" and token.upper() == "PREFIX" and i + 2 < len(tokens):
            prefixes[tokens[i + 1].group()] = tokens[i + 2].group()[1:-1]
            i += 3
            continue
        if kind == "word" and token.upper() == "FROM" and i + 1 < len(tokens):
            into = default
            i += 1
            if tokens[i].lastgroup == "word" and tokens[i].group().upper() == "NAMED":
                into, i = named, i + 1
            if i < len(tokens):
                into.append(_graph_iri(tokens[i].lastgroup, tokens[i].group(), prefixes))
        i += 1
    return tuple(default), tuple(named)


def _graph_iri(kind: str | None, token: str, prefixes: dict[str, str]) -> str:
    iri = token[1:-1] if kind == "iri" else None
    if kind == "pname" and ":" in token:
        prefix, _, local = token.partition(":")
        if prefix + ":" in prefixes:
            iri = prefixes[prefix + ":"] + local
    if iri is None or "\\" in iri or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise UserError(
            f"FROM {token}: name the graph by its absolute IRI (no relative IRI, escape or unknown prefix)"
        )
    return iri


def names_graphs(text: str) -> bool:
    """Whether the query uses named graphs (GRAPH, FROM or FROM NAMED), in either reading of its
    codepoint escapes (rdflib decodes them everywhere)."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return any(
        match.lastgroup == "word" and match.group().upper() in ("GRAPH", "FROM")
        for reading in {text, _ESCAPE.sub(decode, text)}
        for match in _TOKEN.finditer(reading)
    )
