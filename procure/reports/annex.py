"""The tender annex ("Bilaga – Klimatkrav"): the climate requirements as suppliers read them.

Layout, in the order a tender uses: a cover block (procurement, reference, organisation, date,
criteria set and level), a short instruction on how to answer and what evidence to attach, the
criteria grouped by kind (kvalificeringskrav, tekniska specifikationer, tilldelningskriterier,
särskilda kontraktsvillkor), and a summary table of every criterion at the end. Each criterion
shows its id, title, requirement text with the params filled in, how it is verified, what to
answer, how award criteria are scored, and how it is followed up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from procure.errors import ProcureError
from procure.i18n import tr
from procure.model import (
    KIND_LABELS,
    KIND_LABELS_PLURAL,
    KINDS,
    LEVEL_LABELS,
    CriteriaSet,
    SelectedCriterion,
)
from procure.reports.layout import CONTENT_WIDTH, BuiltReport, PageInfo, build_pdf
from procure.reports.styles import data_table, key_value_table, para, para_marked, styles
from procure.reports.wording import LANGS, answer_instruction, award_description, short_answer
from procure.tender.params import open_params, require_complete
from procure.tender.spec import ProcurementSpec

SECTIONS = KIND_LABELS_PLURAL
ORIGIN_LABEL = {"sv": "Ursprung:", "en": "Origin:"}
SHORT_KIND: dict[str, dict[str, str]] = {
    "qualification": {"sv": "Kvalificering", "en": "Qualification"},
    "technical_spec": {"sv": "Teknisk spec.", "en": "Technical spec."},
    "award": {"sv": "Tilldelning", "en": "Award"},
    "contract_clause": {"sv": "Kontraktsvillkor", "en": "Contract clause"},
}

T: dict[str, dict[str, str]] = {
    "sv": {
        "doc": "Bilaga – Klimatkrav",
        "procurement": "Upphandling", "reference": "Diarienummer",
        "organisation": "Upphandlande organisation", "date": "Datum",
        "category": "Inköpsområde", "level": "Ambitionsnivå", "set": "Kriterieuppsättning",
        "set_spec": "Spec-filen skriven för",
        "set_other": "{wanted} – kraven här kommer ur {loaded}, som kan skilja sig",
        "period": "Avtalsperiod", "count": "Antal krav",
        "how": "Så besvarar ni kraven",
        "how_1": "Besvara varje krav i svarsmallen som hör till upphandlingen. Ange kravets "
                 "id (till exempel {example}) om ni svarar på annat sätt.",
        "how_2": "Ja/Nej-frågor besvaras med Ja eller Nej. Tal anges med siffror i den enhet som "
                 "står vid kravet, till exempel 70 för 70 %. Datum anges som ÅÅÅÅ-MM-DD.",
        "how_3": "Bifoga det underlag som anges under Verifiering. Namnge filerna med kravets id, "
                 "till exempel {example}.pdf.",
        "how_4": "Kvalificeringskrav och tekniska specifikationer är obligatoriska: ett anbud som "
                 "inte uppfyller dem går inte vidare till utvärdering. Särskilda "
                 "kontraktsvillkor gäller under hela avtalstiden och följs upp enligt vad som "
                 "anges vid varje villkor.",
        "how_5_deduction": "Tilldelningskriterier är frivilliga. Uppfylls de ges avdrag på "
                           "anbudspriset: jämförelsepris = anbudspris − summan av avdragen. "
                           "Lägst jämförelsepris vinner.",
        "how_5_points": "Tilldelningskriterier är frivilliga. Uppfylls de ges poäng enligt vad "
                        "som anges vid varje kriterium.",
        "intro_qualification": "Leverantören ska uppfylla kraven nedan för att anbudet ska "
                               "prövas.",
        "intro_technical_spec": "Det som levereras ska uppfylla kraven nedan under hela "
                                "avtalstiden.",
        "intro_award": "Kriterierna nedan är frivilliga och ger mervärde vid utvärderingen.",
        "intro_contract_clause": "Villkoren nedan gäller under hela avtalstiden och följs upp av "
                                 "den upphandlande organisationen.",
        "mandatory": "Obligatoriskt", "optional": "Frivilligt, ger mervärde",
        "level_of": "Nivå", "verification": "Verifiering:", "answer": "Svar:",
        "scoring": "Utvärdering:", "follow_up": "Uppföljning:",
        "summary": "Sammanställning av kraven",
        "summary_intro": "Alla krav i bilagan, i samma ordning som ovan.",
        "col_nr": "Nr", "col_id": "Id", "col_title": "Krav", "col_kind": "Typ",
        "col_answer": "Svar", "col_evidence": "Underlag", "evidence_yes": "Ja",
        "none": "Inga klimatkrav har valts för den här upphandlingen.",
        "draft": "UTKAST",
        "draft_title": "Utkast – inte för annonsering.",
        "draft_note_1": "Ett värde ska fyllas i av den upphandlande organisationen; det är "
                        "markerat med gult: {names}.",
        "draft_note_n": "{n} värden ska fyllas i av den upphandlande organisationen; de är "
                        "markerade med gult: {names}.",
    },
    "en": {
        "doc": "Annex – Climate requirements",
        "procurement": "Procurement", "reference": "Reference",
        "organisation": "Contracting authority", "date": "Date",
        "category": "Purchase category", "level": "Ambition level", "set": "Criteria set",
        "set_spec": "Spec written for",
        "set_other": "{wanted} – the requirements here come from {loaded}, which may differ",
        "period": "Contract period", "count": "Number of requirements",
        "how": "How to answer",
        "how_1": "Answer every requirement in the answer template that belongs to this "
                 "procurement. Give the requirement's id (for example {example}) if you answer "
                 "in another way.",
        "how_2": "Answer yes/no questions with Yes or No. Give numbers as digits in the unit "
                 "stated with the requirement, for example 70 for 70 %. Give dates as YYYY-MM-DD.",
        "how_3": "Attach the evidence named under Verification. Name the files after the "
                 "requirement's id, for example {example}.pdf.",
        "how_4": "Qualification requirements and technical specifications are mandatory: a tender "
                 "that does not meet them is not evaluated. Contract performance clauses apply "
                 "for the whole contract period and are followed up as stated with each clause.",
        "how_5_deduction": "Award criteria are optional. When met they give a deduction from the "
                           "bid price: comparison price = bid price − the sum of deductions. The "
                           "lowest comparison price wins.",
        "how_5_points": "Award criteria are optional. When met they score points as stated with "
                        "each criterion.",
        "intro_qualification": "The supplier shall meet the requirements below for the tender "
                               "to be considered.",
        "intro_technical_spec": "What is delivered shall meet the requirements below for the "
                                "whole contract period.",
        "intro_award": "The criteria below are optional and add value in the evaluation.",
        "intro_contract_clause": "The clauses below apply for the whole contract period and are "
                                 "followed up by the contracting authority.",
        "mandatory": "Mandatory", "optional": "Optional, adds value",
        "level_of": "Level", "verification": "Verification:", "answer": "Answer:",
        "scoring": "Evaluation:", "follow_up": "Follow-up:",
        "summary": "Summary of the requirements",
        "summary_intro": "All requirements in this annex, in the order above.",
        "col_nr": "No.", "col_id": "Id", "col_title": "Requirement", "col_kind": "Kind",
        "col_answer": "Answer", "col_evidence": "Evidence", "evidence_yes": "Yes",
        "none": "No climate requirements have been chosen for this procurement.",
        "draft": "DRAFT",
        "draft_title": "Draft – not for publication.",
        "draft_note_1": "One value is still to be set by the contracting authority; it is "
                        "highlighted in yellow: {names}.",
        "draft_note_n": "{n} values are still to be set by the contracting authority; they are "
                        "highlighted in yellow: {names}.",
    },
}


def check_lang(lang: str) -> str:
    """``lang`` if the reports speak it, else a clear error."""
    if lang not in LANGS:
        raise ProcureError(tr("unknown language {lang!r}; expected one of {langs}",
                              "okänt språk {lang!r}; ska vara ett av {langs}",
                              lang=lang, langs=", ".join(LANGS)))
    return lang


def _date_text(date: dt.date | str | None) -> str:
    if date is None:
        return dt.date.today().isoformat()
    return date.isoformat() if isinstance(date, dt.date) else str(date)


def _count_text(selected: list[SelectedCriterion], lang: str) -> str:
    counts = Counter(s.kind for s in selected)
    parts = [f"{counts[k]} {(KIND_LABELS if counts[k] == 1 else SECTIONS)[k][lang].lower()}"
             for k in KINDS if counts[k]]
    return f"{len(selected)}" + (f" ({', '.join(parts)})" if parts else "")


def _cover(spec: ProcurementSpec, cset: CriteriaSet, selected: list[SelectedCriterion],
           lang: str, date: str) -> list[Flowable]:
    t = T[lang]
    try:
        category = f"{cset.category(spec.category).label(lang)} ({spec.category})"
    except ProcureError:
        category = spec.category
    pairs = [
        (t["procurement"], spec.title),
        (t["reference"], spec.reference or "–"),
        (t["organisation"], spec.organisation or "–"),
        (t["date"], date),
        (t["category"], category),
        (t["level"], LEVEL_LABELS.get(spec.level, {}).get(lang, spec.level)),
        (t["set"], f"{cset.ref} – {cset.title.get_lang(lang)}"),
    ]
    if spec.criteria_set and spec.criteria_set != cset.ref:  # --allow-other-version
        pairs.append((t["set_spec"], t["set_other"].format(wanted=spec.criteria_set,
                                                          loaded=cset.ref)))
    if spec.contract_start or spec.contract_end:
        pairs.append((t["period"], f"{spec.contract_start or '…'} – {spec.contract_end or '…'}"))
    pairs.append((t["count"], _count_text(selected, lang)))
    return [para(t["doc"], "title"), para(spec.title, "subtitle"),
            key_value_table(pairs, CONTENT_WIDTH), Spacer(1, 0.5 * cm)]


def _instructions(spec: ProcurementSpec, selected: list[SelectedCriterion], lang: str
                  ) -> list[Flowable]:
    t = T[lang]
    example = selected[0].id if selected else "ABC-01"
    items = [t["how_1"].format(example=example), t["how_2"], t["how_3"].format(example=example),
             t["how_4"]]
    if any(s.kind == "award" for s in selected):
        items.append(t["how_5_points" if spec.award_method == "points" else "how_5_deduction"])
    flow: list[Flowable] = [para(t["how"], "h1")]
    flow += [para(item, "bullet", bullet="•") for item in items]
    return flow


def criterion_block(number: str, selected: SelectedCriterion, lang: str,
                    lead: list[Flowable] | None = None) -> Flowable:
    """One criterion, kept on one page when it fits (its heading never ends a page alone).

    ``lead`` (a section heading and its intro) is kept together with the criterion: reportlab's
    keepWithNext does not reach into a KeepTogether, so the heading has to be inside it.
    """
    t = T[lang]
    crit = selected.criterion
    level = LEVEL_LABELS.get(selected.level, {}).get(lang, selected.level)
    status = t["mandatory"] if selected.mandatory else t["optional"]
    meta = f"{KIND_LABELS[selected.kind][lang]} · {t['level_of']} {level} · {status}"
    marks = open_marks(selected, lang)
    block: list[Flowable] = [
        *(lead or []),
        para(f"{number}  {selected.id} – {selected.title.get_lang(lang)}", "h2"),
        para(meta, "meta"),
        para_marked(selected.text.get_lang(lang), "requirement", marks),
    ]
    verification = crit.verification.get_lang(lang)
    if verification:
        block.append(para(verification, "detail", label=t["verification"]))
    block.append(para_marked(answer_instruction(selected, lang), "detail", marks,
                             label=t["answer"]))
    scoring = award_description(selected, lang)
    if scoring:
        block.append(para_marked(scoring, "detail", marks, label=t["scoring"]))
    follow_up = crit.follow_up.get_lang(lang)
    if follow_up:
        block.append(para(follow_up, "detail", label=t["follow_up"]))
    if crit.origin:  # taken from another municipality's set: say where, in small print
        block.append(para(crit.origin, _origin_style(), label=ORIGIN_LABEL[lang]))
    block.append(Spacer(1, 0.25 * cm))
    return KeepTogether(block)


@cache
def _origin_style() -> ParagraphStyle:
    """Small print under the criterion, aligned with its details."""
    return ParagraphStyle("origin", styles()["meta"], fontSize=7, leading=9, leftIndent=8)


def open_marks(selected: SelectedCriterion, lang: str) -> dict[str, str]:
    """``{name: "Största avstånd till verkstad"}`` for each value still open in a draft.

    The label alone: the text around a placeholder already carries the unit ("inom {x} km").
    """
    return {name: selected.criterion.parameters[name].label.get_lang(lang) or name
            for name in selected.open_params}


def _draft_note(selected: list[SelectedCriterion], lang: str) -> list[Flowable]:
    missing = open_params(selected)
    if not missing:
        return []
    t = T[lang]
    names = ", ".join(f"{m.criterion_id} {m.label(lang)}" for m in missing)
    note = t["draft_note_1" if len(missing) == 1 else "draft_note_n"]
    return [para(note.format(n=len(missing), names=names), "body", label=t["draft_title"]),
            Spacer(1, 0.3 * cm)]


def _numbered(selected: list[SelectedCriterion]) -> list[tuple[str, SelectedCriterion]]:
    """``1.1``, ``1.2``, ``2.1`` … by kind in tender order (numbering skips absent kinds)."""
    result = []
    section = 0
    for kind in KINDS:
        members = [s for s in selected if s.kind == kind]
        if members:
            section += 1
            result += [(f"{section}.{n}", s) for n, s in enumerate(members, start=1)]
    return result


def _sections(numbered: list[tuple[str, SelectedCriterion]], lang: str) -> list[Flowable]:
    t = T[lang]
    flow: list[Flowable] = []
    current = None
    for number, selected in numbered:
        lead: list[Flowable] = []
        if selected.kind != current:
            current = selected.kind
            section = number.split(".", 1)[0]
            intro = para(t[f"intro_{current}"], "note")
            intro.keepWithNext = 1
            lead = [para(f"{section}  {SECTIONS[current][lang]}", "h1"), intro]
        flow.append(criterion_block(number, selected, lang, lead))
    return flow


def _summary(numbered: list[tuple[str, SelectedCriterion]], lang: str) -> list[Flowable]:
    t = T[lang]
    head = [para(t[k], "cell_head") for k in
            ("col_nr", "col_id", "col_title", "col_kind", "col_answer", "col_evidence")]
    rows = [head]
    for number, s in numbered:
        rows.append([
            para(number, "cell"), para(s.id, "cell"), para(s.title.get_lang(lang), "cell"),
            para(SHORT_KIND[s.kind][lang], "cell"),
            para_marked(short_answer(s, lang), "cell", open_marks(s, lang)),
            para(t["evidence_yes"] if s.answer.evidence_required else "–", "cell"),
        ])
    widths = [1.0 * cm, 2.8 * cm, 5.0 * cm, 2.6 * cm, 3.4 * cm, 1.8 * cm]
    scale = CONTENT_WIDTH / sum(widths)
    return [CondPageBreak(6 * cm), para(t["summary"], "h1"), para(t["summary_intro"], "note"),
            data_table(rows, [w * scale for w in widths])]


def annex_story(spec: ProcurementSpec, criteria_set: CriteriaSet,
                selected: list[SelectedCriterion], lang: str = "sv",
                date: dt.date | str | None = None) -> list[Flowable]:
    """The annex as platypus flowables (for callers that combine it with other content)."""
    check_lang(lang)
    story = _cover(spec, criteria_set, selected, lang, _date_text(date))
    story += _draft_note(selected, lang)
    story += _instructions(spec, selected, lang)
    if not selected:
        story.append(para(T[lang]["none"], "body"))
        return story
    numbered = _numbered(selected)
    story += _sections(numbered, lang)
    story += _summary(numbered, lang)
    return story


def build_annex_pdf(spec: ProcurementSpec, criteria_set: CriteriaSet,
                    selected: list[SelectedCriterion], output: str | Path, lang: str = "sv",
                    date: dt.date | str | None = None, *, draft: bool = False
                    ) -> BuiltReport:
    """Write the requirement annex for ``spec`` to ``output`` (atomically).

    ``criteria_set`` and ``selected`` are what :func:`procure.tender.spec.resolve` returns for the
    spec; ``date`` defaults to today (pass one for reproducible output). A final annex needs
    every buyer parameter set (else :class:`SpecError`, before anything is written);
    ``draft=True`` writes one anyway, "UTKAST" across every page and the open values marked.
    """
    check_lang(lang)
    if not draft:
        require_complete(selected, spec.path)
    story = annex_story(spec, criteria_set, selected, lang, date)
    info = PageInfo(
        title=T[lang]["doc"], reference=spec.reference, set_ref=criteria_set.ref,
        footer=" · ".join(p for p in (spec.title, spec.organisation) if p), lang=lang,
        author=spec.organisation, subject=spec.title,
        watermark=T[lang]["draft"] if draft else "",
    )
    return build_pdf(story, output, info)
