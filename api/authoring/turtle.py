"""Writing Turtle text and files: literals, IRIs, slugs, and atomic writes."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from ..graph import PREFIXES

_SLUG_LETTERS = {"æ": "ae", "ø": "o", "å": "aa", "Æ": "ae", "Ø": "o", "Å": "aa"}


def slugify(text: str, max_words: int = 6) -> str:
    """Lower-case ASCII words joined by '-' (data/README.md: ø->o, æ->ae, å->aa)."""
    text = "".join(_SLUG_LETTERS.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    return "-".join(words[:max_words]) or "x"


def literal(text: str, language: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"' + (f"@{language}" if language else "")


def typed(text: str, datatype: str) -> str:
    return f'"{text}"^^{datatype}'


def number(value: float) -> str:
    """Whole numbers bare (xsd:integer), others as decimals (ontology/README.md)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def resource(lines_of_properties: list[tuple[str, str]], subject: str) -> str:
    """One resource in Turtle: ``subject p o ; p o .`` with one property per line."""
    body = " ;\n    ".join(f"{p} {o}" for p, o in lines_of_properties)
    return f"{subject} {body} .\n"


def write_atomically(path: Path, text: str) -> None:
    """Writes the whole file or nothing: a temporary file beside it, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def copy_atomically(data: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def prefix_lines(*names: str) -> str:
    """Turtle ``@prefix`` lines for some of the project's prefixes (api/graph.py), aligned."""
    return "".join(f"@prefix {(name + ':').ljust(8)} <{PREFIXES[name]}> .\n" for name in names)
