"""Text normalisation for matching Swedish (and English) purchase texts.

Procurement titles and ledger lines carry a lot that says nothing about *what* is bought:
reference numbers, years, lot numbers, and filler such as "upphandling", "ramavtal", "avrop",
"Fakturan avser". Those are dropped here so they cannot make two unrelated texts look alike.

Swedish builds words by compounding ("skolskjutsavtal", "elbilsleasing") and inflects them
("bilarna", "möblerna"); the matcher handles that by comparing *roots* (a keyword with one
inflection removed, see :func:`roots_of`) with a token split into root + ending, not by fuzzy
similarity of whole words. This module only produces the pieces; :mod:`procure.matching.index`
does the looking up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that name the act of buying, the document or the organisation, not the thing bought.
FILLER: frozenset[str] = _words("""
upphandling upphandlingar upphandlingen direktupphandling direktupphandlingen förnyad
konkurrensutsättning ramavtal ramavtalet ramavtalen avtal avtalet avtalen avtals avrop avropet
avropa kontrakt kontraktet inköp inköpet köp köpet leverans leveranser leveransen leverera
beställning beställningen order faktura fakturan fakturor fakt fakturanr fakturering avser
avseende gällande gäller enligt enl period perioden månad månaden vecka veckan kvartal år året
delområde delområdet delområden anbudsområde anbudsområdet anbud anbudet lot lots del dnr
diarienummer referens referensnummer ref nr nummer kommun kommunen kommunens kommuner stad staden
region regionen förvaltning förvaltningen förvaltningens nämnd nämnden bolag ab hb kb aktiebolag
tjänst tjänster tjänsten tjänsterna utförande utföra tillhandahållande samt övrigt övriga diverse
div mm mfl etc st styck tillägg option optioner förlängning anskaffning anskaffa införskaffande inkl exkl moms ca
procurement tender tendering tenders contract contracts contracting framework agreement agreements
supply supplies supplying provision provide providing purchase purchasing purchases delivery
deliveries deliver service services call calls award awarding notice authority
""")

# Function words, per language. Kept out of matching; they also tell the language of a text.
SV_STOPWORDS: frozenset[str] = _words("""
och eller av för till med i på om inom vid hos från under efter över mellan mot utan åt som
att det den de en ett är var vara blir har ska skall kan alla även också vi ni
""")
EN_STOPWORDS: frozenset[str] = _words("""
the a an of for and or to in on at by with from as is are be been being will shall may can
this that these those which who whom whose its it their our your we they he she has have had
not no all any each per via into onto than then there here such other also including include
includes within under over between against without out up about after before
""")
STOPWORDS: frozenset[str] = SV_STOPWORDS | EN_STOPWORDS

# Words saying the purchase is advice, checking, people or paper about a thing rather than the
# thing itself ("Juridisk rådgivning vid upphandling av skolskjuts", "Skadeförsäkring fordon"):
# a match in such a text is never given high confidence.
OFF_SCOPE: frozenset[str] = _words("""
konsult konsulter konsulttjänst konsulttjänster konsultstöd konsultation rådgivning juridisk
juridiska advokat revision revisor försäkring försäkringar bemanning rekrytering tolk tolkning
översättning utbildning utbildningar kurs kurser licens licenser abonnemang prenumeration
besiktning undersökning undersökningar utredning utredningar projektledning projektering
arkitekt arkitekttjänster annonsering reklam kontroll tillsyn analys analyser inventering
consultancy consultant consultants consulting advisory advice legal lawyer lawyers audit
auditing insurance staffing recruitment interpreting interpretation translation training
courses licence licences license licenses subscription inspection inspections survey surveys
study studies research evaluation assessment architect architects architectural
""")

# Prepositions that start a phrase naming the user or place ("möbler till förskolor"): words
# after them describe the purchase less than the words before.
PURPOSE_WORDS: frozenset[str] = _words("för till åt inom vid hos i på for to at in within")

# Inflectional endings a token may carry beyond a keyword root. Swedish nouns inflect for
# number, definiteness and genitive; English only for the plural (and "-ies", see tokens()).
ENDINGS: frozenset[str] = _words("""
s n t en et ens ets na nas ar or er r arna orna erna arnas ornas ernas a e
""") | {""}
EN_ENDINGS: frozenset[str] = frozenset({"", "s", "es"})

_VOWELS = "aeiouyåäöéü"
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_DIGIT_RE = re.compile(r"\d")
_BREAK_RE = re.compile(r"[,;:/|()\[\]–—.!?]")
_PART_RE = re.compile(r"[-'’]")
_FUEL_CODE_RE = re.compile(r"^[^\W\d_]{2,4}\d{2,3}$")  # "HVO100", "ED95": names, not numbers
_FOLD = str.maketrans("åäöéèêëüáàâíìïóòôúùç", "aaoeeeeuaaaiiioooooc")


@dataclass(frozen=True)
class Token:
    """One word of a text as the matcher sees it."""

    text: str  # casefolded
    weight: float  # 1.0 for the main phrase, less after a purpose preposition or in context
    segment: int  # index of the text part (0 = the main text)
    position: int  # running word index, for phrase adjacency
    phrase: int = 0  # phrases are separated by punctuation
    after_of: bool = False  # in an "X av Y" / "X of Y" object


def fold(word: str) -> str:
    """Drop diacritics (å→a, ä→a, ö→o, é→e): for ledgers that lost them."""
    return word.translate(_FOLD)


def strip_ending(word: str) -> str:
    """Remove one inflectional ending (Swedish or English), keeping a root of 3+ letters.

    Also drops the unstressed ``e`` of ``-el/-er/-en`` words ("möbel" → "möbl", as in
    "möbler"), so both forms share a root.
    """
    for ending in sorted(ENDINGS, key=len, reverse=True):
        if ending and word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            if ending == "s" and stem.endswith("s"):  # "buss": not a plural
                continue
            word = stem
            break
    return _drop_e(word)


def _drop_e(word: str) -> str:
    if (len(word) >= 5 and word[-2] == "e" and word[-1] in "lnr" and word[-3] not in _VOWELS
            and word[-3] != word[-1]):
        return word[:-2] + word[-1]
    return word


def roots_of(word: str, lang: str = "sv") -> set[str]:
    """The forms a single-word keyword is recognised by (before an inflectional ending).

    Swedish: "skola" → {"skola", "skol"}; "möbler" → {"möbler", "möbl"}. English keywords
    are taken as written ("linen" must not become "lin", or "line" would match it).
    """
    if lang != "sv":
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            return {word, word[:-1]}  # a keyword written in the plural: "pipelines"
        return {word}
    out = {word, strip_ending(word), _drop_e(word)}
    if len(word) >= 4 and word[-1] in "ae":
        out.add(word[:-1])
    return {r for r in out if len(r) >= 2}


def _english_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    return word


def tokens(text: str, segment: int = 0, start: int = 0, base_weight: float = 1.0,
           purpose_weight: float = 0.7) -> list[Token]:
    """Split ``text`` into casefolded word tokens with weights.

    Tokens with digits (years, reference and lot numbers, "v.12") are dropped; hyphenated words
    give their parts ("IT-utrustning" → "it", "utrustning"). "it" counts as a word only when
    written "IT" or as part of a hyphenated word, otherwise it is the English pronoun.
    """
    text = unicodedata.normalize("NFKC", text)
    out: list[Token] = []
    weight = base_weight
    position = start
    last_end = 0
    phrase = start
    after_of = False
    matches = list(_TOKEN_RE.finditer(text))
    for index, found in enumerate(matches):
        between = text[last_end:found.start()]
        last_end = found.end()
        if between and between != " " and (_BREAK_RE.search(between) or " - " in between):
            weight = base_weight  # a new phrase starts
            phrase += 1
            after_of = False
        raw = found.group()
        if (len(raw) <= 3 and raw.isupper() and index + 1 < len(matches)
                and _DIGIT_RE.search(matches[index + 1].group())):
            continue  # "KS 2025/123", "TN 45": a register prefix, not a word
        parts = _PART_RE.split(raw) if _PART_RE.search(raw) else (raw,)
        hyphenated = len(parts) > 1
        for part in parts:
            if not part or (_DIGIT_RE.search(part) and not _FUEL_CODE_RE.match(part)):
                continue
            word = part.casefold()
            if word == "it" and not (hyphenated or part == "IT"):
                word = "it."  # the pronoun: never a keyword
            if len(word) < 2:
                continue
            if word in PURPOSE_WORDS:
                weight = base_weight * purpose_weight
            elif word in ("av", "of"):
                after_of = True
            word = _english_plural(word)
            out.append(Token(word, weight, segment, position, phrase, after_of))
            position += 1
    return out


def looks_english(toks: list[Token]) -> bool:
    """More English than Swedish function words: Swedish compound splitting is then stricter."""
    en = sum(t.text in EN_STOPWORDS or t.text == "it." for t in toks)
    sv = sum(t.text in SV_STOPWORDS for t in toks)
    return en > sv


def content_words(toks: list[Token]) -> list[Token]:
    """Tokens that can say what is bought (not function words, not procurement filler)."""
    return [t for t in toks if t.text not in STOPWORDS and t.text not in FILLER
            and t.text != "it."]


def normalise(text: str) -> str:
    """The text as the matcher reads it: casefolded content words, filler and numbers gone.

    >>> normalise("Upphandling av skolskjuts 2026–2030, dnr KS 2025/123")
    'skolskjuts'
    """
    return " ".join(t.text for t in content_words(tokens(text)))
