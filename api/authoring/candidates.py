"""Candidates of a draft plan, read from the text's structure: headings become sections and
focus areas (or plan target groups, where a heading of targets names a group), list items
measures, and sentences with a number, a unit (and a time) quantified targets; paragraphs
naming a project become projects. Every candidate keeps its passage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .groups import GroupScheme
from .lexicon import first_word_found, lexicon, word_pattern
from .structure import (
    Block,
    Enumeration,
    inline_enumeration,
    item_text,
    read_blocks,
    sentences,
    states_objective,
)
from .targets import TargetFields, parse_target
from .turtle import slugify


@dataclass
class Candidate:
    kind: str  # "focus-area", "target-group", "measure", "target", "objective", "project"
    local_id: str
    label: str
    quotes: list[tuple[str, int, str | None]]  # (quote, line, heading)
    heading: str | None = None
    ordinal: int | None = None
    container: str | None = None  # local id of its focus area or group
    fields: TargetFields | None = None
    groups: list[str] = field(default_factory=list)  # shared groups its own words name
    note: str | None = None  # project: funder, partners as the text gives them
    period: tuple[int, int] | None = None


def _is_target_heading(heading: str | None) -> bool:
    return bool(heading) and bool(
        word_pattern(lexicon()["structure"]["target_heading"]).search(heading or "")
    )


def _heading_container(heading: str, scheme: GroupScheme) -> tuple[str, list[str]]:
    """A target heading that names a shared group is a plan target group; any other heading
    with a list under it a focus area."""
    if _is_target_heading(heading):
        groups = [m.group for m in scheme.mentions(heading)]
        if groups:
            return "target-group", groups
    return "focus-area", []


def _add(found: dict[tuple[str, str], Candidate], candidate: Candidate) -> Candidate:
    key = (candidate.kind, candidate.local_id)
    if key in found:
        found[key].quotes.extend(q for q in candidate.quotes if q not in found[key].quotes)
        return found[key]
    found[key] = candidate
    return candidate


def _containers(blocks: list[Block], scheme: GroupScheme, found: dict) -> dict[str, str]:
    """Headings with list items under them, as focus areas or groups; returns heading -> id."""
    ids: dict[str, str] = {}
    heading_lines = {b.text: b.line for b in blocks if b.kind == "heading"}
    for block in blocks:
        if (
            block.kind in ("bullet", "numbered")
            and not block.list_kind
            and block.heading
            and block.heading not in ids
        ):
            kind, groups = _heading_container(block.heading, scheme)
            local = slugify(re.sub(r"(?i)^målsætninger( for)?\s+", "", block.heading))
            quote = (block.heading, heading_lines.get(block.heading, block.line), block.heading)
            _add(found, Candidate(kind, local, block.heading, [quote], block.heading, groups=groups))
            ids[block.heading] = f"{kind}:{local}"
    return ids


def _list_items(blocks: list[Block], scheme: GroupScheme, found: dict) -> None:
    """Items of a list its intro calls focus areas or target groups."""
    for block in blocks:
        if block.list_kind:
            text = item_text(block)
            groups = [m.group for m in scheme.mentions(text)]
            ordinal = block.siblings.index(block) + 1
            _add(
                found,
                Candidate(
                    block.list_kind,
                    slugify(text),
                    text,
                    [(text, block.line, block.heading)],
                    block.heading,
                    ordinal,
                    groups=groups,
                ),
            )


def _item_candidate(block: Block, ordinal: int, container: str | None, scheme: GroupScheme) -> Candidate:
    text = item_text(block)
    fields = parse_target(text)
    section = slugify(re.sub(r"(?i)^målsætninger( for)?\s+", "", block.heading or "text"), 4)
    groups = [m.group for m in scheme.mentions(text)]
    quote = [(text, block.line, block.heading)]
    if fields is not None:
        return Candidate(
            "target", f"{section}-{ordinal}", text, quote, block.heading, ordinal, container, fields, groups
        )
    if _is_target_heading(block.heading):
        return Candidate(
            "objective", f"{section}-{ordinal}", text, quote, block.heading, ordinal, container, None, groups
        )
    return Candidate(
        "measure", f"{section}-{ordinal}", text, quote, block.heading, ordinal, container, None, groups
    )


def _items(blocks: list[Block], containers: dict[str, str], scheme: GroupScheme, found: dict) -> None:
    counters: dict[str | None, int] = {}
    for block in blocks:
        if block.kind not in ("bullet", "numbered") or block.list_kind:
            continue
        counters[block.heading] = counters.get(block.heading, 0) + 1
        container = containers.get(block.heading or "")
        _add(found, _item_candidate(block, counters[block.heading], container, scheme))


def _paragraphs(blocks: list[Block], containers: dict[str, str], scheme: GroupScheme, found: dict) -> None:
    """Targets (a number, a unit and a deadline), objectives ("Målet er, at ..."), lists inside
    a sentence and projects in running text."""
    rules = lexicon()["project"]
    previous: Block | None = None
    for block in blocks:
        if block.kind == "paragraph":
            for number, sentence in enumerate(sentences(block.text), start=1):
                local = f"{slugify(block.heading or 'text', 4)}-line-{block.line}-{number}"
                groups = [m.group for m in scheme.mentions(sentence)]
                quote = [(sentence, block.line, block.heading)]
                fields = parse_target(sentence)
                enumeration = inline_enumeration(sentence)
                if fields is not None and fields.deadline is not None:
                    _add(
                        found,
                        Candidate(
                            "target", local, sentence, quote, block.heading, None, None, fields, groups
                        ),
                    )
                elif states_objective(sentence):
                    container = _owner(previous) or containers.get(block.heading or "")
                    _add(
                        found,
                        Candidate(
                            "objective", local, sentence, quote, block.heading, None, container, None, groups
                        ),
                    )
                elif enumeration is not None:
                    _inline_items(enumeration, block, local, scheme, found)
                elif first_word_found(sentence, rules["names"]):
                    _add(found, _project(sentence, block, local, groups))
        previous = block


def _owner(block: Block | None) -> str | None:
    """The focus area or group a list item of that kind stands for (an objective under it belongs to it)."""
    if block is None or not block.list_kind:
        return None
    return f"{block.list_kind}:{slugify(item_text(block))}"


def _inline_items(
    enumeration: Enumeration, block: Block, local: str, scheme: GroupScheme, found: dict
) -> None:
    """A list inside a sentence: focus areas or groups where its intro says so, else measures."""
    for ordinal, item in enumerate(enumeration.items, start=1):
        kind = enumeration.kind or "measure"
        local_id = slugify(item) if enumeration.kind else f"{local}-{ordinal}"
        groups = [m.group for m in scheme.mentions(item)]
        quote = [(item, block.line, block.heading)]
        _add(found, Candidate(kind, local_id, item, quote, block.heading, ordinal, groups=groups))


def _project(sentence: str, block: Block, local: str, groups: list[str]) -> Candidate:
    rules = lexicon()["project"]
    notes = []
    for role, words in (("funder", rules["funder"]), ("partners", rules["partners"])):
        # The paragraph, not only the sentence: "Det gennemføres i samarbejde med ..." follows.
        match = re.search(r"(?i)(?:" + "|".join(map(re.escape, words)) + r")\s+([^.;]+)", block.text)
        if match:
            notes.append(f"{role}: {match.group(1).strip()}")
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", block.text)]
    period = (min(years), max(years)) if years else None
    return Candidate(
        "project",
        local,
        sentence,
        [(sentence, block.line, block.heading)],
        block.heading,
        groups=groups,
        note="; ".join(notes) or None,
        period=period,
    )


def find_candidates(text: str, scheme: GroupScheme) -> list[Candidate]:
    blocks = read_blocks(text)
    found: dict[tuple[str, str], Candidate] = {}
    containers = _containers(blocks, scheme, found)
    _list_items(blocks, scheme, found)
    _items(blocks, containers, scheme, found)
    _paragraphs(blocks, containers, scheme, found)
    return list(found.values())
