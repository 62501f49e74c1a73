"""Text normalisation for matching Swedish (and English) purchase texts.

Procurement titles and ledger lines carry a lot that says nothing about *what* is bought:
reference numbers, years, lot numbers, and filler such as "upphandling", "ramavtal", "avrop",
"Fakturan avser". Those are dropped here so they cannot make two unrelated texts look alike.

Swedish builds words by compounding ("skolskjutsavtal", "elbilsleasing") and inflects them
("bilarna", "möblerna"); the matcher handles that by comparing *roots* (a keyword with one
inflection removed, see :func:`roots_of`) with a token split into root + ending, not by fuzzy
similarity of whole words. This module only produces the pieces (tokens with their weights, the
word lists); :mod:`procure.matching.matcher` does the looking up.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that name the act of buying, the document or the organisation, not the thing bought.
SV_FILLER: frozenset[str] = _words("""
upphandling upphandlingar upphandlingen direktupphandling direktupphandlingen förnyad
konkurrensutsättning ramavtal ramavtalet ramavtalen avtal avtalet avtalen avtals avrop avropet
avropa kontrakt kontraktet inköp inköpet köp köpet leverans leveranser leveransen leverera
beställning beställningen faktura fakturan fakturor fakt fakturanr fakturering avser
avseende gällande gäller enligt enl period perioden månad månaden vecka veckan kvartal år året
delområde delområdet delområden anbudsområde anbudsområdet anbud anbudet del dnr
diarienummer referens referensnummer ref nr nummer kommun kommunen kommunens kommuner stad staden
region regionen förvaltning förvaltningen förvaltningens nämnd nämnden bolag ab hb kb aktiebolag
tjänst tjänster tjänsten tjänsterna utförande utföra tillhandahållande samt övrigt övriga diverse
div mm mfl etc st styck tillägg option optioner förlängning anskaffning anskaffa införskaffande inkl
exkl moms ca
""")
EN_FILLER: frozenset[str] = _words("""
procurement tender tendering tenders contract contracts contracting framework agreement agreements
supply supplies supplying provision provide providing purchase purchasing purchases delivery
deliveries deliver service services call calls award awarding notice authority lot lots
""")
FILLER: frozenset[str] = SV_FILLER | EN_FILLER | {"order"}

# Function words, per language. Kept out of matching; they also tell the language of a text.
SV_STOPWORDS: frozenset[str] = _words("""
och eller av för till med i på om inom vid hos från under efter över mellan mot utan åt som
att det den de en ett är var vara blir har ska skall kan alla även också vi ni
""")
EN_STOPWORDS: frozenset[str] = _words("""
the a an of for and or to in on at by with from as is are be been being will shall may can
this that these those which who whom whose its their our your we they he she has have had
not no all any each per via into onto than then there here such other also including include
includes within under over between against without out up about after before
""")
STOPWORDS: frozenset[str] = SV_STOPWORDS | EN_STOPWORDS
SERVICE_WORDS: frozenset[str] = frozenset(["service", "services"])
# "Operation of the municipal swimming pool", "Drift av simhall": running a thing, not building
# or buying it.
OPERATION_WORDS: frozenset[str] = frozenset(["operation", "operating", "running", "drift"])

# Services delivered at a place ("Residential care at a children's home", "Hemtjänst",
# "Leisure centre management", "Drift av fritidsgård"): the building words name where the
# service happens, not works on it — unless the text also names works (WORKS_STEMS).
PLACE_SERVICE_WORDS: frozenset[str] = _words("""
care homecare home-care carers caring management managing operation operating
vård vården omsorg omsorgen hemtjänst hemtjänsten boendestöd drift driften
""")
# Word beginnings that name building or civil works ("nybyggnad", "ombyggnad", "construction",
# "refurbishment", "entreprenad"): with one of these the text buys works after all.
WORKS_STEMS: tuple[str, ...] = (
    "nybygg", "ombygg", "tillbygg", "bygge", "byggna", "byggentre", "entrepren", "renover",
    "upprust", "rivning", "anläggning", "construct", "build", "refurb", "renovat", "extension",
    "demoli", "works", "installation", "install",
)


def names_works(words: list[str]) -> bool:
    """Does any word name works ("nybyggnad", "construction")? Compounds count by any part:
    "skolbyggnad" names a building, so only word *beginnings* and "-entreprenad" are read."""
    return any(w.startswith(WORKS_STEMS) or "entrepren" in w for w in words)


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
övervakning bevakning vägledning monitoring supervision surveillance guarding
programvara mjukvara software saas design designer designers
""")

