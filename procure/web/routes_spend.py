"""Spend: a ledger export in, spend per category (table and chart) and the unmatched lines out.

Matching is ``procure.matching.match_file``, as in ``procure match --input``; the summary is kept
as JSON in the job folder so the page can be reloaded without matching again, and the matched
file is downloaded from there. A matched ledger can then be stored in the register as a year's
spend (:mod:`procure.web.spend_store`).
"""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from procure.i18n import pick
from procure.io.tables import iter_table
from procure.io.textfmt import format_money, format_number
from procure.matching import match_file
from procure.matching.batch import unmatched_rows
from procure.web import fields, spend_store
from procure.web.jobs import WebError
from procure.web.pages import Pages, request_lang
from procure.web.routes_procurement import read_upload

LEDGER_SUFFIXES = (".csv", ".xlsx")
LEDGER = "ledger"
MATCHED = "matched.csv"
RESULT = "result.json"
SHOWN_UNMATCHED = 50
# words in column names that suggest what a column holds, to preselect the form
TEXT_HINTS = ("leverant", "text", "beskriv", "benämn", "supplier", "description", "vendor")
AMOUNT_HINTS = ("belopp", "amount", "summa", "kronor", "sek")


def ledger_path(folder: Path) -> Path:
    files = sorted((folder / LEDGER).iterdir()) if (folder / LEDGER).is_dir() else []
    if not files:
        raise WebError("ledger missing", 404)
    return files[0]


def columns_of(path: Path) -> list[str]:
    """The ledger's column names (the first rows are read, not the whole file)."""
    chunks = iter_table(path, chunksize=50)
    with closing(chunks):
        return [str(c) for c in next(iter(chunks)).columns]


def run_match(pages: Pages, folder: Path, text_columns: list[str], amount: str | None,
              cpv: str | None, lang: str) -> dict[str, Any]:
    """Match the ledger and keep what the page shows as JSON."""
    summary = match_file(ledger_path(folder), folder / MATCHED, pages.matcher(lang),
                         text_columns, amount_column=amount, cpv_column=cpv)
    unmatched, n_unmatched = unmatched_rows(folder / MATCHED, SHOWN_UNMATCHED)
    original = [c for c in unmatched.columns if c in columns_of(ledger_path(folder))]
    data = summary.to_dict()
    data.update({
        "unmatched_columns": original,
        "unmatched_rows": unmatched[original].astype(str).values.tolist() if original else [],
        "unmatched_total": n_unmatched,
        "read_as": summary.input.describe(lang),
        "text_columns": text_columns, "amount_column": amount, "cpv_column": cpv,
    })
    (folder / RESULT).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / spend_store.STORED).unlink(missing_ok=True)  # stored with the earlier columns
    return data


