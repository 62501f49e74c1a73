"""New procurement: title → proposed category → level → criteria and values → the three files.

The procurement lives as a spec file (the same YAML ``procure spec new`` writes) in its own job
folder; every change is checked by :func:`procure.tender.spec.build_spec` and saved, and the
downloads are written from it by the same functions as ``procure annex`` and ``procure
template``. An uploaded spec is resolved against the app's own library only: a
``criteria_set_path`` inside it never reaches the file system.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from procure.criteria.select import at_level, browse
from procure.errors import ProcureError
from procure.i18n import pick, tr
from procure.io.numbers import parse_amount
from procure.io.textfmt import format_number
from procure.model import KIND_LABELS, LEVEL_LABELS, LEVELS
from procure.reports.annex import build_annex_pdf
from procure.tender.params import assign, label_text, marked_text
from procure.tender.spec import (
    AWARD_METHOD_LABELS,
    ProcurementSpec,
    build_spec,
    load_spec,
    resolve,
    save_spec,
    spec_summary,
)
from procure.tender.template import write_template
from procure.web.jobs import WebError
from procure.web.pages import Pages, is_htmx, request_lang

SPEC = "spec.yaml"
CONFIDENCE = {"high": ("hög", "high"), "medium": ("medel", "medium"), "low": ("låg", "low")}


def slug(text: str, default: str = "upphandling") -> str:
    """A file name part from a title: ``Skolskjuts 2027–2031`` → ``skolskjuts-2027-2031``."""
    out = re.sub(r"[^a-z0-9åäö]+", "-", text.casefold()).strip("-")[:60]
    return out or default


async def read_upload(pages: Pages, form: FormData, field: str, job: str,
                      suffixes: tuple[str, ...], lang: str, *, many: bool = False) -> list[Path]:
    """Save the uploaded file(s) of ``field`` in the job folder; an error when none was chosen."""
    saved = []
    for item in form.getlist(field):
        if isinstance(item, UploadFile) and item.filename:
            saved.append(pages.store.save(job, item.filename, await item.read(), suffixes))
    if not saved:
        raise WebError(pick(lang, "Välj en fil att ladda upp.", "Choose a file to upload.")
                       if not many else pick(lang, "Välj minst en fil att ladda upp.",
                                             "Choose at least one file to upload."))
    return saved


def open_spec(pages: Pages, path: Path) -> tuple[ProcurementSpec, Any, list[Any]]:
    """A spec file in a job folder, resolved against the app's library (never a path it names)."""
    spec = load_spec(path)
    spec.set_path = None
    cset, selected = resolve(spec, pages.criteria_set)
    return spec, cset, selected