# Prepositions that start a phrase naming the user ("möbler till förskolor") or the place
# ("Road markings at Mill Road", "Snöröjning vid skolor"): words after them describe the
# purchase less than the words before, places least.
PURPOSE_WORDS: frozenset[str] = _words("för till åt hos for to")
LOCATION_WORDS: frozenset[str] = _words("""
inom vid i på längs utmed runt at in on within along across near around throughout beside
""")
PURPOSE_WEIGHT = 0.7
# Verbs after which "to" is the infinitive marker ("To supply electricity"), not "for".
EN_VERBS: frozenset[str] = _words("""
supply provide deliver procure purchase establish appoint undertake carry seek develop design
build construct install maintain operate manage support ensure enable replace upgrade repair
refurbish renovate clean collect transport hire lease buy acquire award create
""")
LOCATION_WEIGHT = 0.6
# Words after "on"/"in" that make it no place: "vans on lease", "on demand", "in stock".
NOT_A_PLACE: frozenset[str] = _words("lease hire contract loan rental demand call stock")
NAME_WEIGHT = 0.5  # a street name ("Mill Road", "Storgatan") says where, not what

# The last word of an English street or place name ("Mill Road", "Main Street"), and the endings
# of Swedish ones ("Storgatan", "Kungsvägen").
STREET_WORDS: frozenset[str] = _words("""
road street lane avenue drive close crescent way square place terrace row gardens grove hill
rd st ave
""")
SV_STREET_ENDINGS: tuple[str, ...] = (
    "gatan", "vägen", "gränd", "gränden", "torget", "allén", "leden", "stigen", "backen",
    "platsen", "stråket")

# Words too general to decide a category alone ("Vending machine services", "Electric vehicle
# charging points"): in a keyword phrase they count for less, and a match resting only on them
# is never given high confidence.
GENERIC: frozenset[str] = _words("""
new ny nya nytt office kontor machine machines maskin maskiner vehicle vehicles fordon equipment
utrustning product products produkt produkter material materials supplies system systems unit
units item items article articles artiklar varor goods part parts accessories tillbehör
hardware hårdvara electronics elektronik storage lagring network nätverk works arbete arbeten
maintenance underhåll installation installations repair repairs reparation reparationer
management drift skötsel public general allmän allmänna point points site sites plant plants
electric electrical electronic power consumables anläggning anläggningar leasing lease hire
rental hyra uthyrning
""")

# Heads that do not change what an English noun phrase is about: "Lift maintenance",
# "Road markings supply", "Playground equipment" are about the word before them.
ACTIVITY_HEADS: frozenset[str] = _words("""
maintenance servicing service services repair repairs repairing installation installations
install replacement replacements upgrade upgrades upgrading refurbishment renovation hire
rental leasing lease supply supplies delivery provision management operation operations works
work programme program project scheme contract contracts framework equipment products product
materials supplies items goods systems system network networks parts accessories consumables
solutions solution units unit package packages clearance cleaning collection removal disposal
inspection testing purchase procurement tender tenders dps lot lots phase
""")

# English derivational endings: an unknown word with one is not a Swedish compound
# ("enforcement" is not "enfor|cement", "replacement" not "repla|cement").
EN_SUFFIXES: tuple[str, ...] = (
    "ment", "ments", "ness", "ship", "ships", "ity", "ities", "ance", "ances", "ence", "ences",
    "ous", "ful", "ible", "able", "ised", "ized", "ising", "izing")

