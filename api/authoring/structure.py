"""Reads a plan text's own structure: headings, paragraphs and list items, with line numbers.

No layout is assumed beyond what a PDF's text copy keeps: a heading is a short line standing
alone without a sentence's end; a list item starts with a bullet (``-``, ``•``, ``✓`` ...)
or a number (``1.``); a list's introducing line (``... tre overordnede fokusområder:``)
says what its items are. The words that decide it are in lexicon.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..provenance import normalise
from .lexicon import lexicon, word_pattern

_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+(\S.*)$")
_HYPHENATED_END = re.compile(r"\w-$")


@dataclass
class Block:
    """One line of the text (or a hyphenated line joined with its continuation)."""

    kind: str  # "heading", "paragraph", "bullet" or "numbered"
    text: str  # verbatim, whitespace-normalised, without the bullet marker
    line: int  # 1-based line of the source where it starts
    heading: str | None = None  # the heading it stands under
    intro: str | None = None  # for a list item: the line that introduces its list
    list_kind: str | None = None  # "focus-area" or "target-group" where the intro says so
    siblings: list[Block] = field(default_factory=list, repr=False)


def _bullet_text(line: str) -> str | None:
    stripped = line.strip()
    for marker in lexicon()["structure"]["bullets"]:
        if stripped.startswith(marker) and len(stripped) > len(marker):
            rest = stripped[len(marker) :]
            if marker.endswith(" ") or rest[0].isspace():
                return rest.strip()
    return None


def _is_heading(text: str) -> bool:
    rules = lexicon()["structure"]
    words = text.split()
    return (
        0 < len(words) <= rules["heading_max_words"]
        and text[-1] not in rules["heading_end_characters"]
        and (text[0].isupper() or text[0].isdigit())
    )


def _joined_lines(text: str) -> list[tuple[int, str]]:
    """Non-empty lines with their numbers; a line ending in a hyphenated word part is joined
    with the next non-empty line when that one goes on in lower case ("en-" / "heder")."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    joined: list[tuple[int, str]] = []
    for number, line in lines:
        if joined and _HYPHENATED_END.search(joined[-1][1].rstrip()) and line.strip()[:1].islower():
            joined[-1] = (joined[-1][0], joined[-1][1].rstrip() + " " + line.strip())
        else:
            joined.append((number, line))
    return joined


def _classify(line: str) -> tuple[str, str]:
    bullet = _bullet_text(line)
    if bullet is not None:
        return "bullet", bullet
    numbered = _NUMBERED.match(line)
    if numbered and len(numbered.group(2).split()) <= lexicon()["structure"]["heading_max_words"]:
        return "numbered", line.strip()
    text = normalise(line)
    return ("heading" if _is_heading(text) else "paragraph"), text


def read_blocks(text: str) -> list[Block]:
    """The text as blocks in order, each knowing its heading and, for list items, its intro."""
    blocks: list[Block] = []
    heading: str | None = None
    intro: str | None = None
    for number, line in _joined_lines(text):
        kind, content = _classify(line)
        content = normalise(content)
        if kind == "heading" and blocks and blocks[-1].kind == "numbered" and not content[0].isdigit():
            kind = "paragraph"  # a numbered item's second line ("Målet er, at ..."), not a heading
        if kind == "heading":
            heading, intro = content, None
        elif kind == "paragraph" and content.endswith(":"):
            intro = content
        blocks.append(
            Block(kind, content, number, heading, intro if kind in ("bullet", "numbered") else None)
        )
    _mark_lists(blocks)
    return blocks


def _mark_lists(blocks: list[Block]) -> None:
    """Gives each list item the kind its intro names, when the intro's count (if any) fits."""
    by_intro: dict[tuple[str | None, str], list[Block]] = {}
    for block in blocks:
        if block.intro and block.kind in ("bullet", "numbered"):
            by_intro.setdefault((block.heading, block.intro), []).append(block)
    rules = lexicon()["structure"]
    for (_heading, intro), items in by_intro.items():
        kind = None
        if word_pattern(rules["focus_area_intro"]).search(intro):
            kind = "focus-area"
        elif word_pattern(rules["target_group_intro"]).search(intro):
            kind = "target-group"
        count = _stated_count(intro)
        if kind and (count is None or count == len(items)):
            for item in items:
                item.list_kind = kind
                item.siblings = items


def _stated_count(intro: str) -> int | None:
    """The number of items an intro announces ("i 3 hovedmålgrupper", "tre ... fokusområder")."""
    numbers = lexicon()["targets"]["number_words"]
    for word in re.findall(r"\w+", intro.lower()):
        if word.isdigit():
            return int(word)
        if word in numbers and numbers[word] > 1:
            return int(numbers[word])
    return None


def item_text(block: Block) -> str:
    """A list item's words without its number ("1. Borgere ..." -> "Borgere ...")."""
    numbered = _NUMBERED.match(block.text)
    return numbered.group(2).strip() if numbered and block.kind == "numbered" else block.text


def sentences(text: str) -> list[str]:
    """A paragraph's sentences (split after . ! ? before a capital or a digit)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9])", text)
    return [p.strip() for p in parts if p.strip()]