def routes(pages: Pages) -> list[Route]:
    def new(request: Request) -> Response:
        return pages.render(request, "procurement_new.html", title="", cpv="",
                            proposals=None, levels=LEVELS, level_labels=LEVEL_LABELS)

    async def propose(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        title = str(form.get("title") or "").strip()
        cpv = re.sub(r"\s", "", str(form.get("cpv") or "")) or None
        if not title:
            raise WebError(pick(lang, "Skriv upphandlingens rubrik.",
                                "Write the title of the procurement."))
        found = await pages.arun(request, lambda: pages.matcher(lang).match(title, cpv=cpv, limit=3))
        context = {"title": title, "cpv": cpv or "", "proposals": found.value,
                   "notes": found.warnings, "levels": LEVELS, "level_labels": LEVEL_LABELS,
                   "confidence": {k: pick(lang, *v) for k, v in CONFIDENCE.items()},
                   "categories": sorted((c.id, c.label(lang))
                                        for c in pages.criteria_set.categories.values())}
        template = "_proposals.html" if is_htmx(request) else "procurement_new.html"
        return pages.render(request, template, **context)

    async def create(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        category = str(form.get("category") or form.get("other_category") or "")
        if category == "other":
            category = str(form.get("other_category") or "")
        level = str(form.get("level") or "")
        if category not in pages.criteria_set.categories:
            raise WebError(pick(lang, "Välj en kategori.", "Choose a category."))
        if level not in LEVELS:
            raise WebError(pick(lang, "Välj en nivå.", "Choose a level."))
        job = pages.store.new()
        await pages.arun(request, lambda: save_spec(build_spec(
            pages.criteria_set, title=str(form.get("title") or "").strip() or category,
            category=category, level=level), pages.store.folder(job) / SPEC))
        return RedirectResponse(f"/procurement/{job}", status_code=303)

    async def upload(request: Request) -> Response:
        form = await pages.form(request)
        lang = request_lang(request)
        job = pages.store.new()
        path = (await read_upload(pages, form, "spec", job, (".yaml", ".yml"), lang))[0]
        await pages.arun(request, lambda: save_spec(open_spec(pages, path)[0],
                                                    pages.store.folder(job) / SPEC))
        return RedirectResponse(f"/procurement/{job}", status_code=303)

    def show(request: Request) -> Response:
        job = request.path_params["job"]
        lang = request_lang(request)
        path = pages.store.file(job, SPEC)
        outcome = pages.run(request, lambda: _page(pages, path, lang))
        return pages.render(request, "procurement.html", job=job, notes=outcome.warnings,
                            saved=request.query_params.get("saved") == "1", **outcome.value)

    async def update(request: Request) -> Response:
        job = request.path_params["job"]
        form = await pages.form(request)
        path = pages.store.file(job, SPEC)
        await pages.arun(request, lambda: save_spec(_updated(pages, path, form), path))
        return RedirectResponse(f"/procurement/{job}?saved=1", status_code=303)

    def download(request: Request) -> Response:
        job, what = request.path_params["job"], request.path_params["what"]
        lang = request_lang(request)
        path = pages.store.file(job, SPEC)
        folder = pages.store.folder(job)
        spec, cset, selected = pages.run(request, lambda: open_spec(pages, path)).value
        name = slug(spec.title)
        if what == "spec.yaml":
            return FileResponse(path, filename=f"{name}.yaml", media_type="application/yaml")
        if what in ("annex.pdf", "annex-draft.pdf"):
            target = folder / what
            draft = what == "annex-draft.pdf"
            pages.run(request, lambda: build_annex_pdf(spec, cset, selected, target, lang,
                                                       draft=draft))
            stem = pick(lang, "kravbilaga-utkast" if draft else "kravbilaga",
                        "annex-draft" if draft else "annex")
            return FileResponse(target, filename=f"{stem}-{name}.pdf",
                                media_type="application/pdf")
        if what == "template.xlsx":
            target = folder / "template.xlsx"
            pages.run(request, lambda: write_template(spec, cset, selected, target, lang))
            return FileResponse(target, filename=pick(lang, f"svarsmall-{name}.xlsx",
                                                      f"answer-template-{name}.xlsx"),
                                media_type="application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet")
        raise WebError(pick(lang, "Det finns ingen sådan fil.", "There is no such file."), 404)

    return [
        Route("/procurement/new", new),
        Route("/procurement/propose", propose, methods=["POST"]),
        Route("/procurement/create", create, methods=["POST"]),
        Route("/procurement/upload", upload, methods=["POST"]),
        Route("/procurement/{job}", show),
        Route("/procurement/{job}", update, methods=["POST"]),
        Route("/procurement/{job}/{what}", download),
    ]


def _page(pages: Pages, path: Path, lang: str) -> dict[str, Any]:
    """Everything the procurement page shows: the summary, the criteria to keep, the values."""
    spec, cset, selected = open_spec(pages, path)
    summary = spec_summary(spec, cset, selected, lang)
    chosen = {s.id for s in selected}
    candidates = [c for c, _ in browse(cset, category=spec.category, level=spec.level)]
    candidates += [cset.criteria[i] for i in spec.add if i in cset.criteria
                   and cset.criteria[i] not in candidates]
    params = []
    for s in selected:
        for name in (*s.params, *s.open_params):
            meta = s.criterion.parameters.get(name)
            buyer = bool(meta and meta.buyer)
            params.append({
                "cid": s.id, "name": name, "value": _shown(s.params.get(name, ""), lang),
                "label": label_text(meta, lang) if meta else name,
                "open": name in s.open_params, "buyer": buyer,
                "confirm": bool(meta and meta.confirm),
                "suggested": meta.suggested if meta else None,
                "title": s.title.get_lang(lang)})
    params.sort(key=lambda p: (not p["open"], not p["buyer"]))  # what the buyer must set first
    others = sorted((c.id, c.title.get_lang(lang)) for c in cset.criteria.values()
                    if c.id not in chosen and c.variant_for(spec.level))
    return {"spec": spec, "summary": summary, "selected": selected, "chosen": chosen,
            "candidates": candidates, "params": params, "others": others,
            "open": [p for p in params if p["open"]],
            "texts": {s.id: marked_text(s, lang) for s in selected},
            "levels": LEVELS, "level_labels": LEVEL_LABELS, "kind_labels": KIND_LABELS,
            "award_labels": AWARD_METHOD_LABELS,
            "category_label": cset.categories[spec.category].label(lang)}


def _shown(value: Any, lang: str) -> str:
    """A value as the officer reads and types it back: ``38,5`` in Swedish, ``38.5`` in English."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_number(value, lang)


def _updated(pages: Pages, path: Path, form: FormData) -> ProcurementSpec:
    """The spec after the page's form: level, details, criteria kept and added, values."""
    spec, cset, selected = open_spec(pages, path)
    level = str(form.get("level") or spec.level)
    keep = {str(v) for v in form.getlist("keep")}
    offered = [c.id for c, _ in browse(cset, category=spec.category, level=level)]
    added = [str(form.get("add") or "").strip()]
    add = [i for i in spec.add if i in keep] + [i for i in added if i and i not in offered]
    remove = [i for i in offered if i not in keep and i not in added]
    entries = []
    for key, raw in form.multi_items():
        if not key.startswith("param:") or not isinstance(raw, str) or not raw.strip():
            continue  # an empty field leaves a buyer value open
        cid, _, name = key[len("param:"):].partition(":")
        if cid in keep:
            entries.append((cid, name, raw))
    params: dict[str, dict[str, Any]] = {}
    for cid, values in assign(selected, entries).items():
        default = at_level(cset.criteria[cid], level) if cid in cset.criteria else None
        for name, value in values.items():
            if default is None or default.params.get(name) != value:
                params.setdefault(cid, {})[name] = value
    value_text = str(form.get("value") or "").strip()
    amount = parse_amount(value_text) if value_text else None
    if value_text and amount is None:
        raise ProcureError(tr("{value!r} is not an amount in SEK",
                              "{value!r} är inget belopp i kronor", value=value_text),
                           location=tr("estimated value", "uppskattat värde"))
    return build_spec(
        cset, title=str(form.get("title") or spec.title).strip(), category=spec.category,
        level=level, reference=str(form.get("reference") or "").strip(),
        organisation=str(form.get("organisation") or "").strip(),
        estimated_value_sek=(int(amount) if amount is not None and amount.is_integer()
                             else amount),
        contract_start=str(form.get("start") or "").strip() or None,
        contract_end=str(form.get("end") or "").strip() or None,
        award_method=spec.award_method, add=add, remove=remove, params=params)

