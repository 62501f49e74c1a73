"""The start page and the criteria library: browse by area, category, kind and level; one criterion."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from procure.criteria.select import at_level, browse
from procure.io.textfmt import format_number
from procure.model import KIND_LABELS, KINDS, LEVEL_LABELS, LEVELS
from procure.reports.wording import answer_instruction, award_description
from procure.tender.params import label_text
from procure.web.pages import Pages, is_htmx, request_lang


def routes(pages: Pages) -> list[Route]:
    async def home(request: Request) -> Response:
        return pages.render(request, "home.html", set_ref=pages.criteria_set.ref)

    def library(request: Request) -> Response:
        cset = pages.criteria_set
        lang = request_lang(request)
        q = request.query_params
        chosen = {k: q.get(k, "").strip() for k in ("q", "area", "category", "kind", "level")}
        chosen["category"] = chosen["category"] if chosen["category"] in cset.categories else ""
        chosen["kind"] = chosen["kind"] if chosen["kind"] in KINDS else ""
        chosen["level"] = chosen["level"] if chosen["level"] in LEVELS else ""
        areas = [c for c in cset.categories.values() if c.parent is None]
        chosen["area"] = chosen["area"] if chosen["area"] in {a.id for a in areas} else ""
        found = pages.run(request, lambda: browse(
            cset, category=chosen["category"] or None, kind=chosen["kind"] or None,
            level=chosen["level"] or None, text=chosen["q"] or None,
            area=chosen["area"] or None, lang=lang)).value
        context = {
            "found": found, "chosen": chosen, "kinds": KINDS, "kind_labels": KIND_LABELS,
            "levels": LEVELS, "level_labels": LEVEL_LABELS,
            "areas": [(a.id, a.label(lang)) for a in sorted(areas, key=lambda a: a.label(lang))],
            "categories_shown": sorted((c.id, f"{c.label(lang)} ({c.id})")
                                       for c in cset.categories.values()),
            "kinds_shown": [(k, KIND_LABELS[k][lang]) for k in KINDS],
            "levels_shown": [(lv, LEVEL_LABELS[lv][lang]) for lv in LEVELS],
        }
        template = "_library_results.html" if is_htmx(request) else "library.html"
        return pages.render(request, template, **context)

    def criterion(request: Request) -> Response:
        cset = pages.criteria_set
        lang = request_lang(request)
        crit = pages.run(request, lambda: cset.criterion(request.path_params["cid"])).value
        variants = [s for s in (at_level(crit, lv) for lv in LEVELS if lv in crit.levels) if s]
        rules = pages.run(request, lambda: [
            (s, answer_instruction(s, lang), award_description(s, lang) if s.award else "")
            for s in variants]).value
        return pages.render(
            request, "criterion.html", crit=crit, rules=rules,
            kind_label=KIND_LABELS[crit.kind][lang], level_labels=LEVEL_LABELS,
            categories=[(c, cset.categories[c].label(lang)) for c in crit.categories
                        if c in cset.categories],
            parameters=[{
                "label": label_text(p, lang), "buyer": p.buyer, "suggested": p.suggested,
                "source": p.source,
                "values": [(LEVEL_LABELS[lv][lang], _shown(crit.levels[lv].params.get(p.name), lang))
                           for lv in LEVELS if lv in crit.levels
                           and p.name in crit.levels[lv].params],
            } for p in crit.parameters.values()])

    def accessibility(request: Request) -> Response:
        return pages.render(request, "accessibility.html")

    return [
        Route("/", home),
        Route("/accessibility", accessibility),
        Route("/library", library),
        Route("/library/{cid}", criterion),
    ]


def _shown(value: object, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_number(value, lang)
