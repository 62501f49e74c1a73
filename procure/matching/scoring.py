"""Scoring: from the keywords a text's words were read as to ranked categories with confidence.

Each keyword hit has a strength: how it was found (whole word > compound part > spelling), how
specific the keyword is (a keyword in three categories says less than one in one; a phrase of
generic words — "construction of new", "office supplies" — less than a specific noun such as
"roundabout"), and where it stood (after "till"/"for", at a place or in a street name, in the
object of "X av Y", in context text, or — in English — as the modifier of another noun, as
"road" in "road sweepers"). A category's score is the noisy-OR of its hits, so independent
evidence adds up but never passes 100; a child category also takes its parents' evidence.

:class:`Scoring` is a mixin of :class:`~procure.matching.matcher.Matcher`: it reads the indexed
vocabulary the matcher builds and its token analysis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from procure.i18n import pick
from procure.matching.text import (
    ACTIVITY_HEADS,
    DEFINITE,
    ENDINGS,
    GENERIC,
    OFF_SCOPE,
    PURPOSE_WEIGHT,
    STOPWORDS,
    Token,
    language_votes,
)

if TYPE_CHECKING:
    from procure.matching.family import Choice
    from procure.matching.vocab import Vocab

BASE_WORD = 0.88
GENERIC_WORD = 0.85  # a single generic keyword ("maskiner", "vehicles") on its own
GENERIC_IN_PHRASE = 0.6  # how much a generic word adds to a phrase ("office" in "office supplies")
BRANCH_SHARING = 0.2  # a word used by the keywords of several branches adds less to a phrase
Q_SCATTERED_PHRASE = 0.8
OBJECT_WEIGHT = 0.7  # "Asfaltering av gator": the object after a matched head counts less
Q_EN_MODIFIER = 0.7  # "road" in "Road Resurfacing": the modifier of another category's word
Q_EN_UNKNOWN_HEAD = 0.8  # "vehicle" in "vehicle charging points": the modifier of an unknown noun
SHARED = 0.35  # how much less a keyword says for each further branch that lists it
Q_FOREIGN = 0.4  # a Swedish-only keyword read in an English text
ASIDE = 0.65  # words weighing less than this share of their text part's most (places, names)


@dataclass(frozen=True)
class Evidence:
    """One reason for a match: a CPV prefix or a keyword, and what in the input it matched."""

    kind: str  # cpv | word | phrase | compound | spelling | foreign | parent (via a subcategory)
    keyword: str
    found: str

    def describe(self, lang: str = "sv") -> str:
        if self.kind == "cpv":
            return f"CPV {self.found} ∈ {self.keyword}"
        if self.kind == "compound":  # "skolskjuts" in "skolskjutsavtal"
            return f"“{self.keyword}” {pick(lang, 'i', 'in')} “{self.found}”"
        if self.kind == "spelling":
            return f"“{self.keyword}” ≈ “{self.found}”"
        if self.kind == "parent":  # the subcategory whose evidence this is, and its reason
            return f"{self.keyword}: {self.found}"
        if self.found.casefold() == self.keyword.casefold():
            return f"“{self.keyword}”"
        return f"“{self.keyword}” ({self.found})"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "keyword": self.keyword, "found": self.found}


@dataclass(frozen=True)
class Match:
    """A category a text matched, how strongly (0–100), how sure, and why."""

    category_id: str
    name: str
    score: int
    confidence: str
    why: tuple[Evidence, ...] = ()
    lang: str = field(default="sv", compare=False, repr=False)  # of ``reason``

    @property
    def reason(self) -> str:
        return ", ".join(e.describe(self.lang) for e in self.why)

    def to_dict(self) -> dict[str, Any]:
        return {"category_id": self.category_id, "category_name": self.name,
                "score": self.score, "confidence": self.confidence,
                "why": [e.to_dict() for e in self.why], "reason": self.reason}


@dataclass(frozen=True)
class Hit:
    """A keyword one word of the text was read as."""

    lemma: str
    kind: str  # word | compound | spelling | foreign (a Swedish keyword in English text)
    quality: float
    solid: bool = True  # False when a part of the word was guessed or the language differs


class Found(NamedTuple):
    """One keyword hit for one category."""

    strength: float
    positions: tuple[int, ...]
    lemma: str
    why: Evidence
    solid: bool  # specific enough to carry a high-confidence match
    weak: bool = False  # at a place, in a street name, guessed or misspelt: no lift for a child
    core: tuple[int, ...] = ()  # positions of its specific (not generic, not filler) words
    span: tuple[int, ...] = ()  # all its words, when a stronger hit took some of them
    full: float = 0.0  # its strength before that


class Scored(NamedTuple):
    score: float
    covered: frozenset[int]  # main-text positions explained, parents' hits included
    solid: bool


def specificity(cats: Iterable[str], ancestors: dict[str, tuple[str, ...]]) -> float:
    """1.0 for a keyword of one branch; less when several branches share it."""
    cats = set(cats)
    branches = [c for c in cats if not any(a in cats for a in ancestors[c])]
    return 1.0 / (1.0 + SHARED * (max(1, len(branches)) - 1))


def word_information(word_cats: dict[str, set[str]], ancestors: dict[str, tuple[str, ...]]
                     ) -> dict[str, float]:
    """How much each keyword word adds to a phrase (1.0 = specific, less = generic)."""
    out = {}
    for word, cats in word_cats.items():
        branches = [c for c in cats if not any(a in cats for a in ancestors[c])]
        info = 1.0 / (1.0 + BRANCH_SHARING * (max(1, len(branches)) - 1))
        out[word] = info * (GENERIC_IN_PHRASE if word in GENERIC else 1.0)
    return out


class Scoring:
    """Evidence, scores and confidence; mixed into the matcher, which provides the fields."""

    _vocab: Vocab
    _ancestors: dict[str, tuple[str, ...]]
    _depth: dict[str, int]
    _lemma_langs: dict[str, set[str]]
    _spec: dict[str, float]
    _phrase_spec: dict[tuple[str, ...], float]
    _info: dict[str, float]
    _off_cache: dict[str, bool]
    _lang_cache: dict[str, int]
    _goods_only: dict[str, bool]

    def _analyse(self, word: str, strict: bool = False) -> tuple[Hit, ...]:
        raise NotImplementedError

    def _whole(self, word: str) -> frozenset[str]:
        raise NotImplementedError

    def _is_filler(self, word: str) -> bool:
        raise NotImplementedError

    # ----------------------------------------------------------------- language

    def _is_english(self, toks: list[Token]) -> bool:
        """English when it has more English than Swedish signs, counting the words known only
        as English (or only as Swedish) keywords."""
        en, sv = language_votes(toks)
        cache = self._lang_cache
        for t in toks:
            vote = cache.get(t.text)
            if vote is None:
                langs: set[str] = set()
                for lemma in self._whole(t.text):
                    langs |= self._lemma_langs[lemma]
                vote = 1 if langs == {"en"} else -1 if langs == {"sv"} else 0
                if len(cache) < 500_000:
                    cache[t.text] = vote
            if vote > 0:
                en += 1
            elif vote < 0:
                sv += 1
        return en > sv

    # ----------------------------------------------------------------- evidence

    def _evidence(self, toks: list[Token]
                  ) -> tuple[dict[str, list[Found]], dict[int, float], set[int]]:
        """Keyword hits per category, the weight of each main-text word, off-scope words.

        Each word of the text and each keyword counts at most once per category (the strongest
        reading wins), so "skolskjuts" listed in two inflections is still one piece of evidence.
        """
        found: dict[str, list[Found]] = defaultdict(list)
        english = self._is_english(toks)
        content = [t for t in toks if t.text not in STOPWORDS and t.text != "it."]
        readings = [self._analyse(t.text, english) for t in content]
        if not english:
            content = _definite_places(content, readings)
        weights: dict[int, float] = {}
        off_scope: set[int] = set()
        for t in content:
            if t.segment == 0 and not self._is_filler(t.text):
                weights[t.position] = t.weight
                if self._off_scope(t.text):
                    off_scope.add(t.position)
        analysed = []
        rank = 0
        word_cats = self._vocab.word_cats
        word_langs = self._vocab.word_langs
        for t, hits in zip(content, readings):
            if hits:  # earlier words lead a title; a tie-breaker, not more
                t = Token(t.text, t.weight * max(0.9, 1.0 - 0.015 * rank), *t[2:])
                rank += 1
            analysed.append((t, hits))

        def add(cid: str, item: Found) -> None:
            found[cid].append(item)

        for tok, hits in analysed:
            if tok.position in off_scope:
                continue  # "projektledning" is not a "ledning", "kontroller" no "roller"
            for hit in hits:
                cats = word_cats.get(hit.lemma)
                if not cats:
                    continue
                generic = hit.lemma in GENERIC
                strength = BASE_WORD * hit.quality * tok.weight * self._spec[hit.lemma] * (
                    GENERIC_WORD if generic else 1.0)
                solid = hit.solid and not generic and hit.kind != "spelling"
                weak = hit.kind in ("spelling", "foreign")
                for cid, keyword in cats.items():
                    if english and not weak and word_langs[hit.lemma, cid] == {"sv"}:
                        # Swedish only for this category: "glass" (ice cream) in an English text
                        add(cid, Found(strength * Q_FOREIGN, (tok.position,), hit.lemma,
                                       Evidence("foreign", keyword, tok.text), False, True,
                                       (tok.position,)))
                        continue
                    add(cid, Found(strength, (tok.position,), hit.lemma,
                                   Evidence(hit.kind, keyword, tok.text), solid, weak,
                                   () if generic else (tok.position,)))
        if self._vocab.phrases:
            self._phrase_evidence(analysed, add)
        at = {tok.position: tok for tok, _ in analysed}
        base: dict[int, float] = defaultdict(float)
        for t in content:
            base[t.segment] = max(base[t.segment], t.weight)
        aside = {t.position for t in content if t.weight < ASIDE * base[t.segment]}
        if aside:
            for items in found.values():
                for n, item in enumerate(items):
                    if not item.weak and min(item.positions) in aside:
                        items[n] = item._replace(weak=True)
        self._objects(found, at)
        if english:
            self._english_modifiers(found, at)
        own: dict[str, list[Found]] = {}
        for cid, items in found.items():
            items.sort(key=lambda item: -item.strength)
            used_pos: set[int] = set()
            used_lemma: set[str] = set()
            kept = []
            for item in items:
                if item.lemma in used_lemma:
                    continue
                new = [p for p in item.positions if p not in used_pos]
                if not new:
                    continue
                if len(new) < len(item.positions):  # a phrase sharing a word with a stronger one
                    share = len(new) / len(item.positions)
                    item = item._replace(strength=1.0 - (1.0 - item.strength) ** share,
                                         positions=tuple(new),
                                         core=tuple(p for p in item.core if p in new),
                                         span=item.positions, full=item.strength)
                used_pos.update(new)
                used_lemma.add(item.lemma)
                kept.append(item)
            own[cid] = kept
        return own, weights, off_scope

    def _objects(self, found: dict[str, list[Found]], at: dict[int, Token]) -> None:
        """The object of "X av Y" / "X of Y" counts less than a matched X ("Asfaltering av
        gator", "Contract hire of passenger cars"), unless it names X itself or a subcategory
        of every category X was read as ("Construction of new roundabout")."""
        heads: dict[int, set[str]] = defaultdict(set)  # phrase → categories of its head
        objects = False
        for cid, items in found.items():
            for item in items:
                toks = [at[p] for p in item.positions]
                if any(not t.after_of for t in toks):
                    if item.core:  # "Leasing av …", "Hyra av …": how, not what
                        heads[toks[0].phrase].add(cid)
                else:
                    objects = True
        if not heads or not objects:
            return
        for cid, items in found.items():
            objects_of: dict[int, list[int]] = defaultdict(list)
            for n, item in enumerate(items):
                toks = [at[p] for p in item.positions]
                head = heads.get(toks[0].phrase)
                if not head or any(not t.after_of for t in toks):
                    continue
                if cid not in head and all(h in self._ancestors[cid] for h in head):
                    continue  # a subcategory of every reading of the head
                objects_of[toks[0].phrase].append(n)
            for indexes in objects_of.values():
                # a list of objects ("av gator och vägar") is one piece of evidence, not several
                indexes.sort(key=lambda n: -items[n].strength)
                for k, n in enumerate(indexes):
                    factor = OBJECT_WEIGHT if k == 0 else OBJECT_WEIGHT * OBJECT_WEIGHT
                    items[n] = items[n]._replace(strength=items[n].strength * factor)

    def _english_modifiers(self, found: dict[str, list[Found]], at: dict[int, Token]) -> None:
        """In English the last noun of a group is what it is about: "Road Resurfacing",
        "Copier paper", "Grounds Maintenance Machinery". A hit directly followed by a word of
        another category counts less, and one followed by an unknown noun ("electric vehicle
        charging points") too, and is not specific. Activity words and generic heads ("Lift
        maintenance", "Playground equipment") leave the word before them as it is, and count
        less themselves when that word belongs elsewhere ("Landscaping works")."""
        cats_at: dict[int, set[str]] = defaultdict(set)
        for cid, items in found.items():
            for item in items:
                for p in item.positions:
                    cats_at[p].add(cid)

        # in a sentence-case title a capitalised word inside is a name ("Civil work Kårstø
        # process plant"), not the noun a keyword modifies
        later = [t for t in at.values() if t.position > min(at, default=0)]
        title_case = sum(t.upper for t in later) >= 0.6 * len(later)

        def related(cid: str, others: set[str]) -> bool:
            return cid in others or any(
                c in self._ancestors[cid] or cid in self._ancestors[c] for c in others)

        for cid, items in found.items():
            for n, item in enumerate(items):
                first, last = at[min(item.positions)], at[max(item.positions)]
                nxt = at.get(last.position + 1)
                if nxt is not None and nxt.phrase == last.phrase and \
                        nxt.segment == last.segment and not self._is_filler(nxt.text):
                    others = cats_at.get(nxt.position)
                    if nxt.text in ACTIVITY_HEADS:
                        pass
                    elif not others:
                        if title_case or not nxt.upper:
                            items[n] = item = item._replace(
                                strength=item.strength * Q_EN_UNKNOWN_HEAD, solid=False)
                    elif not related(cid, others):
                        items[n] = item = item._replace(strength=item.strength * Q_EN_MODIFIER)
                prev = at.get(first.position - 1)
                if len(item.positions) == 1 and first.text in ACTIVITY_HEADS and \
                        prev is not None and prev.phrase == first.phrase:
                    others = cats_at.get(prev.position)
                    if others and not related(cid, others):
                        items[n] = item._replace(strength=item.strength * Q_EN_MODIFIER)

    def _off_scope(self, word: str) -> bool:
        """Is ``word`` (or the head of it, "skade|försäkring") an advice/checking/people word?"""
        cached = self._off_cache.get(word)
        if cached is None:
            n = len(word)
            cached = any(word[j:] in OFF_SCOPE for j in range(max(1, n - 3))) or any(
                (word[:j] in OFF_SCOPE and (j < n - 2 or word[j:] in ENDINGS))
                or (word[j - 1] == "s" and word[:j - 1] in OFF_SCOPE)
                for j in range(4, n + 1))
            if len(self._off_cache) < 500_000:
                self._off_cache[word] = cached
        return cached

    def _phrase_evidence(self, analysed: list[tuple[Token, tuple[Hit, ...]]],
                         add: Callable[[str, Found], None]) -> None:
        phrases = self._vocab.phrases
        lemmas_at = [self._whole(tok.text) for tok, _ in analysed]
        for i, (tok, _) in enumerate(analysed):
            # in a fixed order: a set's order changes with the process's string hashing, and
            # of two equally strong phrases ("bärbar dator", "bärbara datorer") the first found
            # is the one kept, so the reason given would change from run to run
            for lemma in sorted(lemmas_at[i]):
                if lemma not in phrases:
                    continue
                for phrase, cid, keyword in phrases[lemma]:
                    span = len(phrase)
                    adjacent = i + span <= len(analysed) and all(
                        phrase[k] in lemmas_at[i + k] and analysed[i + k][0].segment ==
                        tok.segment and analysed[i + k][0].phrase == tok.phrase
                        for k in range(1, span))  # not across punctuation: "Foods – Catering"
                    positions = [analysed[i + k][0].position for k in range(span)] \
                        if adjacent else []
                    quality = 1.0
                    if not adjacent:
                        positions = self._scattered(analysed, lemmas_at, i, phrase)
                        if not positions:
                            continue
                        quality = Q_SCATTERED_PHRASE
                    # the phrase may hold its own "till" / "för": its first word's weight
                    one = BASE_WORD * quality * tok.weight * self._phrase_spec[phrase]
                    # each word of the phrase is explained, a specific word more than a generic
                    # one: "construction of new" says less than "new roundabout"
                    informative = sum(self._info[w] for w in phrase)
                    strength = 1.0 - (1.0 - one) ** informative
                    words = " ".join(analysed[k][0].text for k in range(len(analysed))
                                     if analysed[k][0].position in positions)
                    core = tuple(p for p, w in zip(positions, phrase)
                                 if w not in GENERIC and not self._is_filler(w))
                    add(cid, Found(strength, tuple(positions), " ".join(phrase),
                                   Evidence("phrase", keyword, words), bool(core), core=core))

    def _scattered(self, analysed: list[tuple[Token, tuple[Hit, ...]]],
                   lemmas_at: list[frozenset[str]], i: int, phrase: tuple[str, ...]
                   ) -> list[int]:
        """Positions of a phrase's words found near each other (±3 words, same phrase, not
        across "till"/"for"/"at": "Möbler till nya stadshuset" is not "nya möbler"); filler
        does not count ("Supply of … office" is not "office supplies")."""
        first = analysed[i][0]
        positions = [first.position]
        if self._is_filler(first.text):
            return []
        for word in phrase[1:]:
            found = None
            for k in range(max(0, i - 3), min(len(analysed), i + 4)):
                tok = analysed[k][0]
                if k != i and word in lemmas_at[k] and tok.segment == first.segment \
                        and tok.zone == first.zone and not self._is_filler(tok.text):
                    found = tok.position
                    break
            if found is None:
                return []
            positions.append(found)
        return positions

    # ----------------------------------------------------------------- combining

    def _scored(self, cid: str, own: dict[str, list[Found]]) -> Scored:
        """Noisy-OR of a category's hits and of its parents' hits on words it does not explain.

        Taken the better of two ways: the category's own hits first ("Construction of a new
        school": the parent's "construction" supports new buildings too), or its parents'
        score first with the category's hits on further words on top ("Hire of plant and
        machinery with operators": machine hire keeps what machines has and adds "hire").
        Weak evidence of its own (a street name, a word after "at") does not lift a child above
        its parent: "Demolition of Former Council Depot, Station Road" is construction.
        """
        hits = own[cid]
        chain = [own.get(p, []) for p in self._ancestors[cid]]
        covered = frozenset(p for layer in (hits, *chain) for item in layer
                            for p in item.positions)
        if not any(chain):
            score, solid = _stack([hits])
            return Scored(score, covered, solid)
        strong = [h for h in hits if not h.weak]
        if strong:
            score, solid = max(_stack([hits, *chain]), _stack([*chain, hits]))
        else:
            score, solid = max(_stack([hits]), _stack(chain))
        return Scored(score, covered, solid)

    def _with_confidence(self, matches: list[Match], final: dict[str, Scored],
                         weights: dict[int, float], cpv_rank: dict[str, int],
                         off_scope: set[int], choice: Choice | None = None,
                         service_head: int | None = None) -> list[Match]:
        """*High* needs a score of 80+, a lead of 12+ over other branches, an exact hit on a
        specific word, and half of the title explained; advice/checking words make it *low*.
        A subcategory chosen over its parent and siblings on clear evidence of its own has
        only other branches as rivals; one chosen on weak or contested evidence is at most
        *medium*."""
        if not matches:
            return matches
        total = sum(weights.values())
        out = []
        for n, m in enumerate(matches):
            lineage = {m.category_id, *self._ancestors[m.category_id]}
            chosen = choice is not None and n == 0 and m.category_id == choice.category
            if chosen and choice.decisive:
                lineage |= choice.family
            rivals = [o.score for o in matches if o.category_id not in lineage
                      and m.category_id not in self._ancestors[o.category_id]]
            margin = m.score - max(rivals, default=0)
            scored = final.get(m.category_id)
            explained = scored.covered if scored else frozenset()
            if m.category_id in cpv_rank:
                top_length = max(cpv_rank.values())
                tied = [o for o in matches if cpv_rank.get(o.category_id) == top_length]
                clear = len(tied) == 1 or margin > 0
                confidence = "high" if n == 0 and clear and cpv_rank[m.category_id] == top_length \
                    else "medium"
            else:
                coverage = sum(weights.get(p, 0.0) for p in explained) / total if total else 0.0
                solid = scored is not None and scored.solid
                if (m.score >= 80 and margin >= 12 and solid
                        and (coverage >= 0.5 or m.score >= 95)):
                    confidence = "high"
                elif m.score >= 60:
                    confidence = "medium"
                else:
                    confidence = "low"
                weak_child = chosen and not choice.decisive and self._ancestors[m.category_id]
                if confidence == "high" and (n > 0 or weak_child):  # only a clear top is sure
                    confidence = "medium"
                if confidence == "high" and service_head is not None and \
                        service_head not in explained and self._goods_only[m.category_id]:
                    confidence = "medium"  # services around goods or works: design, upkeep
                if off_scope - explained:
                    confidence = "low"
            out.append(Match(m.category_id, m.name, m.score, confidence, m.why, m.lang))
        return out


def _definite_places(content: list[Token], readings: list[tuple[Hit, ...]]) -> list[Token]:
    """In a Swedish ledger line a keyword in the definite singular after another keyword names
    the place, not the purchase: "Fazer bröd skolköket", "Städmaterial förskolan". It weighs
    as a word after "till"."""
    out = content
    seen: set[int] = set()  # phrases with a keyword hit so far
    for n, (tok, hits) in enumerate(zip(content, readings)):
        if not hits:
            continue
        if tok.phrase in seen and _definite(tok.text, hits):
            if out is content:
                out = list(content)
            out[n] = tok._replace(weight=tok.weight * PURPOSE_WEIGHT)
        seen.add(tok.phrase)
    return out


def _definite(word: str, hits: tuple[Hit, ...]) -> bool:
    """Is ``word`` a keyword in the definite singular ("skolköket" = "skolkök" + "et")?"""
    return word[-1] in "nt" and all(h.lemma != word for h in hits) and any(
        len(h.lemma) >= 4 and word.endswith(h.lemma + e) for h in hits for e in DEFINITE)


def _stack(layers: Iterable[list[Found]]) -> tuple[float, bool]:
    """Noisy-OR of hits, layer by layer, skipping words and keywords already counted."""
    used_pos: set[int] = set()
    used_lemma: set[str] = set()
    miss = 1.0
    solid = False
    for hits in layers:
        for item in hits:
            new = [p for p in item.positions if p not in used_pos]
            if item.lemma in used_lemma or not new:
                continue
            # a phrase sharing a word with one counted before adds its new words' share
            # ("vehicle lease" after the parent's "vehicle")
            share = len(new) / len(item.positions)
            used_pos.update(new)
            used_lemma.add(item.lemma)
            miss *= (1.0 - item.strength) ** share
            solid = solid or (item.solid and share == 1.0)
    return 1.0 - miss, solid
