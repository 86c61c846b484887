"""Finds the verbatim passage behind words copied from a PDF.

A copy from a PDF breaks lines, hyphenates words ("opkvali- ficering"), turns quotes
typographic and adds spaces. Both the query and the source are reduced to their letters and
digits, lower-cased, with a map back to the source's characters; a hit is the source's own
text from the first to the last matching character (whitespace-normalised, as every
epkg:quote is compared). Where nothing matches, the nearest lines are returned with the
first place where they differ.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..provenance import normalise
from .structure import Block, read_blocks


@dataclass(frozen=True)
class Found:
    quote: str  # verbatim (whitespace-normalised): a valid epkg:quote
    line: int  # the source line where it starts
    heading: str | None  # the section heading it stands under
    occurrences: int  # how many places in the source hold the same words


@dataclass(frozen=True)
class Candidate:
    text: str
    line: int
    heading: str | None
    similarity: float  # 0..1
    why: str  # where the query and the candidate first differ


def _letters(text: str) -> tuple[str, list[int]]:
    """The text's letters and digits, lower-cased, and each one's index in the text."""
    keys, positions = [], []
    for index, character in enumerate(text):
        if character.isalnum():
            keys.append(character.lower())
            positions.append(index)
    return "".join(keys), positions


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _heading_at(blocks: list[Block], line: int) -> str | None:
    heading = None
    for block in blocks:
        if block.line > line:
            break
        heading = block.heading
    return heading


def find_passage(source: str, words: str) -> Found | None:
    """The verbatim passage the words were copied from, or None."""
    query, _ = _letters(words)
    if not query:
        return None
    keys, positions = _letters(source)
    start = keys.find(query)
    if start < 0:
        return None
    end = positions[start + len(query) - 1] + 1
    # Keep the sentence's closing punctuation when the copy had it too.
    tail = words.rstrip()[-1:]
    if tail and not tail.isalnum() and source[end : end + 1] == tail:
        end += 1
    begin = positions[start]
    line = _line_of(source, begin)
    return Found(
        normalise(source[begin:end]), line, _heading_at(read_blocks(source), line), keys.count(query)
    )


def nearest(source: str, words: str, limit: int = 3) -> list[Candidate]:
    """The lines (or sentences) of the source most like the words, best first."""
    query, _ = _letters(words)
    scored = []
    for block in read_blocks(source):
        key, _ = _letters(block.text)
        if not key:
            continue
        matcher = difflib.SequenceMatcher(None, query, key, autojunk=False)
        # How much of the query the line holds, in order: a long line holding all of a short
        # query scores 1, whatever else it says.
        shared = sum(size for _a, _b, size in matcher.get_matching_blocks())
        scored.append((shared / len(query), block, matcher))
    scored.sort(key=lambda item: -item[0])
    return [
        Candidate(b.text, b.line, b.heading, round(r, 3), _why(m, words, b.text))
        for r, b, m in scored[:limit]
    ]


def _why(matcher: difflib.SequenceMatcher, words: str, text: str) -> str:  # type: ignore[type-arg]
    """The first difference between query and candidate, in the candidate's letters."""
    first: str = matcher.a  # type: ignore[attr-defined]
    second: str = matcher.b  # type: ignore[attr-defined]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        given, there = first[i1:i2] or "(nothing)", second[j1:j2] or "(nothing)"
        if tag == "insert" and i1 == len(first):
            return f"the source goes on after your words ({there[:40]}…): copy a longer part or check the end"
        if tag == "delete" and j1 == len(second):
            return f"your words go on past this line ({given[:40]}…): the passage may span lines or not exist"
        return f"letters differ at '{given[:30]}' (source: '{there[:30]}')"
    return "the same letters"
