"""The authoring tools' linguistic rules, read from lexicon.toml (Danish words, not code)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    with LEXICON_FILE.open("rb") as handle:
        return tomllib.load(handle)


def word_pattern(words: list[str]) -> re.Pattern[str]:
    """Matches any of the words at the start of a word, case-insensitive, longest first."""
    alternatives = sorted((re.escape(w.lower()) for w in words), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def first_word_found(text: str, words: list[str]) -> str | None:
    match = word_pattern(words).search(text) if words else None
    return match.group(0) if match else None