# Inflectional endings a token may carry beyond a keyword root. Swedish nouns inflect for
# number, definiteness and genitive; English only for the plural (and "-ies", see tokens()).
ENDINGS: frozenset[str] = _words("""
s n t en et ens ets na nas ar or er r arna orna erna arnas ornas ernas a e
""") | {""}
EN_ENDINGS: frozenset[str] = frozenset({"", "s", "es"})
DEFINITE: tuple[str, ...] = ("en", "et", "n", "t")  # Swedish definite singular: "skolköket"

_VOWELS = "aeiouyåäöéü"
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_DIGIT_RE = re.compile(r"\d")
_BREAK_RE = re.compile(r"[,;:/|()\[\]–—.!?]")
_PART_RE = re.compile(r"[-'’]")
# "HVO100", "ED95", "OKQ8", "ST1": names, not numbers ("kv1", "nr2" stay numbers)
_FUEL_CODE_RE = re.compile(
    r"^(?:[^\W\d_]{2,4}\d{2,3}|(?!(?:kv|nr|lot|del|fas|hus|avd|rum|plan|steg)\d)[^\W\d_]{2,3}\d)$",
    re.IGNORECASE)
# Accents that are not Swedish letters are dropped from every word, text and keyword alike:
# "façades" is "facades", "café" is "cafe"; å, ä and ö stay letters of their own ...
_ACCENTS = str.maketrans("éèêëüáàâíìïóòôúùçñ", "eeeeuaaaiiiooouucn")
# ... unless a ledger lost them too ("stadning"): then they fold as well
_FOLD = {**_ACCENTS, **str.maketrans("åäö", "aao")}


class Token(NamedTuple):
    """One word of a text as the matcher sees it."""

    text: str  # casefolded
    weight: float  # 1.0 for the main phrase, less after a purpose preposition or in context
    segment: int  # index of the text part (0 = the main text)
    position: int  # running word index, for phrase adjacency
    phrase: int = 0  # phrases are separated by punctuation
    after_of: bool = False  # in an "X av Y" / "X of Y" object
    zone: int = 0  # a new zone starts at each phrase and each "till"/"for"/"at" in it
    upper: bool = False  # written with a capital letter


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


class _Word(NamedTuple):
    """What tokens() reads from one raw word, whatever text it stands in."""

    short_upper: bool  # "KS", "TN": a register prefix when a number follows
    hyphenated: bool
    parts: tuple[tuple[str, str, str], ...]  # (part as written, word, word after the plural)


_NUMBER = _Word(False, False, ())  # decimal digits only: every part has a digit, none is kept
_WORD_CACHE: dict[str, _Word] = {}
_BREAK_CACHE: dict[str, bool] = {}
_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")


def _read_word(raw: str) -> _Word:
    parts = _PART_RE.split(raw) if _PART_RE.search(raw) else (raw,)
    hyphenated = len(parts) > 1
    kept = []
    for part in parts:
        if not part or (_DIGIT_RE.search(part) and not _FUEL_CODE_RE.match(part)):
            continue
        word = part.casefold().translate(_ACCENTS)
        if word == "it" and not (hyphenated or part == "IT"):
            word = "it."  # the pronoun: never a keyword
        if len(word) < 2 and word not in STOPWORDS:  # "i", "a" stay: they tell the language
            continue
        kept.append((part, word, _english_plural(word)))
    return _Word(len(raw) <= 3 and raw.isupper(), hyphenated, tuple(kept))


def _breaks(between: str) -> bool:
    """Does the text between two words start a new phrase (punctuation, a spaced dash)?"""
    found = _BREAK_CACHE.get(between)
    if found is None:
        found = bool(between and between not in (" ", "–", "—") and (  # "F–9-skola": a hyphen
            _BREAK_RE.search(between) or " - " in between))
        if len(_BREAK_CACHE) < 10_000:
            _BREAK_CACHE[between] = found
    return found


