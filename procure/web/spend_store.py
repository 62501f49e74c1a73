"""Storing a matched ledger in the register as a year's spend (utgifter), which the yearly
follow-up report reads.

Thin over :func:`procure.register.spend.import_spend`, as ``procure register spend import``:
the uploaded file, the columns the person chose when matching it (the supplier, organisation
number and organisation columns are found by their usual Swedish names, as the command does),
the year and the person's name. What was stored is kept as JSON in the job's folder, so the
page shows it again when it is reloaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.requests import Request

from procure.i18n import pick, tr
from procure.io.textfmt import format_money, format_number
from procure.register import spend
from procure.register.errors import AlreadyImportedError
from procure.web.jobs import WebError
from procure.web.pages import Pages, request_lang

STORED = "stored.json"


def register_problem(pages: Pages, request: Request) -> str | None:
    """Why spend cannot be stored here (no register yet: the one line says how to make one);
    None when the register is open."""
    try:
        pages.run(request, pages.register)
    except WebError as exc:
        return exc.message
    return None


async def store(pages: Pages, request: Request, folder: Path, ledger: Path,
                data: dict[str, Any], year: int, who: str, replace: bool) -> dict[str, Any]:
    """Import ``ledger`` as the spend of ``year`` with the columns it was matched with (in a
    worker thread: a large ledger takes a while); returns what was stored, also kept in the
    job's ``folder``."""
    lang = request_lang(request)
    if not data.get("amount_column"):
        raise WebError(pick(lang, "Välj kolumnen med belopp och matcha igen: registret räknar "
                                  "utgifterna i kronor.",
                            "Choose the column with amounts and match again: the register "
                            "counts spend in kronor."))
    columns = spend.Columns(text=list(data["text_columns"]), amount=data["amount_column"],
                            cpv=data.get("cpv_column") or None)

    def work() -> spend.SpendResult:
        try:
            return spend.import_spend(pages.register(), ledger, pages.criteria_set, year,
                                      who=who, columns=columns, replace=replace,
                                      matcher=pages.matcher(lang))
        except AlreadyImportedError as exc:  # the message names the file; the browser's way
            exc.file = None
            exc.hint = tr("tick “Replace” to import it again",
                          "kryssa i ”Ersätt” för att importera den igen")
            raise

    stored = {**(await pages.arun(request, work)).value.to_dict(), "replaced": replace}
    (folder / STORED).write_text(json.dumps(stored, ensure_ascii=False),
                                               encoding="utf-8")
    return stored


def stored_lines(stored: dict[str, Any], lang: str) -> list[str]:
    """What was stored, in words: rows, matched share, amounts."""
    rows, matched = stored["rows"], stored["matched"]
    share = f"{format_number(round(100 * matched / rows, 1) if rows else 0.0, lang, 1)} %"
    amount, unmatched = (format_money(stored["amount_sek"], lang),
                         format_money(stored["unmatched_sek"], lang))
    return [
        pick(lang, f"{rows} utgiftsrader för {stored['year']} från {stored['file']}, totalt "
                   f"{amount}.",
             f"{rows} spend lines of {stored['year']} from {stored['file']}, {amount} in all."),
        pick(lang, f"{matched} rader matchade en kategori ({share}), varav {stored['corrected']} "
                   f"genom era rättelser; {stored['unmatched']} utan kategori ({unmatched}).",
             f"{matched} lines matched a category ({share}), {stored['corrected']} of them by "
             f"your corrections; {stored['unmatched']} without a category ({unmatched})."),
        *([note.render(lang)] if (note := spend.double_count_note(stored)) else []),
    ]


def stored_context(pages: Pages, request: Request, folder: Path, lang: str) -> dict[str, Any]:
    """For the spend page: whether a register is there, and what was stored from this job."""
    path = folder / STORED
    stored = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    return {"register_problem": register_problem(pages, request), "stored": stored,
            "stored_lines": stored_lines(stored, lang) if stored else []}
