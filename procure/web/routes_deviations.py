"""Deviations on a contract: recording one with its sanction and corrective action, and closing
the action as done (genomförd) or not done.

Thin over :mod:`procure.register.followup`: ``deviation`` and ``resolve`` each write the change
and its history row in one transaction, as ``procure followup deviation`` and ``procure
followup resolve`` do. The procurement's page (``routes_register.show``) lists the deviations
from :func:`deviation_context`, with a form to record one and, for each open action, a small
form to close it; both post here and come back to the page with a notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from procure.i18n import pick
from procure.io.textfmt import format_money
from procure.register import followup as follow
from procure.web import fields
from procure.web.jobs import WebError
from procure.web.pages import Pages, request_lang

CATEGORY_LIMIT = follow.CATEGORY_LIMIT


def deviation_context(contracts: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The deviations of a procurement's contracts as the page lists them, and the outcomes a
    corrective action can be closed with."""
    today = dt.date.today()
    rows = []
    for contract in contracts:
        for f in contract["failures"]:
            outcome = f["corrective_outcome"]
            is_open = outcome == "open" and bool(f["corrective_action"])
            imposed = f["sanction_imposed_sek"]
            due = f["corrective_due"]
            rows.append({
                "id": f["id"], "criterion": f["criterion_id"], "category": f["category"],
                "description": f["description"], "events": f["events"],
                "period": ((f["period_start"], f["period_end"])
                           if f["period_start"] or f["period_end"] else None),
                "sanction_agreed": f["sanction_agreed"] or "–",
                "sanction_imposed": format_money(imposed, lang) if imposed is not None else "–",
                "action": f["corrective_action"], "due": due or "–",
                "outcome": (follow.OUTCOME_LABELS[outcome].render(lang)
                            if outcome in follow.OUTCOME_LABELS and f["corrective_action"]
                            else pick(lang, "ingen åtgärd", "no action")),
                "open": is_open, "overdue": is_open and due is not None and due < today})
    return {"deviations": rows, "category_limit": CATEGORY_LIMIT,
            "outcomes": [(o, follow.OUTCOME_LABELS[o].render(lang)) for o in follow.OUTCOMES]}


def saved_notice(query: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """The notice after a change, and the section it belongs to: (``plan`` or ``deviations``,
    text). Only known values are shown: the address can be typed by anyone."""
    saved = query.get("saved", "")
    number = query.get("deviation", "")
    number = number if number.isdecimal() else ""
    if saved == "1":
        return "plan", pick(lang, "Uppföljningen är registrerad.", "The follow-up is recorded.")
    if saved == "deviation" and number:
        return "deviations", pick(lang, f"Avvikelse {number} är registrerad.",
                                  f"Deviation {number} is recorded.")
    if saved in follow.OUTCOMES and number:
        label = follow.OUTCOME_LABELS[saved].render(lang)
        return "deviations", pick(lang, f"Åtgärden för avvikelse {number} är avslutad: {label}.",
                                  f"The action for deviation {number} is closed: {label}.")
    return None


def _back(reference: str, saved: str, deviation: int) -> Response:
    query = urlencode({"ref": reference, "saved": saved, "deviation": deviation})
    return RedirectResponse(f"/register/show?{query}#deviations", status_code=303)


def read_deviation(form: Mapping[str, Any], lang: str) -> follow.Deviation:
    """The deviation form as the library's :class:`Deviation`; one line for a field that cannot
    be read as typed. Whether the deviation can be followed up (a kind, a period in order, an
    action with its due date) the library checks when it is stored, as for the command line."""
    return follow.Deviation(
        category=fields.text(form.get("category")) or "",
        description=fields.text(form.get("description")),
        events=fields.count(form.get("events"), pick(lang, "Antal gånger", "Times"), lang),
        period_start=fields.date(form.get("period_start"), pick(lang, "Period från",
                                                                "Period from"), lang),
        period_end=fields.date(form.get("period_end"), pick(lang, "Period till", "Period to"),
                               lang),
        sanction_agreed=fields.text(form.get("sanction_agreed")),
        sanction_imposed_sek=fields.amount_sek(form.get("sanction_imposed"),
                                               pick(lang, "Uttaget vite", "Sanction imposed"),
                                               lang),
        corrective_action=fields.text(form.get("corrective_action")),
        corrective_due=fields.date(form.get("corrective_due"),
                                   pick(lang, "Åtgärden senast", "Action due"), lang))


def routes(pages: Pages) -> list[Route]:
    async def record(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        reference = str(form.get("reference") or "")
        criterion = str(form.get("criterion") or "")
        found = read_deviation(form, lang)
        who = fields.who(form.get("who"), lang)
        outcome = await pages.arun(request, lambda: follow.deviation(
            pages.register(), reference, criterion, found, who=who))
        return _back(reference, "deviation", outcome.value)

    async def resolve(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        typed = str(form.get("deviation") or "").strip()
        if not typed.isdecimal() or len(typed) > 18:
            raise WebError(pick(lang, f"Registret har ingen avvikelse {typed!r}.",
                                f"The register has no deviation {typed!r}."))
        outcome = str(form.get("outcome") or "")
        if outcome not in follow.OUTCOMES:
            raise WebError(pick(lang, "Välj om åtgärden är genomförd eller inte.",
                                "Choose whether the action was done or not."))
        on = fields.date(form.get("on"), pick(lang, "Datum", "Date"), lang) or dt.date.today()
        imposed = fields.amount_sek(form.get("sanction_imposed"),
                                    pick(lang, "Uttaget vite", "Sanction imposed"), lang)
        who = fields.who(form.get("who"), lang)
        done = await pages.arun(request, lambda: follow.resolve(
            pages.register(), int(typed), outcome, who=who, on=on,
            note=fields.text(form.get("note")), sanction_imposed_sek=imposed))
        return _back(done.value["reference"], outcome, int(typed))

    return [
        Route("/followup/deviation", record, methods=["POST"]),
        Route("/followup/resolve", resolve, methods=["POST"]),
    ]