def tokens(text: str, segment: int = 0, start: int = 0, base_weight: float = 1.0,
           purpose_weight: float = PURPOSE_WEIGHT) -> list[Token]:
    """Split ``text`` into casefolded word tokens with weights.

    Tokens with digits (years, reference and lot numbers, "v.12") are dropped; hyphenated words
    give their parts ("IT-utrustning" → "it", "utrustning"). "it" counts as a word only when
    written "IT" or as part of a hyphenated word, otherwise it is the English pronoun. Words
    after a purpose preposition ("till", "for") weigh ``purpose_weight``, after a place
    preposition ("at", "on", "vid") less, and street names ("Mill Road", "Storgatan") less still.

    Hot in batch matching: what a raw word gives is read once per distinct word (cached), and
    the text is cut into separators and words by one ``re.split``.
    """
    text = unicodedata.normalize("NFKC", text)
    out: list[Token] = []
    raws: list[str] = []
    weight = base_weight
    position = start
    phrase = start
    zone = start
    after_of = False
    location_factor = LOCATION_WEIGHT / PURPOSE_WEIGHT
    pieces = _SPLIT_RE.split(text)  # separator, word, separator, word, …, separator
    count = len(pieces) // 2
    cache = _WORD_CACHE
    for index in range(count):
        between = pieces[2 * index]
        if between != " " and _breaks(between):
            weight = base_weight  # a new phrase starts
            phrase += 1
            zone += 1
            after_of = False
        raw = pieces[2 * index + 1]
        info = cache.get(raw)
        if info is None:
            if raw.isdecimal():  # an order or invoice number: no word (and not cached)
                info = _NUMBER
            else:
                info = _read_word(raw)
                if len(cache) < 200_000:
                    cache[raw] = info
        following = pieces[2 * index + 3] if index + 1 < count else ""
        if info.short_upper and following[:1].isdigit():
            continue  # "KS 2025/123", "TN 45": a register prefix, not a word
        hyphenated = info.hyphenated
        for part, word, final in info.parts:
            if not hyphenated and (word in PURPOSE_WORDS or word in LOCATION_WORDS):
                infinitive = word == "to" and (not out or out[-1].phrase != phrase or (
                    following.casefold() in EN_VERBS))
                if infinitive:  # "To supply": no preposition
                    pass
                elif word in PURPOSE_WORDS:
                    weight = min(weight, base_weight * purpose_weight)
                    zone += 1
                elif following.casefold() not in NOT_A_PLACE:  # "on lease", "on demand"
                    weight = min(weight, base_weight * purpose_weight * location_factor)
                    zone += 1
            if word == "av" or word == "of":
                after_of = True
            out.append(Token(final, weight, segment, position, phrase, after_of, zone,
                             part[:1].isupper()))
            raws.append(part)
            position += 1
    return _weigh_names(out, raws)


_NUMBER_RUN = re.compile(r"\b\d+\b")


def numbers_blanked(text: str) -> str:
    """``text`` with each number standing apart from letters written as ``0``.

    Order numbers and dates make most ledger lines unique ("order 4711093 2026-03-14"), but
    :func:`tokens` drops every such number whatever its digits, so texts differing only there
    are one text. A number touching a letter or an underscore ("HVO100", "kv1") is left as it
    is: it may be part of a word. NFKC comes first, as in :func:`tokens` ("ⓐⓑ12" is "ab12").
    ``tokens(numbers_blanked(t)) == tokens(t)`` for every text (tests/test_matching_speed.py).
    """
    return _NUMBER_RUN.sub("0", unicodedata.normalize("NFKC", text))


