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


def _intro_kind(intro: str) -> str | None:
    """What the items of a list are, as its introducing words say: focus areas, target groups, or not said."""
    rules = lexicon()["structure"]
    if word_pattern(rules["focus_area_intro"]).search(intro):
        return "focus-area"
    if word_pattern(rules["target_group_intro"]).search(intro):
        return "target-group"
    return None


def _mark_lists(blocks: list[Block]) -> None:
    """Gives each list item the kind its intro names, when the intro's count (if any) fits."""
    by_intro: dict[tuple[str | None, str], list[Block]] = {}
    for block in blocks:
        if block.intro and block.kind in ("bullet", "numbered"):
            by_intro.setdefault((block.heading, block.intro), []).append(block)
    for (_heading, intro), items in by_intro.items():
        kind = _intro_kind(intro)
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


@dataclass(frozen=True)
class Enumeration:
    """A list inside a sentence: its introducing words, its items (verbatim) and their kind."""

    intro: str
    items: list[str]
    kind: str | None  # "focus-area", "target-group", or None where the intro does not say


def inline_enumeration(sentence: str) -> Enumeration | None:
    """The list a sentence holds after a colon ("øge fokus på: A, B, C og D."), or after an
    opener ("nemlig") where its intro states a count; a stated count must fit."""
    rules = lexicon()["structure"]
    intro, rest = _enumeration_start(sentence)
    if rest is None:
        return None
    items = _enumerated(rest.rstrip(" .;"))
    count = _stated_count(intro)
    if (
        len(items) < rules["inline_min_items"]
        or (count is not None and count != len(items))
        or any(not item or len(item.split()) > rules["inline_item_max_words"] for item in items)
    ):
        return None
    return Enumeration(intro, items, _intro_kind(intro))


def _enumeration_start(sentence: str) -> tuple[str, str | None]:
    if ": " in sentence:
        intro, rest = sentence.split(": ", 1)
        return intro, rest
    for opener in lexicon()["structure"]["inline_openers"]:
        match = re.search(r",?\s+" + re.escape(opener) + r"\s+", sentence, re.IGNORECASE)
        if match and _stated_count(sentence[: match.start()]) is not None:
            return sentence[: match.start()], sentence[match.end() :]
    return sentence, None


def _enumerated(text: str) -> list[str]:
    """Items parted by commas, the last two by a joining word (not one a pair word has taken)."""
    *first, last = [part.strip() for part in text.split(", ")]
    rules = lexicon()["structure"]
    words, pairs = last.split(" "), 0
    for index, word in enumerate(words):
        if word.lower() in rules["inline_pair_words"]:
            pairs += 1
        elif word.lower() in rules["inline_joiners"]:
            if pairs:
                pairs -= 1
                continue
            return [*first, " ".join(words[:index]), " ".join(words[index + 1 :])]
    return []  # no joining word: not an enumeration


def states_objective(sentence: str) -> bool:
    """Whether the sentence opens as an objective does ("Målet er, at ...")."""
    opening = sentence.lower()
    return any(opening.startswith(words) for words in lexicon()["structure"]["objective_openers"])
