"""The yearly follow-up report (commitment 6) from the register, as a PDF download.

The figures come from ``procure.register.indicators.read_indicators`` and the PDF from
``procure.reports.followup.build_followup_pdf``, as in ``procure report followup``. Choosing a
year and an organisation changes nothing, so the form is a plain GET.
"""

from __future__ import annotations

import datetime as dt
import re

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from procure.i18n import pick
from procure.register.db import open_register
from procure.register.indicators import read_indicators, report_choices
from procure.reports.followup import build_followup_pdf
from procure.reports.followup_content import library_category_names
from procure.web.jobs import WebError
from procure.web.pages import Pages, request_lang


def routes(pages: Pages) -> list[Route]:
    def form(request: Request) -> Response:
        def choices() -> tuple[list[int], list[str]]:
            register = open_register(pages.config.db)
            try:
                return report_choices(register)
            finally:
                register.close()

        years, names = pages.run(request, choices).value
        this_year = dt.date.today().year
        default = max((y for y in years if y <= this_year), default=this_year)
        return pages.render(request, "report.html", years=[(y, y) for y in years],
                            organisations=[(o, o) for o in names], default=default)

    def pdf(request: Request) -> Response:
        lang = request_lang(request)
        q = request.query_params
        try:
            year = int(q.get("year", ""))
        except ValueError:
            raise WebError(pick(lang, "Välj ett år.", "Choose a year.")) from None
        organisation = q.get("organisation") or None
        by = "organisation" if q.get("by") == "organisation" else None
        job = pages.store.new()
        target = pages.store.folder(job) / "report.pdf"

        def write() -> None:
            register = open_register(pages.config.db)
            try:
                ind, known = read_indicators(register, year, organisation=organisation, by=by)
            finally:
                register.close()
            build_followup_pdf(ind, target, lang, categories=library_category_names(),
                               known_years=known)

        pages.run(request, write)
        part = re.sub(r"[^a-z0-9åäö]+", "-", (organisation or "").casefold()).strip("-")
        name = pick(lang, "uppfoljning", "follow-up") + f"-{year}" + (f"-{part}" if part else "")
        return FileResponse(target, filename=f"{name}.pdf", media_type="application/pdf")

    return [Route("/report", form), Route("/report/followup.pdf", pdf)]
