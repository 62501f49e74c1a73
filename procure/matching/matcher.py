"""The category matcher: vocabulary indexed once, then many texts matched fast.

How a text is scored (the *why* of every match is kept as :class:`Evidence`):

1. The text is split into word tokens; numbers, procurement filler and function words are set
   aside (:mod:`procure.matching.text`).
2. Each distinct token is analysed once (cached): is it a keyword root plus an inflectional
   ending ("bussarna" = "buss" + "arna")? If not, is it a compound whose head or modifier is a
   keyword ("tjänste|bilar", "skolskjuts|avtal")? If not, a keyword without its å/ä/ö
   ("stadning")? Only then rapidfuzz looks for a near spelling ("skolskjuts" for "skolsjuts").
3. Multi-word keywords ("school bus") count when their words stand together.
4. Each keyword hit has a strength: how it was found (whole word > compound part > spelling),
   how specific the keyword is (a keyword in three categories says less than one in one), and
   where it stood (after "till"/"för" or in the context text it counts less). A category's
   score is the noisy-OR of its hits, so independent evidence adds up but never passes 100.
   A child category also gets half the strength of its parents' hits.
5. Confidence is *high* only with a strong score, a clear lead over other branches and a main
   text mostly explained by the match; below ``min_score`` there is no match at all.

A CPV code, when it falls in a category's codes, decides (the longest prefix wins) and the
text only orders categories sharing that prefix.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from procure.matching.cpv import parse_cpv, prefix_of
from procure.matching.text import (
    EN_ENDINGS,
    ENDINGS,
    FILLER,
    OFF_SCOPE,
    STOPWORDS,
    Token,
    fold,
    looks_english,
    roots_of,
    tokens,
)
from procure.model import CriteriaSet

CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
MAX_ENDING = max(len(e) for e in ENDINGS)

# Strength of one word hit before specificity and position, and of compound parts.
BASE_WORD = 0.88
Q_HEAD = 0.92  # "tjänste|bilar": the head names the thing
Q_MODIFIER = 0.97  # "skolskjuts|avtal": the modifier when the head is filler
Q_MODIFIER_UNKNOWN = 0.8  # "mat|kasse": the modifier of an unknown head
Q_MODIFIER_WEAK = 0.55  # "el|bil": the modifier when the head is itself a keyword
Q_FOLDED = 0.92
Q_SCATTERED_PHRASE = 0.8
INHERIT = 1.0
OBJECT_WEIGHT = 0.7  # "Asfaltering av gator": the object after a matched head counts less
CONTEXT_WEIGHT = 0.6
FUZZY_CUTOFF = 88.0


@dataclass(frozen=True)
class Evidence:
    """One reason for a match: a CPV prefix or a keyword, and what in the input it matched."""

    kind: str  # cpv | word | phrase | compound | spelling | parent
    keyword: str
    found: str

    def describe(self) -> str:
        if self.kind == "cpv":
            return f"CPV {self.found} ∈ {self.keyword}"
        if self.kind == "compound":
            return f"“{self.keyword}” i “{self.found}”"
        if self.kind == "spelling":
            return f"“{self.keyword}” ≈ “{self.found}”"
        if self.kind == "parent":
            return f"överkategori: “{self.keyword}” ({self.found})"
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

    @property
    def reason(self) -> str:
        return ", ".join(e.describe() for e in self.why)

    def to_dict(self) -> dict[str, Any]:
        return {"category_id": self.category_id, "category_name": self.name,
                "score": self.score, "confidence": self.confidence,
                "why": [e.to_dict() for e in self.why], "reason": self.reason}


@dataclass(frozen=True)
class _Hit:
    lemma: str
    kind: str  # word | compound | spelling
    quality: float


_Found = tuple[float, tuple[int, ...], str, "Evidence"]  # strength, word positions, lemma, why


@dataclass
class _Vocab:
    """Keyword entries: single words by lemma, phrases by their first lemma."""

    word_cats: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = field(
        default_factory=lambda: defaultdict(list))
    phrase_cats: dict[tuple[str, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    ignored: list[tuple[str, str]] = field(default_factory=list)


class Matcher:
    """Match purchase texts (and CPV codes) to the categories of a criteria set.

    Build it once per set: the vocabulary is normalised and indexed in the constructor, and
    results are cached per distinct token and per distinct text, so a year of ledger lines with
    the same texts over and over costs little more than its distinct texts.
    """

    def __init__(self, criteria_set: CriteriaSet, *, lang: str = "sv", min_score: int = 40,
                 cache_size: int = 200_000) -> None:
        self.criteria_set = criteria_set
        self.lang = lang
        self.min_score = min_score
        self.cache_size = cache_size
        self._names = {cid: cat.label(lang) for cid, cat in criteria_set.categories.items()}
        self._ancestors = {cid: tuple(criteria_set.ancestors(cid)[1:])
                           for cid in criteria_set.categories}
        self._depth = {cid: cid.count(".") for cid in criteria_set.categories}
        self._vocab = _Vocab()
        self._roots: dict[str, set[str]] = defaultdict(set)  # Swedish roots (+ENDINGS)
        self._roots_en: dict[str, set[str]] = defaultdict(set)  # English words (+s/es)
        self._lemma_langs: dict[str, set[str]] = defaultdict(set)
        self._folded: dict[str, set[str]] = defaultdict(set)
        self._filler_roots: set[str] = set()
        self._cpv: dict[str, set[str]] = defaultdict(set)
        self._token_cache: dict[tuple[str, bool], tuple[_Hit, ...]] = {}
        self._whole_cache: dict[str, frozenset[str]] = {}
        self._off_cache: dict[str, bool] = {}
        self._filler_cache: dict[str, bool] = {}
        self._text_cache: dict[tuple[str, str | None, str | None, int], list[Match]] = {}
        self._build()

    # ----------------------------------------------------------------- building the index

    def _build(self) -> None:
        for word in FILLER:
            self._filler_roots |= roots_of(word)
        for cid, cat in self.criteria_set.categories.items():
            entries: list[tuple[str, str]] = []
            for lang, words in cat.keywords.items():
                entries.extend((lang, w) for w in words)
            for lang, name in cat.name.items():
                entries.extend((lang, part) for part in _name_parts(name))
            for lang, keyword in entries:
                self._add_keyword(cid, keyword, lang)
            for code in cat.cpv:
                if code.isdigit() and len(code) == 8:
                    self._cpv[prefix_of(code)].add(cid)
        for lemma, langs in self._lemma_langs.items():
            for lang in langs:
                index = self._roots if lang == "sv" else self._roots_en
                for root in roots_of(lemma, lang):
                    index[root].add(lemma)
        for root, lemmas in self._roots.items():
            folded = fold(root)
            if folded != root:
                self._folded[folded] |= lemmas
        self._fuzzy_choices = sorted({r for r in (*self._roots, *self._roots_en) if len(r) >= 5})
        self._spec = {lemma: _specificity(cats, self._ancestors)
                      for lemma, cats in self._vocab.word_cats.items()}
        self._phrase_spec = {p: _specificity(cats, self._ancestors)
                             for p, cats in self._vocab.phrase_cats.items()}

    def _add_keyword(self, cid: str, keyword: str, lang: str) -> None:
        # in a keyword "it" is always the acronym ("it equipment"), never the pronoun
        words = ["it" if t.text == "it." else t.text for t in tokens(keyword)
                 if t.text not in STOPWORDS]
        if not words or all(w in FILLER for w in words):
            self._vocab.ignored.append((cid, keyword))
            return
        for word in words:
            self._lemma_langs[word].add(lang)
        if len(words) == 1:
            self._vocab.word_cats[words[0]].setdefault(cid, keyword)
            return
        phrase = tuple(words)
        if cid not in self._vocab.phrase_cats[phrase]:
            self._vocab.phrase_cats[phrase].add(cid)
            self._vocab.phrases[phrase[0]].append((phrase, cid, keyword))

    @property
    def ignored_keywords(self) -> list[tuple[str, str]]:
        """Keywords made only of filler words ("avtal", "services"): they cannot tell categories apart."""
        return list(self._vocab.ignored)

    # ----------------------------------------------------------------- token analysis

    def _whole(self, word: str) -> frozenset[str]:
        """Lemmas ``word`` is an inflected form of (root + ending)."""
        cached = self._whole_cache.get(word)
        if cached is not None:
            return cached
        found: set[str] = set()
        n = len(word)
        for j in range(n, max(1, n - MAX_ENDING - 1), -1):
            ending = word[j:]
            if ending not in ENDINGS or (j < 3 and ending) or (j < 4 and ending in ("a", "e")):
                continue
            lemmas = self._roots.get(word[:j])
            if lemmas:
                found |= lemmas
        for ending in EN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 2:
                lemmas = self._roots_en.get(word[: n - len(ending)] if ending else word)
                if lemmas and not (ending == "s" and word.endswith("ss")):
                    found |= lemmas
        result = frozenset(found)
        self._whole_cache[word] = result
        return result

    def _is_filler(self, word: str) -> bool:
        cached = self._filler_cache.get(word)
        if cached is None:
            n = len(word)
            cached = word in FILLER or word in STOPWORDS or any(
                word[:j] in self._filler_roots and word[j:] in ENDINGS
                for j in range(n - 1, max(2, n - MAX_ENDING - 1), -1))
            if len(self._filler_cache) < 500_000:
                self._filler_cache[word] = cached
        return cached

    def _known(self, word: str, strict: bool = False) -> bool:
        """A word we recognise (vocabulary or filler), possibly with a linking s/e."""
        if len(word) < 2:
            return False
        if self._whole(word) or self._is_filler(word):
            return True
        return len(word) > 2 and word[-1] in "se" and (
            bool(self._whole(word[:-1])) or self._is_filler(word[:-1]))

    def _analyse(self, word: str, strict: bool = False) -> tuple[_Hit, ...]:
        """The keywords one word is read as. ``strict`` (English text): compounds only of
        known parts, since English does not glue unknown words to keywords."""
        key = (word, strict)
        cached = self._token_cache.get(key)
        if cached is None:
            cached = self._analyse_uncached(word, strict)
            if len(self._token_cache) < 500_000:
                self._token_cache[key] = cached
        return cached

    def _analyse_uncached(self, word: str, strict: bool) -> tuple[_Hit, ...]:
        if word in FILLER or word in STOPWORDS or word == "it.":
            return ()
        whole = self._whole(word)
        if whole:
            return tuple(_Hit(lemma, "word", 1.0) for lemma in sorted(whole))
        if self._is_filler(word):
            return ()
        hits = self._compound(word, strict)
        if hits:
            return hits
        if word.isascii():
            folded = self._folded_whole(word)
            if folded:
                return tuple(_Hit(lemma, "word", Q_FOLDED) for lemma in sorted(folded))
        if len(word) >= 6:
            return self._spelling(word)
        return ()

    def _compound(self, word: str, strict: bool) -> tuple[_Hit, ...]:
        n = len(word)
        if n < 5:
            return ()
        head: frozenset[str] = frozenset()
        head_at = n
        filler_head = False
        for j in range(2, n - 2):
            tail = word[j:]
            lemmas = self._whole(tail)
            if lemmas or self._is_filler(tail):
                modifier = word[:j]
                if self._known(modifier) or (not strict and len(tail) >= 5 and j >= 3):
                    head, head_at, filler_head = lemmas, j, not lemmas
                    break
        modifier_hits: frozenset[str] = frozenset()
        for j in range(min(n - 2, head_at), 1, -1):
            part = word[:j]
            lemmas = self._roots.get(part) or (
                self._roots.get(part[:-1]) if part[-1] in "se" and j > 3 else None)
            if not lemmas:
                continue
            rest = word[j:]
            if self._known(rest) or j == head_at or (not strict and j >= 5 and len(rest) >= 3):
                modifier_hits = frozenset(lemmas)
                break
        hits = [_Hit(lemma, "compound", Q_HEAD) for lemma in sorted(head)]
        quality = Q_MODIFIER if filler_head else Q_MODIFIER_UNKNOWN if not head else Q_MODIFIER_WEAK
        hits += [_Hit(lemma, "compound", quality)
                 for lemma in sorted(modifier_hits - head)]
        return tuple(hits)

    def _folded_whole(self, word: str) -> set[str]:
        found: set[str] = set()
        n = len(word)
        for j in range(n, max(2, n - MAX_ENDING - 1), -1):
            if word[j:] in ENDINGS:
                found |= self._folded.get(word[:j], set())
        return found

    def _spelling(self, word: str) -> tuple[_Hit, ...]:
        best = process.extractOne(word, self._fuzzy_choices, scorer=fuzz.ratio,
                                  processor=None, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return ()
        root, score, _ = best
        quality = 0.55 + 0.3 * (score - FUZZY_CUTOFF) / (100 - FUZZY_CUTOFF)
        return tuple(_Hit(lemma, "spelling", quality) for lemma in sorted(self._roots[root]))

    # ----------------------------------------------------------------- matching

    def match(self, text: str, cpv: str | None = None, limit: int = 3, *,
              context: str | None = None) -> list[Match]:
        """Rank the categories ``text`` (and ``cpv``) fit; an empty list means *no match*.

        ``context`` is secondary text (a notice's description, an invoice's free text): it
        adds evidence, at lower weight than ``text``. A malformed CPV code gives a
        :class:`~procure.errors.ProcureWarning` and the text is matched alone.
        """
        code = parse_cpv(cpv) if cpv is not None else None
        return self._match(text or "", code, context, limit)

    def _match(self, text: str, code: str | None, context: str | None, limit: int
               ) -> list[Match]:
        key = (text, code, context, limit)
        cached = self._text_cache.get(key)
        if cached is not None:
            return cached
        result = self._rank(text, code, context)[:limit]
        if len(self._text_cache) >= self.cache_size:
            self._text_cache.clear()
        self._text_cache[key] = result
        return result

    def _rank(self, text: str, code: str | None, context: str | None) -> list[Match]:
        toks = tokens(text)
        if context:
            toks += tokens(context, segment=1, start=len(toks) + 1, base_weight=CONTEXT_WEIGHT)
        own, weights, off_scope = self._evidence(toks)
        final = {cid: self._combined(cid, own) for cid in own}
        cpv_rank = self._cpv_rank(code) if code else {}
        ranked = sorted(set(final) | set(cpv_rank), key=lambda c: (
            -cpv_rank.get(c, 0), -round(100 * final.get(c, 0.0)), -self._depth[c], c))
        ranked = self._prefer_spanning_parent(ranked, final, own, cpv_rank)
        matches: list[Match] = []
        for cid in ranked:
            text_score = final.get(cid, 0.0)
            evidence = tuple(h[3] for h in own.get(cid, ()))
            if cid in cpv_rank:
                length = cpv_rank[cid]
                top = max(cpv_rank.values())
                score = (90 if length == top else 75) + round(9 * text_score)
                evidence = (Evidence("cpv", self._cpv_label(cid, code), code or ""), *evidence)
            else:
                score = round(100 * text_score)
                if cpv_rank:
                    score = min(score, 70)
            if score < self.min_score:
                continue
            matches.append(Match(cid, self._names[cid], score, "low", evidence))
        covered = {cid: {p for h in hits for p in h[1]} for cid, hits in own.items()}
        return self._with_confidence(matches, covered, weights, cpv_rank, off_scope)

    def _combined(self, cid: str, own: dict[str, list[_Found]]) -> float:
        """Noisy-OR of a category's hits and of its parents' hits on words it does not explain.

        "Construction of a new school building": the parent's "construction" supports the
        child "new buildings" too, so the child wins; the parent still wins a text whose words
        spread over several of its children (see :meth:`_prefer_spanning_parent`).
        """
        hits = own[cid]
        used_pos = {p for h in hits for p in h[1]}
        used_lemma = {h[2] for h in hits}
        miss = 1.0
        for strength, _, _, _ in hits:
            miss *= 1.0 - strength
        for parent in self._ancestors[cid]:
            for strength, positions, lemma, _ in own.get(parent, ()):
                if lemma in used_lemma or used_pos.intersection(positions):
                    continue
                used_pos.update(positions)
                used_lemma.add(lemma)
                miss *= 1.0 - INHERIT * strength
        return 1.0 - miss

    def _prefer_spanning_parent(self, ranked: list[str], final: dict[str, float],
                                own: dict[str, list[_Found]], cpv_rank: dict[str, int]
                                ) -> list[str]:
        """On a tie, a parent goes before its child when other children have evidence too
        ("Livsmedel och måltider" is food in general, not food products)."""
        out = list(ranked)
        if not out or out[0] in cpv_rank:
            return out
        child = out[0]
        score = round(100 * final.get(child, 0))
        for parent in self._ancestors[child]:
            if parent in out and round(100 * final.get(parent, 0)) == score:
                lineage = {child, *self._ancestors[child]}
                if any(c not in lineage and parent in self._ancestors[c] for c in own):
                    out.remove(parent)
                    out.insert(0, parent)
                    break
        return out

    def _evidence(self, toks: list[Token]
                  ) -> tuple[dict[str, list[_Found]], dict[int, float], set[int]]:
        """Keyword hits per category, the weight of each main-text word, off-scope words.

        Each word of the text and each keyword counts at most once per category (the strongest
        reading wins), so "skolskjuts" listed in two inflections is still one piece of evidence.
        """
        found: dict[str, list[_Found]] = defaultdict(list)
        content = [t for t in toks if t.text not in STOPWORDS and t.text != "it."]
        weights: dict[int, float] = {}
        off_scope: set[int] = set()
        for t in content:
            if t.segment == 0 and not self._is_filler(t.text):
                weights[t.position] = t.weight
                if self._off_scope(t.text):
                    off_scope.add(t.position)
        analysed = []
        strict = looks_english(toks)
        rank = 0
        head_phrase = -1  # the phrase in which a word with hits came before "av"/"of"
        for t in content:
            hits = self._analyse(t.text, strict)
            weight = t.weight
            if t.after_of and head_phrase == t.phrase:
                weight *= OBJECT_WEIGHT
            if hits:
                if not t.after_of and any(h.lemma in self._vocab.word_cats for h in hits):
                    head_phrase = t.phrase
                # earlier words lead a title; a tie-breaker, not more
                weight *= max(0.9, 1.0 - 0.015 * rank)
                rank += 1
            analysed.append((Token(t.text, weight, t.segment, t.position, t.phrase,
                                   t.after_of), hits))
        word_cats = self._vocab.word_cats

        def add(cid: str, lemma: str, strength: float, evidence: Evidence,
                positions: tuple[int, ...]) -> None:
            found[cid].append((strength, positions, lemma, evidence))

        for tok, hits in analysed:
            for hit in hits:
                cats = word_cats.get(hit.lemma)
                if not cats:
                    continue
                strength = BASE_WORD * hit.quality * tok.weight * self._spec[hit.lemma]
                for cid, keyword in cats.items():
                    add(cid, hit.lemma, strength, Evidence(hit.kind, keyword, tok.text),
                        (tok.position,))
        if self._vocab.phrases:
            self._phrase_evidence(analysed, add)
        own: dict[str, list[_Found]] = {}
        for cid, items in found.items():
            items.sort(key=lambda item: -item[0])
            used_pos: set[int] = set()
            used_lemma: set[str] = set()
            kept = []
            for item in items:
                if used_pos.intersection(item[1]) or item[2] in used_lemma:
                    continue
                used_pos.update(item[1])
                used_lemma.add(item[2])
                kept.append(item)
            own[cid] = kept
        return own, weights, off_scope

    def _off_scope(self, word: str) -> bool:
        """Is ``word`` (or the head of it, "skade|försäkring") an advice/checking/people word?"""
        cached = self._off_cache.get(word)
        if cached is None:
            n = len(word)
            cached = any(word[j:] in OFF_SCOPE for j in range(max(1, n - 3))) or any(
                word[:j] in OFF_SCOPE or (word[j - 1] == "s" and word[:j - 1] in OFF_SCOPE)
                for j in range(4, n - 2))
            self._off_cache[word] = cached
        return cached

    def _phrase_evidence(self, analysed: list[tuple[Token, tuple[_Hit, ...]]], add: Any) -> None:
        phrases = self._vocab.phrases
        lemmas_at = [self._whole(tok.text) for tok, _ in analysed]
        for i, (tok, _) in enumerate(analysed):
            for lemma in lemmas_at[i]:
                if lemma not in phrases:
                    continue
                for phrase, cid, keyword in self._vocab.phrases.get(lemma, ()):
                    span = len(phrase)
                    adjacent = i + span <= len(analysed) and all(
                        phrase[k] in lemmas_at[i + k]
                        and analysed[i + k][0].segment == tok.segment for k in range(1, span))
                    positions = [analysed[i + k][0].position for k in range(span)] \
                        if adjacent else []
                    quality = 1.0
                    if not adjacent:
                        positions = self._scattered(analysed, lemmas_at, i, phrase)
                        if not positions:
                            continue
                        quality = Q_SCATTERED_PHRASE
                    weight = tok.weight  # the phrase may hold its own "till" / "för"
                    # each word of the phrase is explained: a phrase outweighs its words apart
                    one = BASE_WORD * quality * weight * self._phrase_spec[phrase]
                    strength = 1.0 - (1.0 - one) ** len(phrase)
                    found = " ".join(analysed[k][0].text for k in range(len(analysed))
                                     if analysed[k][0].position in positions)
                    add(cid, " ".join(phrase), strength, Evidence("phrase", keyword, found),
                        tuple(positions))

    @staticmethod
    def _scattered(analysed: list[tuple[Token, tuple[_Hit, ...]]],
                   lemmas_at: list[frozenset[str]], i: int, phrase: tuple[str, ...]
                   ) -> list[int]:
        """Positions of a phrase's words found near each other (±3 words, same text part)."""
        segment = analysed[i][0].segment
        positions = [analysed[i][0].position]
        for word in phrase[1:]:
            found = None
            for k in range(max(0, i - 3), min(len(analysed), i + 4)):
                if k != i and word in lemmas_at[k] and analysed[k][0].segment == segment:
                    found = analysed[k][0].position
                    break
            if found is None:
                return []
            positions.append(found)
        return positions

    def cpv_categories(self, cpv: str) -> list[str]:
        """The categories a CPV code falls in by the longest-prefix rule (several on a tie)."""
        code = parse_cpv(cpv)
        if code is None:
            return []
        ranks = self._cpv_rank(code)
        if not ranks:
            return []
        top = max(ranks.values())
        return sorted(c for c, length in ranks.items() if length == top)

    def _cpv_rank(self, code: str) -> dict[str, int]:
        """Categories whose codes contain ``code``, with the length of the matching prefix."""
        out: dict[str, int] = {}
        for length in range(8, 1, -1):
            for cid in self._cpv.get(code[:length], ()):
                out.setdefault(cid, length)
        return out

    def _cpv_label(self, cid: str, code: str | None) -> str:
        cat = self.criteria_set.categories[cid]
        for raw in cat.cpv:
            prefix = prefix_of(raw)
            if code and code.startswith(prefix):
                return prefix + "x" * (8 - len(prefix))
        return ""

    def _with_confidence(self, matches: list[Match], covered: dict[str, set[int]],
                         weights: dict[int, float], cpv_rank: dict[str, int],
                         off_scope: set[int]) -> list[Match]:
        if not matches:
            return matches
        total = sum(weights.values())
        out = []
        for n, m in enumerate(matches):
            lineage = {m.category_id, *self._ancestors[m.category_id]}
            rivals = [o.score for o in matches if o.category_id not in lineage
                      and m.category_id not in self._ancestors[o.category_id]]
            margin = m.score - max(rivals, default=0)
            explained: set[int] = set(covered.get(m.category_id, ()))
            for parent in self._ancestors[m.category_id]:
                explained |= covered.get(parent, set())
            if m.category_id in cpv_rank:
                top_length = max(cpv_rank.values())
                tied = [o for o in matches if cpv_rank.get(o.category_id) == top_length]
                clear = len(tied) == 1 or margin > 0
                confidence = "high" if n == 0 and clear and cpv_rank[m.category_id] == top_length \
                    else "medium"
            else:
                coverage = sum(weights.get(p, 0.0) for p in explained) / total if total else 0.0
                exact = any(e.kind != "spelling" for e in m.why)
                if (m.score >= 80 and margin >= 12 and exact
                        and (coverage >= 0.5 or m.score >= 95)):
                    confidence = "high"
                elif m.score >= 60:
                    confidence = "medium"
                else:
                    confidence = "low"
                if off_scope - explained:
                    confidence = "low"
            out.append(Match(m.category_id, m.name, m.score, confidence, m.why))
        return out

    # ----------------------------------------------------------------- helpers for batches

    def best_two(self, text: str, code: str | None = None, context: str | None = None
                 ) -> tuple[Match | None, Match | None]:
        """The top match and the runner-up from another branch (not a parent or child of it).

        ``code`` must be a cleaned 8-digit CPV code or None (no warnings here).
        """
        ranked = self._match(text, code, context, 8)
        if not ranked:
            return None, None
        top = ranked[0]
        lineage = {top.category_id, *self._ancestors[top.category_id]}
        for other in ranked[1:]:
            if other.category_id not in lineage and top.category_id not in \
                    self._ancestors[other.category_id]:
                return top, other
        return top, None

    def explain(self, text: str) -> list[tuple[str, list[str]]]:
        """For vocabulary work: each word of ``text`` and the keywords it was read as."""
        out = []
        for tok in tokens(text):
            hits = self._analyse(tok.text)
            out.append((tok.text, [f"{h.lemma} ({h.kind}, {h.quality:.2f})" for h in hits]))
        return out


def _name_parts(name: str) -> list[str]:
    """A category name as keywords: "Städ och rengöring" → ["Städ", "rengöring"]."""
    parts = [name]
    for sep in (" och ", " and ", ",", " eller ", " or ", "/"):
        parts = [piece for part in parts for piece in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _specificity(cats: Iterable[str], ancestors: dict[str, tuple[str, ...]]) -> float:
    """1.0 for a keyword of one branch; less when several branches share it."""
    cats = set(cats)
    branches = [c for c in cats if not any(a in cats for a in ancestors[c])]
    n = max(1, len(branches))
    return 1.0 / (1.0 + 0.35 * (n - 1))

