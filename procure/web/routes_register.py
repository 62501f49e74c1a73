"""Register and follow-up: procurements and contracts, what is due, recording a follow-up.

Thin over :mod:`procure.register`: the list and one procurement come from ``export.load`` and
``store.read_plan``, what is due from ``followup.due``, and a recorded follow-up goes through
``followup.record`` (one transaction with its history row), as ``procure register`` and
``procure followup`` do. The register is the one ``procure serve --db`` names (else
``$PROCURE_DB``, else ``./procure.db``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from procure.i18n import pick
from procure.io.textfmt import format_money
from procure.model import LEVEL_LABELS
from procure.register import export, store
from procure.register import followup as follow
from procure.web import fields
from procure.web.jobs import WebError
from procure.web.pages import Pages, request_lang
from procure.web.routes_deviations import deviation_context, saved_notice

WITHIN = (7, 30, 90, 365)


def _due_link(item: follow.DueItem) -> str:
    """The procurement's page; for a corrective action, at its deviation."""
    link = "/register/show?" + urlencode({"ref": item.reference})
    return link + (f"#deviation-{item.deviation_id}" if item.deviation_id is not None else "")


def routes(pages: Pages) -> list[Route]:
    def listing(request: Request) -> Response:
        lang = request_lang(request)
        organisation = request.query_params.get("organisation", "").strip()
        today = dt.date.today()

        def work() -> tuple[list[dict[str, Any]], list[str]]:
            reg = pages.register()
            every = export.load(reg)
            names = sorted({p["organisation"] for p in every if p["organisation"]})
            chosen = [p for p in every if p["organisation"] == organisation] if organisation \
                else every
            return export.flat_rows(chosen, today), names

        rows, organisations = pages.run(request, work).value
        for r in rows:
            value = r["contract_value_sek"] or r["estimated_value_sek"]
            r["value_text"] = format_money(value, lang) if value is not None else "–"
            r["link"] = "/register/show?" + urlencode({"ref": r["reference"]})
        return pages.render(request, "register.html", rows=rows,
                            organisations=[(o, o) for o in organisations],
                            organisation=organisation)

    def show(request: Request) -> Response:
        reference = request.query_params.get("ref", "")
        lang = request_lang(request)

        def work() -> tuple[dict[str, Any], store.Plan]:
            reg = pages.register()
            return export.load_one(reg, reference), store.read_plan(reg, reference)

        record, plan = pages.run(request, work).value
        contract = record["contracts"][0] if record["contracts"] else None
        criteria = sorted({c["criterion_id"] for c in contract["criteria"]}) if contract else []
        cats = pages.criteria_set.categories
        category = record["category"]
        category_label = (f"{cats[category].label(lang)} ({category})" if category in cats
                          else category or "–")
        level = record["level"]
        level_label = LEVEL_LABELS[level][lang] if level in LEVEL_LABELS else level or "–"
        return pages.render(
            request, "register_show.html", record=record, plan=plan, contract=contract,
            category_label=category_label, level_label=level_label,
            criteria=criteria, statuses=follow.STATUSES,
            status_labels={k: v.render(lang) for k, v in follow.STATUS_LABELS.items()},
            value=(format_money(plan.value_sek, lang) if plan.value_sek is not None else "–"),
            today=dt.date.today().isoformat(), chosen=request.query_params.get("criterion", ""),
            notice=saved_notice(request.query_params, lang),
            **deviation_context(record["contracts"], lang))

    async def record(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        reference = str(form.get("reference") or "")
        criterion = str(form.get("criterion") or "")
        status = str(form.get("status") or "")
        if status not in follow.STATUSES:
            raise WebError(pick(lang, "Välj utfallet av uppföljningen.",
                                "Choose the outcome of the follow-up."))
        on = fields.date(form.get("on"), pick(lang, "Datum", "Date"), lang) or dt.date.today()
        until = fields.date(form.get("valid_until"), pick(lang, "Giltigt till", "Valid until"),
                            lang)
        who = fields.who(form.get("who"), lang)
        await pages.arun(request, lambda: follow.record(
            pages.register(), reference, criterion, status, who=who, on=on,
            evidence=fields.text(form.get("evidence")), valid_until=until,
            note=fields.text(form.get("note"))))
        query = urlencode({"ref": reference, "saved": "1"})
        return RedirectResponse(f"/register/show?{query}#plan", status_code=303)

    def due(request: Request) -> Response:
        lang = request_lang(request)
        try:
            within = int(request.query_params.get("within", "30"))
        except ValueError:
            within = 30
        within = within if within in WITHIN else 30
        items = pages.run(request, lambda: follow.due(pages.register(), dt.date.today(),
                                                       within)).value
        groups = [(state, follow.STATE_LABELS[state].render(lang),
                   [(i, _due_link(i)) for i in items if i.state == state])
                  for state in follow.STATES]
        return pages.render(request, "followup_due.html", groups=groups, within=within,
                            choices=[(n, f"{n} {pick(lang, 'dagar', 'days')}") for n in WITHIN],
                            total=len(items))

    return [
        Route("/register", listing),
        Route("/register/show", show),
        Route("/followup", due),
        Route("/followup/record", record, methods=["POST"]),
    ]
