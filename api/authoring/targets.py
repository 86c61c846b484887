"""Parses a quantified target's fields from its sentence: value, unit, baseline, deadline,
period words and direction ("Der skal inden udgangen af 2. kvartal 2016 etableres yderligere
50 praktikaftaler" -> 50, unit:places, 2016-06-30, at-least). The words are in lexicon.toml."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .lexicon import first_word_found, lexicon, word_pattern

_YEAR = r"(?:19|20)\d\d"
_NUMBER = r"\d+(?:[.,]\d+)?"


@dataclass(frozen=True)
class Deadline:
    value: str | None  # "2016-06-30" or "2018"; None where the words give no single deadline
    datatype: str | None  # "xsd:date" or "xsd:gYear"
    words: str  # the source's own words (epkg:periodText)


@dataclass(frozen=True)
class TargetFields:
    value: float
    unit: str  # a local name of the unit scheme: "percent", "places", ...
    number_words: str  # the words the value and unit were read from
    baseline: float | None
    deadline: Deadline | None
    direction: str  # a local name of the direction scheme


def _number_value(token: str) -> float | None:
    if re.fullmatch(_NUMBER, token):
        return float(token.replace(",", "."))
    return lexicon()["targets"]["number_words"].get(token.lower())


def _unit_of(word: str) -> str | None:
    for unit, words in lexicon()["targets"]["units"].items():
        if word_pattern(words).match(word):
            return unit
    return None


def quantities(sentence: str) -> list[tuple[float, str, str, int]]:
    """(value, unit, words, position) for each number that stands with a unit, years and
    durations left out. A bare count ("tre indsatspakker") is unit 'count'."""
    rules = lexicon()["targets"]
    tokens = list(re.finditer(r"%|\d+(?:[.,]\d+)?|[\wæøåÆØÅ/-]+\.?", sentence))
    found = []
    for i, token in enumerate(tokens):
        text = token.group(0).rstrip(".")
        value = _number_value(text)
        if value is None or re.fullmatch(_YEAR, text) or sentence[token.end() : token.end() + 1] == ".":
            continue  # a year, or an ordinal ("2. kvartal")
        j = i + 1
        while j < len(tokens) and tokens[j].group(0).lower() in rules["between"]:
            j += 1
        if j >= len(tokens):
            continue
        following = tokens[j].group(0)
        unit = _unit_of(following)
        if unit is None and (following.lower() in rules["not_units"] or not text.isdigit() and value < 2):
            continue
        if unit is None and not following[0].islower():
            continue
        found.append((value, unit or "count", sentence[token.start() : tokens[j].end()], token.start()))
    return found


def parse_deadline(sentence: str) -> Deadline | None:
    rules = lexicon()["deadlines"]
    per_year = word_pattern(rules["per_year"]).search(sentence)
    if per_year:
        tail = re.match(rf".*?{_YEAR}(?:\s*(?:og|–|-)\s*{_YEAR})?", sentence[per_year.start() :])
        return Deadline(None, None, tail.group(0) if tail else per_year.group(0))
    end_of = "|".join(re.escape(w) for w in sorted(rules["end_of"], key=len, reverse=True))
    quarter = re.search(rf"(?i)(?:{end_of})\s+(\d)\.\s*kvartal\s+({_YEAR})", sentence)
    if quarter:
        year, month = int(quarter.group(2)), int(quarter.group(1)) * 3
        return Deadline(_last_day(year, month), "xsd:date", quarter.group(0))
    months = "|".join(rules["months"])
    month_match = re.search(rf"(?i)(?:{end_of})\s+({months})\s+({_YEAR})", sentence)
    if month_match:
        year, number = int(month_match.group(2)), rules["months"][month_match.group(1).lower()]
        return Deadline(_last_day(year, number), "xsd:date", month_match.group(0))
    year_end = re.search(rf"(?i)(?:{end_of})\s+({_YEAR})", sentence)
    if year_end:
        return Deadline(f"{year_end.group(1)}-12-31", "xsd:date", year_end.group(0))
    until = "|".join(re.escape(w) for w in sorted(rules["until"], key=len, reverse=True))
    year_match = re.search(rf"(?i)(?<!\w)(?:{until})\s+({_YEAR})(?!\d)", sentence)
    if year_match:
        return Deadline(year_match.group(1), "xsd:gYear", year_match.group(0))
    return None


def _last_day(year: int, month: int) -> str:
    return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def parse_direction(sentence: str) -> str:
    for direction, words in lexicon()["targets"]["direction"].items():
        if first_word_found(sentence, words):
            return direction
    return "at-least"


def parse_baseline(sentence: str, found: list[tuple[float, str, str, int]]) -> tuple[float | None, int]:
    """``fra 25 % til 20 %``: the first quantity is the baseline, the next the target value."""
    words = lexicon()["targets"]["baseline"]
    if len(found) >= 2:
        before = sentence[: found[0][3]].rstrip().lower()
        if any(before.endswith(w) for w in words):
            return found[0][0], 1
    return None, 0


def parse_target(sentence: str) -> TargetFields | None:
    """The target's fields, or None where the sentence has no number with a unit."""
    found = quantities(sentence)
    if not found:
        return None
    baseline, index = parse_baseline(sentence, found)
    value, unit, words, _position = found[index]
    return TargetFields(value, unit, words, baseline, parse_deadline(sentence), parse_direction(sentence))
