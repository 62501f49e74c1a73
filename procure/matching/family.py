"""Parent or child: at which level of a branch a text belongs.

A subcategory gives its parent's criteria plus its own, so a text goes to the deepest category
it has evidence for. Scores alone cannot tell: a child inherits its parent's hits, so parent and
children of a text with several hits all come out near 100. Here the decision is made on each
child's *own* evidence instead — its hits on words that its parents do not explain better:

- no child has own evidence (only the parent's words, "Livsmedel", "Textilier"): the parent;
- one child has (even moderate: "Fazer bröd skolköket", "Tvätt och hyra av arbetskläder"): that
  child, and so on down the branch;
- several have: the one whose own evidence clearly leads ("Frozen and Ambient Foods"), or the
  one that says *how* the others are bought ("Electric Cars and Vans via Lease"); when the
  evidence is evenly spread ("El och fjärrvärme", "Städning och städmaterial"), the parent.

A child chosen on weak or contested evidence is never given high confidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from procure.matching.scoring import Evidence, Found, Scored
from procure.matching.text import Token, tokens

if TYPE_CHECKING:
    from procure.model import Category

MIN_OWN = 0.45  # a child's own evidence below this does not move a text down from its parent
ASIDE_OWN = 0.5  # a child's own evidence only aside ("for …") must be this strong to count
LEAD = 0.15  # own evidence leading a sibling's by this much picks that child, not the parent
STRONG = 0.7  # own, specific evidence this strong lets a chosen child be high confidence
SHARED = 0.6  # a keyword the parent lists too says less for the child ("kontorsmöbler")
RENOVATED = 0.3  # the own evidence of the thing a bare renovation word is done to
OBJECT = 0.6  # so does the object of another category's head ("Tvätt av arbetskläder")

# Words that say how a thing is bought rather than what it is: a child they point to (leasing,
# hire) applies to whichever of its siblings' things is named ("Cars and Vans via Lease"),
# unless the text buys outright too ("köp och leasing", "purchase or lease").
MODE_ENDINGS: tuple[str, ...] = (
    "leasing", "lease", "leased", "hire", "hired", "rental", "hyra", "uthyrning", "leasade",
    "leasad")
# Likewise words that say what is done to a building rather than which building it is: a
# renovation applies to whichever building its sibling names ("Renovering flerbostadshus").
WORK_ENDINGS: tuple[str, ...] = (
    "renovering", "ombyggnad", "ombyggnation", "upprustning", "modernisering", "refurbishment",
    "refurbishments", "renovation", "renovations", "retrofit", "retrofitting",
    "nybyggnad", "nybyggnation", "nyproduktion")  # new building is the other way to work
# The renovation words among them. A category whose own keywords use one ("brorenovering",
# "road rehabilitation") renovates its own things: a renovation word beside one of its objects
# is its work, not the buildings' ("Reconstruction and Modernisation of Railway Line").
RENOVATION_STEMS: tuple[str, ...] = (
    "renover", "renovat", "ombygg", "upprust", "moderni", "refurbish", "retrofit",
    "rehabilit", "reconstruct")
OUTRIGHT: frozenset[str] = frozenset(
    ["köp", "inköp", "anskaffning", "purchase", "purchasing", "buy", "buying", "acquisition"])
_AND_OR: frozenset[str] = frozenset(["och", "eller", "and", "or"])
# The words this module reads by their text (the matcher's result keys keep them as they are)
INERT_EXCLUDED: frozenset[str] = OUTRIGHT | _AND_OR | {"of", "av"}


class Choice(NamedTuple):
    category: str
    decisive: bool  # every step down was taken on clear, specific evidence of the child's own
    family: frozenset[str]  # the categories of the branch that were weighed
    score: float  # the branch's best score: the chosen category also has its parents' evidence
    evidence: tuple[Evidence, ...]  # why, for a parent that has no keyword hits of its own


class _Own(NamedTuple):
    main: bool  # has evidence among the main words (not aside): it beats evidence aside
    top: float  # its strongest hit, for comparing children (a repeated idea is still one)
    strength: float  # all its hits combined, to tell whether it has evidence at all
    solid: bool
    child: str
    hits: tuple[Found, ...]
    exclusive: bool  # has a keyword its parents do not list


def choose_level(top: str, final: dict[str, Scored], own: dict[str, list[Found]],
                 ancestors: dict[str, tuple[str, ...]], children: dict[str, tuple[str, ...]],
                 find_aside: Callable[[], Aside], outright: bool = False,
                 renovates: frozenset[str] = frozenset()) -> Choice:
    """The category of ``top``'s branch that the text is about (see the module doc).

    ``find_aside`` gives the words that say less about what is bought (see
    :func:`aside_words`); ``outright``: the text buys outright as well as leasing or hiring
    ("köp och leasing"); ``renovates``: the categories whose keywords renovate their own
    things (see :data:`RENOVATION_STEMS`).
    """
    area = ancestors[top][-1] if ancestors[top] else top
    members = [c for c in final if c == area or area in ancestors[c]]
    if members == [area]:  # only the parent's words: no child to weigh
        return Choice(area, True, frozenset(members), final[area].score, ())
    aside = find_aside()
    every = [g for m in members for g in own.get(m, ())]
    node = area
    decisive = True
    while True:
        best: dict[str, _Own] = {}  # each child's best evidence, its own or a descendant's
        for m in members:
            if node in ancestors[m]:
                up = ancestors[m].index(node)
                child = ancestors[m][up - 1] if up else m
                o = _own_evidence(m, child, own, every, ancestors, aside, outright)
                if child not in best or (o.main, o.top) > (best[child].main, best[child].top):
                    best[child] = o
        # a child named only in the context ("Transport Services DPS — … school transport …")
        # or only weakly aside ("Supercomputer … for Hosting Entity") does not move a text
        # down from a parent the main words name
        named = any(g.positions[0] not in aside.places
                    for a in (node, *ancestors[node]) for g in own.get(a, ()))
        mine = [o for o in best.values() if o.strength >= MIN_OWN and (
            o.main or o.top >= ASIDE_OWN or not named) and (
            (o.exclusive and not _positions(o.hits) <= aside.context)
            or not _parent_says_more(o, node, own, ancestors, aside))]
        if not mine:
            if node == top or any(a in own for a in (node, *ancestors[node])):
                break  # only the parent's words, or none a child can stand on
            # the parent has no word of its own (a misspelling, a street name): the best score
            step = next((c for c in children.get(node, ()) if c == top or c in ancestors[top]),
                        None)
            if step is None:
                break
            node, decisive = step, False
            continue
        mine.sort(key=lambda o: (not o.main, -o.top))
        # a child whose words another child's stronger evidence all explains says nothing
        # apart: "lighting upgrade" beside "LED street lighting upgrade"
        mine = [o for n, o in enumerate(mine) if not any(
            _positions(o.hits) <= _positions(b.hits) for b in mine[:n])]
        first, runner = mine[0], (mine[1] if len(mine) > 1 else None)
        if runner is None or first.main > runner.main or \
                first.top - runner.top >= LEAD:
            pick = first
            decisive = decisive and pick.main and pick.solid and pick.top >= STRONG
        else:
            modes = [o for o in mine if not outright and _says_how(o.hits)]
            if len(modes) != 1:
                break  # evidence spread over several children: the parent
            pick = modes[0]
            decisive = False
        if pick.hits and all(_renovates(w) for h in pick.hits for w in h.lemma.split()):
            # the renovation of a bridge or a railway line is civil works, of a school not
            objects = [o for o in best.values() if o is not pick and o.strength >= RENOVATED]
            if len(objects) == 1 and objects[0].child in renovates and \
                    not _says_how(objects[0].hits):
                pick, decisive = objects[0], False
        node = pick.child
    score = max((final[m].score for m in members), default=0.0)
    lifted: tuple[Evidence, ...] = ()
    if node not in own:
        lifted = tuple(h.why for m in members for h in own.get(m, ()))
    return Choice(node, decisive, frozenset(members) | {node}, score, lifted)


def _own_evidence(member: str, child: str, own: dict[str, list[Found]], every: list[Found],
                  ancestors: dict[str, tuple[str, ...]], aside: Aside, outright: bool
                  ) -> _Own:
    """``member``'s evidence as its own: not on a place or a street name, not inside a longer,
    at least as strong keyword of the branch ("playgrounds" in the parent's "playground
    equipment", "lastbilar" in "lätta lastbilar"). A keyword its parent lists too and the
    object of another category's head count less; words among the main words beat words
    after "till"/"for", at a place or in context."""
    parents = [g for a in ancestors[member] for g in own.get(a, ())]
    miss = 1.0
    top = 0.0
    hits = []
    exclusive = main = False
    for h in own.get(member, ()):
        if h.weak or any(_inside(h, g) for g in every):
            continue
        if outright and _says_how((h,)):
            continue
        strength = h.strength
        first = h.positions[0]
        head = aside.objects.get(first)
        # the object of a head of another category ("Tvätt av arbetskläder"), not of a parent
        # ("Construction of new roundabout")
        if head and member not in head and not all(c in ancestors[member] for c in head):
            strength *= OBJECT
        elif first not in aside.places:
            main = True
        miss *= 1.0 - strength
        key = set(h.core or h.positions)
        if any(key <= set(g.positions) for g in parents):  # one keyword of a parent says it
            strength *= SHARED  # too: "kontorsmöbler", "construction of new"
        else:
            exclusive = True
        top = max(top, strength)
        hits.append(h)
    return _Own(main, top, 1.0 - miss, any(h.solid for h in hits), child, tuple(hits),
                exclusive)


def _parent_says_more(child: _Own, node: str, own: dict[str, list[Found]],
                      ancestors: dict[str, tuple[str, ...]], aside: Aside) -> bool:
    """Has the parent a specific hit among the main words that the child does not explain
    (and whose object the child's words are not: "Construction of new roundabout")? Then a
    child with only keywords its parent lists too ("städ" in "Städ och rengöring") is not
    preferred."""
    taken = _positions(child.hits)
    heads = {c for p in taken for c in aside.objects.get(p, ())}
    return any(g.solid and not g.weak and g.positions[0] not in aside.places
               and not taken.issuperset(g.core) and a not in heads
               for a in (node, *ancestors[node]) for g in own.get(a, ()))


class Aside(NamedTuple):
    """Words that say less about what is bought than the main words."""

    places: frozenset[int]  # after "till"/"for", at a place, in context
    objects: dict[int, frozenset[str]]  # the object of a matched head: the head's categories
    context: frozenset[int] = frozenset()  # the secondary text (a notice's description)


def aside_words(toks: list[Token], own: dict[str, list[Found]], weights: dict[int, float]
                ) -> Aside:
    """Words after "till"/"for", at a place or in context, and the objects of a matched head
    ("Tvätt av arbetskläder", "Asfaltering av gator")."""
    after_of = {t.position for t in toks if t.after_of}
    head_cats: dict[int, set[str]] = {}  # phrase → categories of its head (words before "av")
    phrase_of = {t.position: t.phrase for t in toks}
    for cid, items in own.items():
        for h in items:
            if h.core and after_of.isdisjoint(h.positions):  # not "Leasing av …"
                head_cats.setdefault(phrase_of[h.positions[0]], set()).add(cid)
    main = 0.95 * max(weights.values(), default=1.0)
    places = frozenset(t.position for t in toks if t.segment or weights.get(t.position, 1.0)
                       < main)
    objects = {t.position: frozenset(head_cats[t.phrase]) for t in toks
               if t.after_of and t.phrase in head_cats}
    return Aside(places, objects, frozenset(t.position for t in toks if t.segment))


def _inside(h: Found, g: Found) -> bool:
    """Are ``h``'s words inside a longer, at least as strong keyword hit ``g``?"""
    span = g.span or g.positions
    return len(span) > len(h.span or h.positions) and set(span).issuperset(h.positions) \
        and max(g.strength, g.full) >= h.strength


def _positions(hits: Iterable[Found]) -> set[int]:
    return {p for h in hits for p in h.positions}


def _says_how(hits: Iterable[Found]) -> bool:
    return any(_is_mode(word) for h in hits for word in h.lemma.split())


def _is_mode(word: str) -> bool:
    """"leasing", "billeasing", "hire", "korttidshyra" (not "Yorkshire"); "renovering"."""
    return is_lease(word) or word.endswith(WORK_ENDINGS)


def _renovates(word: str) -> bool:
    return any(stem in word for stem in RENOVATION_STEMS)


def is_lease(word: str) -> bool:
    return word.endswith(MODE_ENDINGS) and not word.endswith("shire")


def buys_outright(words: list[str]) -> bool:
    """"köp och leasing", "purchase or lease": a leasing or hire word joined to a purchase word."""
    for i in range(len(words) - 2):
        a, link, b = words[i], words[i + 1], words[i + 2]
        if link in _AND_OR and ((a in OUTRIGHT and is_lease(b))
                                or (b in OUTRIGHT and is_lease(a))):
            return True
    return False


def renovates_own(categories: Mapping[str, Category]) -> frozenset[str]:
    """The categories with a keyword that renovates a thing it names ("brorenovering", "road
    rehabilitation", "renovering av möbler"), not only a renovation word."""
    out = set()
    for cid, cat in categories.items():
        for words in cat.keywords.values():
            for keyword in words:
                parts = [t.text for t in tokens(keyword)]  # read as the matcher reads it
                if any(_names_renovated(w, len(parts) > 1) for w in parts):
                    out.add(cid)
                    break
    return frozenset(out)


def _names_renovated(word: str, phrase: bool) -> bool:
    for stem in RENOVATION_STEMS:
        at = word.find(stem)
        if at >= 0:
            return phrase or at >= 3  # a phrase names its thing; a compound in front of it
    return False
