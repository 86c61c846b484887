"""Authoring tools: from a municipality's plan text to a validated plan file (``epkg author``).

One module per step: ``sources`` registers a text, ``passages`` finds verbatim passages,
``structure`` reads a text's headings and lists, ``targets`` parses quantified targets,
``scaffold`` writes a draft plan, ``suggest`` proposes goal links as a review table,
``review`` turns accepted rows into goal links, ``check`` checks one plan file. The Danish
words the parsers rely on are in ``lexicon.toml``.
"""

from ..errors import UserError


class AuthoringError(UserError):
    """Bad input to an authoring step: said in words, exit code 2, nothing written."""
