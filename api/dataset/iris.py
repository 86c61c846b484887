"""The list of published IRIs (docs/published-iris.txt): read it, and merge new IRIs into it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

PUBLISHED_IRIS = Path("docs") / "published-iris.txt"


def read_iri_list(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


IRI_LIST_HEADER = (
    "# Every IRI the dataset has published. The list only grows: an IRI once here must keep resolving\n"
    "# (docs/uri-policy.md). Add new ones with: epkg export --format iris --output docs/published-iris.txt\n"
)


def merged_iri_list(existing: Iterable[str], current: Iterable[str]) -> str:
    return IRI_LIST_HEADER + "".join(f"{iri}\n" for iri in sorted(set(existing) | set(current)))