def result_context(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """Rows, bar widths and money text for the template."""
    spend = data.get("spend") or {}
    rows = spend.get("by_category", [])
    top = max([r["amount"] for r in rows] + [spend.get("unmatched", 0.0), 1.0])
    bars = [{"id": r["category_id"], "name": r["category_name"], "rows": r["rows"],
             "amount": format_money(r["amount"], lang),
             "share": f"{format_number(round(100 * r['share'], 1), lang, 1)} %",
             "width": round(100 * max(r["amount"], 0) / top, 2)} for r in rows]
    return {
        "data": data, "bars": bars, "chart_height": 28 * (len(bars) + 1) + 10,
        "total": format_money(spend.get("total", 0.0), lang) if spend else "",
        "unmatched_amount": format_money(spend.get("unmatched", 0.0), lang) if spend else "",
        "unmatched_width": round(100 * max(spend.get("unmatched", 0.0), 0) / top, 2),
        "unmatched_share": (f"{format_number(round(100 * spend.get('unmatched_share', 0), 1), lang, 1)} %"
                            if spend else ""),
    }


def routes(pages: Pages) -> list[Route]:
    def page(request: Request) -> Response:
        return pages.render(request, "spend.html", job=None, columns=[], data=None)

    async def upload(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        job = pages.store.new()
        path = (await read_upload(pages, form, "ledger", job, LEDGER_SUFFIXES, lang))[0]
        folder = pages.store.folder(job)
        (folder / LEDGER).mkdir()
        path.replace(folder / LEDGER / path.name)
        await pages.arun(request, lambda: columns_of(ledger_path(folder)))  # readable at all?
        return RedirectResponse(f"/spend/{job}", status_code=303)

    def show(request: Request) -> Response:
        job = request.path_params["job"]
        lang = request_lang(request)
        folder = pages.store.folder(job)
        ledger = ledger_path(folder)
        columns = pages.run(request, lambda: columns_of(ledger)).value
        data = (json.loads((folder / RESULT).read_text(encoding="utf-8"))
                if (folder / RESULT).is_file() else None)
        guess_text = [c for c in columns if any(h in c.casefold() for h in TEXT_HINTS)]
        guess_amount = next((c for c in columns if any(h in c.casefold() for h in AMOUNT_HINTS)),
                            "")
        chosen_text = data["text_columns"] if data else guess_text
        chosen_amount = (data["amount_column"] or "") if data else guess_amount
        return pages.render(request, "spend.html", job=job, columns=columns, file=ledger.name,
                            column_options=[(c, c) for c in columns],
                            chosen_text=chosen_text, chosen_amount=chosen_amount,
                            chosen_cpv=(data or {}).get("cpv_column") or "",
                            **spend_store.stored_context(pages, request, folder, lang),
                            **(result_context(data, lang) if data else {"data": None}))

    async def match(request: Request) -> Response:
        job = request.path_params["job"]
        form = await pages.form(request)
        lang = request_lang(request)
        folder = pages.store.folder(job)
        text_columns = [str(v) for v in form.getlist("text_columns") if str(v)]
        if not text_columns:
            raise WebError(pick(lang, "Välj minst en kolumn med text att matcha.",
                                "Choose at least one column with text to match."))
        amount = str(form.get("amount_column") or "") or None
        cpv = str(form.get("cpv_column") or "") or None
        outcome = await pages.arun(request, lambda: run_match(pages, folder, text_columns,
                                                              amount, cpv, lang))
        return pages.result(request, f"/spend/{job}", "_spend_result.html", job=job,
                            notes=outcome.warnings,
                            **spend_store.stored_context(pages, request, folder, lang),
                            **result_context(outcome.value, lang))

    async def store(request: Request) -> Response:
        job = request.path_params["job"]
        form = await pages.form(request)
        lang = request_lang(request)
        folder = pages.store.folder(job)
        if not (folder / RESULT).is_file():
            raise WebError(pick(lang, "Matcha reskontran först.", "Match the ledger first."))
        data = json.loads((folder / RESULT).read_text(encoding="utf-8"))
        year = fields.year(form.get("year"), pick(lang, "År", "Year"), lang)
        who = fields.who(form.get("who"), lang)
        stored = await spend_store.store(pages, request, folder, ledger_path(folder), data,
                                         year, who, replace=form.get("replace") == "1")
        return pages.result(request, f"/spend/{job}#stored", "_spend_stored.html", job=job,
                            stored=stored, stored_lines=spend_store.stored_lines(stored, lang))

    def download(request: Request) -> Response:
        path = pages.store.file(request.path_params["job"], MATCHED)
        name = pick(request_lang(request), "inkop-matchade.csv", "spend-matched.csv")
        return FileResponse(path, filename=name, media_type="text/csv")

    return [
        Route("/spend", page),
        Route("/spend", upload, methods=["POST"]),
        Route("/spend/{job}", show),
        Route("/spend/{job}", match, methods=["POST"]),
        Route("/spend/{job}/register", store, methods=["POST"]),
        Route("/spend/{job}/matched.csv", download),
    ]
