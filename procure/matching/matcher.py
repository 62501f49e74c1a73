"""The category matcher: vocabulary indexed once, then many texts matched fast.

How a text is scored (the *why* of every match is kept as :class:`Evidence`):

1. The text is split into word tokens; numbers, procurement filler and function words are set
   aside, and words after "till"/"for", at a place or in a street name weigh less
   (:mod:`procure.matching.text`). The text is read as English or Swedish from its function
   words, filler and the words known only in one language's keywords.
2. Each distinct token is analysed once (cached): is it a keyword root plus an inflectional
   ending ("bussarna" = "buss" + "arna")? If not, is it a compound whose head or modifier is a
   keyword ("tjänste|bilar", "skolskjuts|avtal")? In English only compounds of known parts
   count, and a word ending like "-ment" or "-ance" is never split ("enforcement" does not
   contain "cement"). If not, a keyword without its å/ä/ö ("stadning")? Only then rapidfuzz
   looks for a near spelling ("skolskjuts" for "skolsjuts").
3. Multi-word keywords ("school bus") count when their words stand together.
4. Hits are weighed and combined per category in :mod:`procure.matching.scoring`; in English
   a tie goes to the category that explains the head, the last matched word of the main phrase.
5. Within the best branch, :mod:`procure.matching.family` decides between a parent and its
   children on each child's evidence of its own (a child gives its parent's criteria plus
   its own, so it is preferred when it has such evidence; the parent when the evidence is
   spread over several children or only the parent's words were found).
6. Confidence is *high* only with a strong score, a clear lead over other branches, a specific
   word behind it and a main text mostly explained by the match; a child chosen on weak
   evidence, and any match below the first, is at most *medium*; below ``min_score`` there is
   no match at all.

A CPV code, when it falls in a category's codes, decides (the longest prefix wins) and the
text only orders categories sharing that prefix.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from rapidfuzz import fuzz, process

from procure.matching.cpv import parse_cpv, prefix_of
from procure.matching.family import (
    INERT_EXCLUDED,
    Choice,
    aside_words,
    buys_outright,
    choose_level,
    is_lease,
    renovates_own,
)
from procure.matching.scoring import (
    Q_FOREIGN,
    Evidence,
    Hit,
    Match,
    Scored,
    Scoring,
    specificity,
    word_information,
)
from procure.matching.text import (
    ACTIVITY_HEADS,
    EN_ENDINGS,
    ENDINGS,
    FILLER,
    OPERATION_WORDS,
    PLACE_SERVICE_WORDS,
    SERVICE_WORDS,
    STOPWORDS,
    Token,
    english_suffix,
    fold,
    names_works,
    roots_of,
    spelling_variants,
    tokens,
)
from procure.matching.vocab import Vocab
from procure.model import CriteriaSet

__all__ = ["CONFIDENCES", "Evidence", "Match", "Matcher"]

CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
# What an inert word is read as in a result key (see Matcher.result_key): no word a text can
# hold (control characters are not word characters), ASCII or not as the word it stands for.
INERT_ASCII = "\x00"
INERT_OTHER = "\x00\u00e4"
MAX_ENDING = max(len(e) for e in ENDINGS)

# Strength of compound parts and other readings of one word (see scoring for the rest).
Q_HEAD = 0.92  # "tjänste|bilar": the head names the thing
Q_HEAD_GUESSED = 0.85  # "Norr|mejerier": the head after an unknown modifier
Q_MODIFIER = 0.97  # "skolskjuts|avtal": the modifier when the head is filler
Q_MODIFIER_UNKNOWN = 0.8  # "mat|kasse": the modifier of an unknown head
Q_MODIFIER_WEAK = 0.55  # "el|bil": the modifier when the head is itself a keyword
Q_FOLDED = 0.92
CONTEXT_WEIGHT = 0.6
FUZZY_CUTOFF = 88.0


class Matcher(Scoring):
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
        self._children = {cid: tuple(c.id for c in criteria_set.children(cid))
                          for cid in criteria_set.categories}
        self._vocab = Vocab()
        self._roots: dict[str, set[str]] = defaultdict(set)  # Swedish roots (+ENDINGS)
        self._roots_en: dict[str, set[str]] = defaultdict(set)  # English words (+s/es)
        self._lemma_langs: dict[str, set[str]] = defaultdict(set)
        self._folded: dict[str, set[str]] = defaultdict(set)
        self._filler_roots: set[str] = set()
        self._cpv: dict[str, set[str]] = defaultdict(set)
        self._goods_only: dict[str, bool] = {}
        self._renovates: frozenset[str] = frozenset()
        self._token_cache: dict[tuple[str, bool], tuple[Hit, ...]] = {}
        self._whole_cache: dict[str, frozenset[str]] = {}
        self._off_cache: dict[str, bool] = {}
        self._filler_cache: dict[str, bool] = {}
        self._lang_cache: dict[str, int] = {}
        self._word_users: dict[str, set[str]] = defaultdict(set)  # categories using a word
        self._text_cache: dict[tuple[str, str | None, str | None, int], list[Match]] = {}
        self._inert_cache: dict[str, bool] = {}
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
            # only goods or works codes (divisions below 50): "X services" is advice, design or
            # upkeep around what it buys ("Bridge inspection services")
            self._goods_only[cid] = bool(cat.cpv) and all(c[:2] < "50" for c in cat.cpv)
        self._renovates = renovates_own(self.criteria_set.categories)
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
        self._spec = {lemma: specificity(cats, self._ancestors)
                      for lemma, cats in self._vocab.word_cats.items()}
        self._phrase_spec = {p: specificity(cats, self._ancestors)
                             for p, cats in self._vocab.phrase_cats.items()}
        self._info = word_information(self._word_users, self._ancestors)

    def _add_keyword(self, cid: str, keyword: str, lang: str) -> None:
        # in a keyword "it" is always the acronym ("it equipment"), never the pronoun
        words = ["it" if t.text == "it." else t.text for t in tokens(keyword)
                 if t.text not in STOPWORDS]
        if not words or all(w in FILLER for w in words):
            self._vocab.ignored.append((cid, keyword))
            return
        for word in words:
            self._lemma_langs[word].add(lang)
            self._word_users[word].add(cid)
        if len(words) == 1:
            self._vocab.word_cats[words[0]].setdefault(cid, keyword)
            self._vocab.word_langs[words[0], cid].add(lang)
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

    def _known(self, word: str, lang: str) -> bool:
        """A word we recognise in ``lang`` (vocabulary or filler), possibly with a linking s/e:
        an English keyword is no part of a Swedish compound ("dock" is not in "Dockskåp")."""
        if len(word) < 2:
            return False
        if self._is_filler(word) or self._has_lemma(word, lang):
            return True
        return len(word) > 2 and word[-1] in "se" and (
            self._is_filler(word[:-1]) or self._has_lemma(word[:-1], lang))

    def _has_lemma(self, word: str, lang: str) -> bool:
        return any(lang in self._lemma_langs[lemma] for lemma in self._whole(word))

    def _analyse(self, word: str, strict: bool = False) -> tuple[Hit, ...]:
        """The keywords one word is read as. ``strict`` (English text): compounds only of
        known parts, since English does not glue unknown words to keywords."""
        key = (word, strict)
        cached = self._token_cache.get(key)
        if cached is None:
            cached = self._analyse_uncached(word, strict)
            if len(self._token_cache) < 500_000:
                self._token_cache[key] = cached
        return cached

    def _analyse_uncached(self, word: str, strict: bool) -> tuple[Hit, ...]:
        hits = self._readings(word, strict)
        if not strict:
            return hits
        # a Swedish-only keyword in an English text counts little ("plant" is not "plantor"),
        # and not at all read through a Swedish ending ("undertaken" is not "undertak" + "en")
        swedish = not word.isascii()
        kept = []
        for h in hits:
            if self._lemma_langs[h.lemma] != {"sv"}:
                kept.append(h)
            elif swedish or h.lemma == word or h.kind != "word":
                kept.append(Hit(h.lemma, "foreign", h.quality * Q_FOREIGN, False))
        return tuple(kept)

    def _readings(self, word: str, strict: bool) -> tuple[Hit, ...]:
        if word in FILLER or word in STOPWORDS or word == "it.":
            return ()
        whole = self._whole(word)
        if whole:
            return tuple(Hit(lemma, "word", 1.0) for lemma in sorted(whole))
        if self._is_filler(word):
            return ()
        hits = self._compound(word, strict)
        if hits:
            return hits
        if word.isascii():
            for variant in spelling_variants(word):  # "tires" → "tyres", "center" → "centre"
                other = self._whole(variant)
                if other:
                    return tuple(Hit(lemma, "word", 1.0) for lemma in sorted(other))
            folded = self._folded_whole(word)
            if folded:
                # a short word is too easily another language's: "tags" is not "tåg"
                return tuple(Hit(lemma, "word", Q_FOLDED, len(word) > 5)
                             for lemma in sorted(folded))
        if len(word) >= 6:
            return self._spelling(word)
        return ()

    def _compound(self, word: str, strict: bool) -> tuple[Hit, ...]:
        n = len(word)
        if n < 5:
            return ()
        # unknown parts only in Swedish-looking words: "enforcement" is not "enfor|cement";
        # parts are keywords of the text's language ("kontroller" is not "kont|roller")
        loose = not strict and not english_suffix(word)
        lang = "en" if strict else "sv"
        roots = self._roots_en if strict else self._roots
        head: frozenset[str] = frozenset()
        head_at = n
        filler_head = False
        guessed = False  # the other part is unknown: "Norr|mejerier" or "topogra|fiska"
        for j in range(2, n - 2):
            tail = word[j:]
            filler = self._is_filler(tail)  # "avtal" is filler even if a phrase lists it
            lemmas = frozenset() if filler else frozenset(
                x for x in self._whole(tail) if lang in self._lemma_langs[x])
            if lemmas or filler:
                modifier = word[:j]
                if self._known(modifier, lang):
                    head, head_at, filler_head = lemmas, j, not lemmas
                    break
                if loose and len(tail) >= 5 and j >= 3 and all(len(x) >= 4 for x in lemmas):
                    head, head_at, filler_head, guessed = lemmas, j, not lemmas, True
                    break
        modifier_hits: frozenset[str] = frozenset()
        guessed_modifier = False
        for j in range(min(n - 2, head_at), 1, -1):
            part = word[:j]
            lemmas = roots.get(part) or (
                roots.get(part[:-1]) if part[-1] in "se" and j > 3 else None)
            if not lemmas:
                continue
            rest = word[j:]
            if self._known(rest, lang) or j == head_at:
                modifier_hits = frozenset(lemmas)
                break
            if loose and j >= 5 and len(rest) >= 3 and _stem_of(part, lemmas):
                modifier_hits, guessed_modifier = frozenset(lemmas), True
                break
        hits = [Hit(lemma, "compound", Q_HEAD_GUESSED if guessed else Q_HEAD, not guessed)
                for lemma in sorted(head)]
        quality = Q_MODIFIER if filler_head else Q_MODIFIER_UNKNOWN if not head else Q_MODIFIER_WEAK
        hits += [Hit(lemma, "compound", quality, not guessed_modifier)
                 for lemma in sorted(modifier_hits - head)]
        return tuple(hits)

    def _folded_whole(self, word: str) -> set[str]:
        found: set[str] = set()
        n = len(word)
        for j in range(n, max(2, n - MAX_ENDING - 1), -1):
            if word[j:] in ENDINGS:
                found |= self._folded.get(word[:j], set())
        return found

    def _spelling(self, word: str) -> tuple[Hit, ...]:
        best = process.extractOne(word, self._fuzzy_choices, scorer=fuzz.ratio,
                                  processor=None, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return ()
        root, score, _ = best
        quality = 0.55 + 0.3 * (score - FUZZY_CUTOFF) / (100 - FUZZY_CUTOFF)
        return tuple(Hit(lemma, "spelling", quality) for lemma in sorted(self._roots[root]))

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
        return self.rank_tokens(toks, code)

    def rank_tokens(self, toks: list[Token], code: str | None) -> list[Match]:
        """Rank categories for an already tokenised text: the result depends on the tokens
        alone, so texts that differ only in numbers, dates or case share one result."""
        own, weights, off_scope = self._evidence(toks)
        final: dict[str, Scored] = {cid: self._scored(cid, own) for cid in own}
        cpv_rank = self._cpv_rank(code) if code else {}
        points = {cid: round(100 * s.score) for cid, s in final.items()}
        head: int | None = None

        def order(c: str) -> tuple[int, int, bool, int, str]:
            # on a tie, in English the category that explains the head ("Heat pump installation")
            explains = head is not None and c in final and head in final[c].covered
            return -cpv_rank.get(c, 0), -points.get(c, 0), not explains, -self._depth[c], c

        ranked = sorted(set(final) | set(cpv_rank), key=order)
        if len(ranked) > 1 and order(ranked[0])[:2] == order(ranked[1])[:2]:
            head = self._english_head(toks, final)
            if head is not None:
                ranked.sort(key=order)
        choice = None
        lifted: tuple[Evidence, ...] = ()

        def level(top: str) -> Choice:  # parent or child: see family.py
            return choose_level(top, final, own, self._ancestors, self._children,
                                lambda: aside_words(toks, own, weights),
                                buys_outright([t.text for t in toks]), self._renovates)

        refined = None
        cpv_owner: dict[str, str] = {}  # a subcategory the text chose → the code's category
        if ranked and ranked[0] in cpv_rank and final:
            refined = self._refine(ranked[0], final, level)
            if refined is not None:
                decided = ranked[0]
                cpv_rank = {**cpv_rank, refined.category: cpv_rank[decided]}
                cpv_owner[refined.category] = decided
                if refined.category in ranked:
                    ranked.remove(refined.category)
                ranked.insert(0, refined.category)
        if ranked and ranked[0] not in cpv_rank:
            choice = level(ranked[0])
            cid = choice.category
            old = final.get(cid)
            if old is None or old.score < choice.score:
                covered = frozenset().union(*(  # the words of its branch below it
                    final[m].covered for m in choice.family
                    if m in final and (m == cid or cid in self._ancestors[m])))
                final[cid] = Scored(choice.score, covered, old.solid if old else True)
                points[cid] = round(100 * choice.score)
            lifted = choice.evidence
            if cid in ranked:
                ranked.remove(cid)
            ranked.insert(0, cid)
        matches: list[Match] = []
        for cid in ranked:
            evidence = tuple(h.why for h in own.get(cid, ())) or (
                lifted if choice and cid == choice.category else ())
            if cid in cpv_rank:
                length = cpv_rank[cid]
                top = max(cpv_rank.values())
                text_score = final[cid].score if cid in final else 0.0
                score = (90 if length == top else 75) + round(9 * text_score)
                label = self._cpv_label(cpv_owner.get(cid, cid), code)
                evidence = (Evidence("cpv", label, code or ""), *evidence)
            else:
                score = points.get(cid, 0)
                if cpv_rank:
                    score = min(score, 70)
            if score < self.min_score:
                continue
            matches.append(Match(cid, self._names[cid], score, "low", evidence, self.lang))
        out = self._with_confidence(matches, final, weights, cpv_rank, off_scope, choice,
                                    self._service_head(toks))
        out = self._place_service(out, toks, final)
        if refined is not None and not refined.decisive and out and out[0].confidence == "high":
            out[0] = replace(out[0], confidence="medium")
        return self._with_parent(out)

    def _place_service(self, out: list[Match], toks: list[Token],
                       final: dict[str, Scored]) -> list[Match]:
        """A service delivered at a place ("Residential care at a children's home", "Drift av
        fritidsgård") is not works on it: a works or goods category matched on the place's
        words alone is *low*, unless the text also names works ("Nybyggnad av vårdboende")."""
        words = [t.text for t in toks if t.segment == 0]
        services = {t.position for t in toks if t.segment == 0 and t.text in PLACE_SERVICE_WORDS}
        if not services or names_works(words):
            return out
        capped = []
        for m in out:
            explained = final[m.category_id].covered if m.category_id in final else frozenset()
            if self._goods_only[m.category_id] and not services & explained \
                    and m.confidence != "low" and m.why and m.why[0].kind != "cpv":
                m = replace(m, confidence="low")
            capped.append(m)
        return capped

    def _with_parent(self, out: list[Match]) -> list[Match]:
        """A subcategory's parent comes second when it is not among the first three: a text about
        school transport is about transport too, and the buyer who wants the area's criteria (or
        coded the area's CPV) finds it there. It scores as its child does, since the child's
        evidence is its evidence, and is never sure."""
        if not out or not self._ancestors[out[0].category_id]:
            return out
        top = out[0]
        parent = self._ancestors[top.category_id][0]
        if any(m.category_id == parent for m in out[:3]):
            return out
        rest = [m for m in out[1:] if m.category_id != parent]
        lifted = Match(parent, self._names[parent], top.score,
                       "low" if top.confidence == "low" else "medium",
                       (Evidence("parent", top.category_id, top.reason),), self.lang)
        return [top, lifted, *rest]

    def _refine(self, decided: str, final: dict[str, Scored], level: Callable[[str], Choice]
                ) -> Choice | None:
        """The CPV code decided ``decided``; does the text name a subcategory of it ("Skolskjuts"
        under road transport's 601xxxxx)? That subcategory brings the decided category's
        criteria and its own."""
        branch = [c for c in final if decided in self._ancestors[c]]
        if not branch:
            return None
        best = max(branch, key=lambda c: (final[c].score, self._depth[c], c))
        pick = level(best)
        return pick if decided in self._ancestors[pick.category] else None

    def _service_head(self, toks: list[Token]) -> int | None:
        """The position of "services" ending an English title's main phrase ("Land reclamation
        services") or of "operation" opening it ("Operation of the swimming pool", "Drift av
        simhall"), or None."""
        main = [t for t in toks if t.segment == 0 and t.zone == toks[0].zone
                and t.text not in STOPWORDS]
        if main and main[-1].text in SERVICE_WORDS and self._is_english(toks):
            return main[-1].position
        if len(toks) > 2 and toks[0].text in OPERATION_WORDS and toks[1].text in ("of", "av"):
            return toks[0].position
        return None

    def _english_head(self, toks: list[Token], final: dict[str, Scored]) -> int | None:
        """In English the last matched word of the main phrase is what it is about ("Heat
        pump *installation* programme"): its position, or None in a Swedish text."""
        if not self._is_english(toks):
            return None
        covered = frozenset().union(*(s.covered for s in final.values()))
        main = [t for t in toks if t.segment == 0 and t.position in covered]
        if not main:
            return None
        zone = main[0].zone
        return max(t.position for t in main if t.zone == zone)

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
        prefixes = [prefix_of(raw) for raw in cat.cpv]
        found = max((p for p in prefixes if code and code.startswith(p)), key=len, default="")
        return found + "x" * (8 - len(found)) if found else ""

    # ----------------------------------------------------------------- helpers for batches

    def best_two(self, text: str, code: str | None = None, context: str | None = None
                 ) -> tuple[Match | None, Match | None]:
        """The top match and the runner-up from another branch (not a parent or child of it).

        ``code`` must be a cleaned 8-digit CPV code or None (no warnings here).
        """
        return self.best_two_of(self._match(text, code, context, 8))

    def result_key(self, toks: list[Token]) -> tuple[Token, ...]:
        """``toks`` with every *inert* word's text replaced by a placeholder: texts that differ
        only in such words ("ref Anna Svensson", "ref Erik Berg") rank the same, so a batch
        ranks their shared key once. ``rank_tokens(list(result_key(t)))`` equals
        ``rank_tokens(t)`` (tests/test_matching_speed.py compares them on thousands of texts)."""
        cache = self._inert_cache
        out = None
        for n, tok in enumerate(toks):
            word = tok.text
            inert = cache.get(word)
            if inert is None:
                inert = self._inert(word)
                if len(cache) < 500_000:
                    cache[word] = inert
            if inert:
                if out is None:
                    out = list(toks)
                out[n] = Token(INERT_ASCII if word.isascii() else INERT_OTHER, *tok[1:])
        return tuple(toks if out is None else out)

    def _inert(self, word: str) -> bool:
        """Can ``word`` change a ranking only by its position, weight and capital letter?

        True for a word that is no keyword (read any way, in either language), no filler or
        function word, no off-scope, works, service, activity, purchase or leasing word, and
        gives no language vote: every place that reads a token's *text* (scoring, family,
        the service and works rules) treats all such words alike, apart from whether the word
        is ASCII (a non-ASCII word votes Swedish), which the placeholder keeps."""
        return not (
            word in STOPWORDS or word in FILLER or word in INERT_EXCLUDED
            or word in ACTIVITY_HEADS or word in SERVICE_WORDS or word in OPERATION_WORDS
            or word in PLACE_SERVICE_WORDS or word == "it." or self._is_filler(word)
            or self._whole(word) or self._analyse(word, False) or self._analyse(word, True)
            or self._off_scope(word) or names_works([word]) or is_lease(word))

    def best_two_of(self, ranked: list[Match]) -> tuple[Match | None, Match | None]:
        """:meth:`best_two` for a ranking already made (by :meth:`rank_tokens`)."""
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
        toks = tokens(text)
        english = self._is_english(toks)
        for tok in toks:
            hits = self._analyse(tok.text, english)
            out.append((tok.text, [f"{h.lemma} ({h.kind}, {h.quality:.2f})" for h in hits]))
        return out


def _name_parts(name: str) -> list[str]:
    """A category name as keywords: "Städ och rengöring" → ["Städ", "rengöring"]."""
    parts = [name]
    for sep in (" och ", " and ", ",", " eller ", " or ", "/"):
        parts = [piece for part in parts for piece in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _stem_of(part: str, lemmas: set[str]) -> bool:
    """Is ``part`` (maybe with a linking s) a keyword as it stands first in a compound: the word,
    its singular, or either without a final vowel ("livsmedel|s", "skol|", "solcell|s",
    "gardin|") — not a root cut from an unrelated word ("fotog" of "fotogen" in
    "fotografering")?"""
    stems = set()
    for lemma in lemmas:
        forms = [lemma]
        if lemma.endswith(("er", "ar", "or")) and len(lemma) > 4:
            forms.append(lemma[:-2])
        stems.update(forms)
        stems.update(f[:-1] for f in forms if f[-1] in "aeo")
    return part in stems or (part[-1] == "s" and part[:-1] in stems)
