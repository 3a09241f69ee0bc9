"""Small text helpers the other presentation modules share."""

from __future__ import annotations


def aside(text: str) -> str:
    """A parenthesis after a word: a space before "(", none before the full-width "（" Chinese uses."""
    return text if text.startswith("（") else " " + text
