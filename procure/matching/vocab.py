"""The matcher's vocabulary index, below both :mod:`matcher` (which fills it) and
:mod:`scoring` (which reads it), so neither reaches into the other's private names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Vocab:
    """Keyword entries: single words by lemma, phrases by their first lemma."""

    word_cats: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = field(
        default_factory=lambda: defaultdict(list))
    phrase_cats: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    # the languages a single-word keyword has in each category: "glass" is Swedish (ice cream)
    # for food, whatever "glass collection" makes it for waste
    word_langs: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    ignored: list[tuple[str, str]] = field(default_factory=list)
