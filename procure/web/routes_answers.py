"""Check answers: the spec and the suppliers' files in, the evaluation table and findings out.

The check is ``procure.answers.evaluation.check_answers``, as in ``procure check``; the
evaluation workbook and the evaluation record (PDF) are written on request from the same job
folder, so a reload or a download never needs the files uploaded again.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from procure.answers.evaluation import STATUS_LABELS, Evaluation, check_answers, write_evaluation
from procure.answers.verdicts import VERDICT_LABELS
from procure.i18n import pick
from procure.io.textfmt import format_money
from procure.reports.evaluation import build_evaluation_pdf
from procure.web.jobs import WebError
from procure.web.pages import Pages, request_lang
from procure.web.routes_procurement import SPEC, open_spec, read_upload, slug

ANSWER_SUFFIXES = (".xlsx", ".csv")
ANSWERS = "answers"
LENIENT = "other-template-versions"  # marker: templates for another version are a finding


def evaluate_job(pages: Pages, folder: Path, lang: str) -> Evaluation:
    """The check of a job folder: its spec against every answer file in ``answers/``."""
    spec, cset, _ = open_spec(pages, folder / SPEC)
    files = sorted(p for p in (folder / ANSWERS).iterdir() if p.is_file())
    return check_answers(spec, files, criteria_set=cset, lang=lang,
                         strict_fingerprint=not (folder / LENIENT).exists())


def _money(value: Any, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else format_money(float(value), lang)


def result_context(evaluation: Evaluation, lang: str, clean: Any = str) -> dict[str, Any]:
    """The evaluation as rows a template can print (ranked first, as ``procure check``)."""
    suppliers = []
    for row in evaluation.suppliers.to_dict(orient="records"):
        found = evaluation.verdicts[(evaluation.verdicts["supplier"] == row["supplier"])
                                    & (evaluation.verdicts["verdict"] != "met")]
        suppliers.append({
            "name": row["supplier"], "status": row["status"],
            "status_label": STATUS_LABELS[row["status"]][lang], "reason": row["reason"],
            "remarks": row["remarks"],
            "rank": "" if pd.isna(row["rank"]) else int(row["rank"]),
            "bid": _money(row["bid_price"], lang), "deductions": _money(row["deductions"], lang),
            "comparison": _money(row["comparison_price"], lang),
            "counts": {v: int(row[v]) for v in VERDICT_LABELS},
            "findings": [{
                "criterion": f["criterion_id"], "title": f["title"], "verdict": f["verdict"],
                "verdict_label": VERDICT_LABELS[f["verdict"]][lang], "answer": f["answer"],
                "reason": f["reason"],
                "cell": " ".join(p for p in (Path(str(f["source"] or "")).name,
                                             str(f["location"] or "")) if p),
            } for f in found.to_dict(orient="records")],
        })
    return {"suppliers": suppliers, "verdict_labels": VERDICT_LABELS,
            "findings": [clean(str(f)) for f in evaluation.findings.findings],
            "n_criteria": evaluation.verdicts["criterion_id"].nunique()}


def routes(pages: Pages) -> list[Route]:
    def page(request: Request) -> Response:
        from_job = request.query_params.get("procurement", "")
        spec_title = ""
        if from_job:
            path = pages.store.file(from_job, SPEC)
            spec_title = pages.run(request, lambda: open_spec(pages, path)[0].title).value
        return pages.render(request, "answers.html", result=None, job=None,
                            procurement=from_job, spec_title=spec_title)

    async def check(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        job = pages.store.new()
        folder = pages.store.folder(job)
        from_job = str(form.get("procurement") or "")
        has_upload = any(getattr(f, "filename", "") for f in form.getlist("spec"))
        if from_job and not has_upload:
            shutil.copyfile(pages.store.file(from_job, SPEC), folder / SPEC)
        else:
            spec_path = (await read_upload(pages, form, "spec", job, (".yaml", ".yml"), lang))[0]
            spec_path.replace(folder / SPEC)
        (folder / ANSWERS).mkdir()
        if form.get("ignore_fingerprint"):
            (folder / LENIENT).touch()
        saved = await read_upload(pages, form, "answers", job, ANSWER_SUFFIXES, lang,
                                  many=True)
        for path in saved:
            path.replace(folder / ANSWERS / path.name)
        outcome = await pages.arun(request, lambda: evaluate_job(pages, folder, lang))
        return pages.result(request, f"/answers/{job}", "_evaluation.html", job=job,
                            notes=outcome.warnings,
                            **result_context(outcome.value, lang, pages.store.clean))

    def result(request: Request) -> Response:
        job = request.path_params["job"]
        lang = request_lang(request)
        folder = pages.store.folder(job)
        if not (folder / SPEC).is_file():
            raise WebError(pick(lang, "Det finns ingen granskning här.", "There is no check here."),
                           404)
        outcome = pages.run(request, lambda: evaluate_job(pages, folder, lang))
        return pages.render(request, "answers.html", job=job, notes=outcome.warnings,
                            procurement="", spec_title="", result=True,
                            **result_context(outcome.value, lang, pages.store.clean))

    def download(request: Request) -> Response:
        job, what = request.path_params["job"], request.path_params["what"]
        lang = request_lang(request)
        folder = pages.store.folder(job)
        if what not in ("evaluation.xlsx", "evaluation.pdf") or not (folder / SPEC).is_file():
            raise WebError(pick(lang, "Det finns ingen sådan fil.", "There is no such file."), 404)
        target = folder / what

        def write() -> str:
            evaluation = evaluate_job(pages, folder, lang)
            spec, cset, selected = open_spec(pages, folder / SPEC)
            if what == "evaluation.xlsx":
                write_evaluation(evaluation, target, lang)
            else:
                build_evaluation_pdf(evaluation, spec, cset, selected, target, lang)
            return slug(spec.title)

        name = pages.run(request, write).value
        stem = pick(lang, "utvardering" if what.endswith("xlsx") else "utvarderingsprotokoll",
                    "evaluation" if what.endswith("xlsx") else "evaluation-record")
        media = ("application/pdf" if what.endswith("pdf") else
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return FileResponse(target, filename=f"{stem}-{name}{Path(what).suffix}",
                            media_type=media)

    return [
        Route("/answers", page),
        Route("/answers", check, methods=["POST"]),
        Route("/answers/{job}", result),
        Route("/answers/{job}/{what}", download),
    ]
