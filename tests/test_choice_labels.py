"""Answer choices that are words ("Equivalent", "None") reach a Swedish supplier in Swedish,
and an answer in either language counts as the same choice (issue 12, officer's review)."""

from __future__ import annotations

import csv

import openpyxl

from procure.answers.evaluation import evaluate
from procure.answers.read import read_answers
from procure.i18n import CHOICE_WORDS, choice_aliases, choice_label
from procure.reports.wording import answer_instruction
from procure.tender.spec import build_spec, resolve
from procure.tender.template import META_SHEET, write_template


def test_words_are_translated_and_names_stay():
    assert choice_label("Equivalent", "sv") == "Likvärdig"
    assert choice_label("None", "en") == "None"
    assert choice_label("Svanen", "sv") == choice_label("Svanen", "en") == "Svanen"
    assert set(choice_aliases("None")) == {"None", "Ingen"}


def test_every_word_choice_in_the_library_has_both_languages(library):
    words = {c for cr in library.criteria.values() if cr.answer.type == "choice"
             for c in cr.answer.choices if c in CHOICE_WORDS}
    assert {"Equivalent", "None"} <= words
    assert all(set(CHOICE_WORDS[w]) == {"sv", "en"} for w in words)


def _organic(library):
    # only the organic criterion, so no buyer parameter is left open
    spec = build_spec(library, title="Livsmedel", category="food.products", level="bas")
    others = [s.id for s in resolve(spec, library)[1] if s.id != "FOOD-ORG-01"]
    spec = build_spec(library, title="Livsmedel", category="food.products", level="bas",
                      add=["FOOD-ORG-01"], remove=others)
    selected = resolve(spec, library)[1]
    return spec, selected, next(s for s in selected if s.id == "FOOD-ORG-01")


def test_the_annex_and_the_template_show_swedish_words(tmp_path, library):
    spec, selected, organic = _organic(library)
    text = answer_instruction(organic, "sv")
    assert "EU-ekologisk, KRAV, Likvärdig, Ingen" in text
    assert "Equivalent" not in text
    assert "None" not in text
    assert "Equivalent, None" in answer_instruction(organic, "en")
    book = openpyxl.load_workbook(write_template(spec, library, selected, tmp_path / "t.xlsx"))
    listed = {c.value for row in book[META_SHEET].iter_rows() for c in row if c.value}
    assert {"Likvärdig", "Ingen"} <= listed
    assert not {"Equivalent", "None"} & listed


def test_an_answer_in_either_language_is_the_same_choice(tmp_path, library):
    spec, selected, _ = _organic(library)
    path = tmp_path / "answers.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["supplier", "criterion_id", "answer", "evidence", "bid_price"])
        for supplier, answer in (("A", "Likvärdig"), ("B", "Equivalent"), ("C", "Ingen"),
                                 ("D", "Kanske")):
            writer.writerow([supplier, "FOOD-ORG-01", answer, "intyg.pdf", "100"])
    answers = read_answers([path], criteria_ids=[s.id for s in selected])
    verdicts = evaluate(spec, library, selected, answers, "sv").verdicts
    got = dict(zip(verdicts[verdicts["criterion_id"] == "FOOD-ORG-01"]["supplier"],
                   verdicts[verdicts["criterion_id"] == "FOOD-ORG-01"]["verdict"]))
    assert got == {"A": "met", "B": "met", "C": "not_met", "D": "invalid"}