def _weigh_names(toks: list[Token], raws: list[str]) -> list[Token]:
    """Street names weigh less: "… at Mill Road", "…, Station Road", "längs Storgatan"."""
    out = toks
    for i, tok in enumerate(toks):
        raw = raws[i]
        if i == 0 or not raw[:1].isupper():
            continue
        if tok.text in STREET_WORDS and i + 1 < len(toks) and raws[i + 1][:1].isupper() \
                and toks[i + 1].phrase == tok.phrase:
            continue  # "Road Sweepers": the name does not end here
        run = []
        if tok.text in STREET_WORDS:
            k = i - 1
            while k >= 0 and raws[k][:1].isupper() and toks[k].phrase == tok.phrase \
                    and toks[k].text not in STOPWORDS:
                run.append(k)
                k -= 1
            before = toks[k] if k >= 0 else None
            opens = before is None or before.phrase != tok.phrase or \
                before.text in LOCATION_WORDS or before.text in PURPOSE_WORDS
            if not run or k < 0 or not opens:
                continue
            run.append(i)
        elif tok.text.endswith(SV_STREET_ENDINGS) and len(tok.text) > 7:
            run = [i]
        else:
            continue
        if out is toks:
            out = list(toks)
        for k in run:
            t = out[k]
            out[k] = t._replace(weight=t.weight * NAME_WEIGHT)
    return out


def language_votes(toks: list[Token]) -> tuple[int, int]:
    """English and Swedish signs in a text: function words, procurement filler, å/ä/ö.

    The matcher adds the words it knows only as English or only as Swedish keywords.
    """
    en = sv = 0
    for t in toks:
        word = t.text
        if word in EN_STOPWORDS or word in EN_FILLER or word == "it.":
            en += 1
        elif word in SV_STOPWORDS or word in SV_FILLER or not word.isascii():
            sv += 1
    return en, sv


def english_suffix(word: str) -> bool:
    """Does ``word`` end like an English derived word ("enforcement", "maintenance")?"""
    return word.isascii() and word.endswith(EN_SUFFIXES)


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


# British and American spellings of the same word: keywords are written one way, titles come
# both ways. Whole-word swaps, then regular endings.
_SPELLING_WORDS: dict[str, str] = {
    "tire": "tyre", "tires": "tyres", "aluminum": "aluminium", "gray": "grey", "sulfur": "sulphur",
    "program": "programme", "programs": "programmes", "catalog": "catalogue",
    "catalogs": "catalogues", "defense": "defence", "license": "licence", "licenses": "licences",
    "jewelry": "jewellery", "mold": "mould", "molds": "moulds", "plow": "plough",
    "plows": "ploughs", "plowing": "ploughing", "curb": "kerb", "curbs": "kerbs",
    "storey": "story", "pediatric": "paediatric", "anesthetic": "anaesthetic",
    "fueling": "fuelling", "refueling": "refuelling", "traveling": "travelling",
    "labeling": "labelling", "modeling": "modelling", "installment": "instalment",
}
_SPELLING_WORDS.update({b: a for a, b in list(_SPELLING_WORDS.items())})
_SPELLING_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ters", "tres"), ("ter", "tre"), ("bers", "bres"), ("ber", "bre"), ("tres", "ters"),
    ("tre", "ter"), ("bres", "bers"), ("bre", "ber"), ("ors", "ours"), ("or", "our"),
    ("ours", "ors"), ("our", "or"), ("ization", "isation"), ("isation", "ization"),
    ("izing", "ising"), ("ising", "izing"), ("ize", "ise"), ("ise", "ize"), ("yze", "yse"),
    ("yse", "yze"))


def spelling_variants(word: str) -> list[str]:
    """The other spellings of an English ``word``: "tires" → ["tyres"], "center" → ["centre"]."""
    out = []
    swapped = _SPELLING_WORDS.get(word)
    if swapped:
        out.append(swapped)
    if len(word) > 4:
        for old, new in _SPELLING_ENDINGS:
            if word.endswith(old):
                out.append(word[: len(word) - len(old)] + new)
    return out
