"""The words of the evaluation record, in Swedish and English."""

from __future__ import annotations

VERDICT_LABELS: dict[str, dict[str, str]] = {
    "sv": {"met": "Uppfyllt", "not_met": "Ej uppfyllt", "missing": "Saknas",
           "invalid": "Ogiltigt", "review": "Granskas"},
    "en": {"met": "Met", "not_met": "Not met", "missing": "Missing",
           "invalid": "Invalid", "review": "To review"},
}
VERDICT_SYMBOLS: dict[str, str] = {
    "met": "✓", "not_met": "✗", "missing": "–", "invalid": "!", "review": "?",
}

T: dict[str, dict[str, str]] = {
    "sv": {
        "doc": "Utvärderingsprotokoll – Klimatkrav",
        "procurement": "Upphandling", "reference": "Diarienummer",
        "organisation": "Upphandlande organisation", "date": "Datum",
        "set": "Kriterieuppsättning", "level": "Ambitionsnivå",
        "method": "Utvärderingsmodell", "n_suppliers": "Antal anbud",
        "n_criteria": "Antal krav",
        "method_price_deduction": "Lägsta jämförelsepris (anbudspris − prisavdrag för mervärden)",
        "method_points": "Poäng för mervärden",
        "method_lowest_price": "Lägsta pris",
        "summary": "1  Sammanställning",
        "summary_text": "{n} anbud har prövats mot {m} krav. Kvalificerade: {q}. Behöver "
                        "granskas av en handläggare: {p}. Förkastade anbud (uppfyller inte "
                        "en teknisk specifikation eller ett kontraktsvillkor): {r}. Ej "
                        "kvalificerade leverantörer: {x}.",
        "winner": "Lägst jämförelsepris bland de kvalificerade anbuden: {name} ({price} kr).",
        "summary_note": "Belopp i kronor. Jämförelsepris = anbudspris − avdrag. Rang ges bara "
                        "till kvalificerade anbud. Symbolkolumnerna räknar leverantörens "
                        "bedömningar.",
        "summary_note_points": "Belopp i kronor. Poäng från tilldelningskriterierna. Rang ges "
                               "bara till kvalificerade anbud.",
        "col_nr": "Nr", "col_supplier": "Leverantör", "col_status": "Status",
        "col_bid": "Anbudspris", "col_deductions": "Avdrag", "col_points": "Poäng",
        "col_comparison": "Jämförelse-\npris", "col_rank": "Rang",
        "status_qualified": "Kvalificerad", "status_not_qualified": "Ej kvalificerad",
        "status_pending_review": "Granskas", "status_rejected": "Förkastat",
        "rank_of": "rang {rank}", "comparison_of": "jämförelsepris {price} kr",
        "findings": "2  Avvikelser per leverantör",
        "findings_intro": "Krav som inte är uppfyllda, saknar svar, har ett svar som inte kunde "
                          "läsas eller behöver granskas av en handläggare, med skälet.",
        "all_met": "Alla krav är uppfyllda.",
        "col_id": "Id", "col_criterion": "Krav", "col_verdict": "Bedömning",
        "col_answer": "Svar", "col_reason": "Skäl",
        "matrix": "3  Alla bedömningar",
        "matrix_intro": "Varje leverantör mot varje krav. Kolumnerna är leverantörernas nummer "
                        "i sammanställningen.",
        "no_suppliers": "Inga anbud har lämnats in.",
        "signature": "Underskrift",
        "signature_line": "Ort och datum: ______________________     "
                          "Namn och befattning: ______________________________",
    },
    "en": {
        "doc": "Evaluation record – Climate requirements",
        "procurement": "Procurement", "reference": "Reference",
        "organisation": "Contracting authority", "date": "Date",
        "set": "Criteria set", "level": "Ambition level",
        "method": "Award method", "n_suppliers": "Tenders",
        "n_criteria": "Requirements",
        "method_price_deduction": "Lowest comparison price (bid price − deductions for added "
                                  "value)",
        "method_points": "Points for added value",
        "method_lowest_price": "Lowest price",
        "summary": "1  Summary",
        "summary_text": "{n} tenders were checked against {m} requirements. Qualified: {q}. "
                        "To be reviewed by a case officer: {p}. Tenders rejected (a technical "
                        "specification or contract clause not met): {r}. Suppliers not "
                        "qualified: {x}.",
        "winner": "Lowest comparison price among the qualified tenders: {name} (SEK {price}).",
        "summary_note": "Amounts in SEK. Comparison price = bid price − deductions. Only "
                        "qualified tenders are ranked. The symbol columns count the supplier's "
                        "verdicts.",
        "summary_note_points": "Amounts in SEK. Points from the award criteria. Only qualified "
                               "tenders are ranked.",
        "col_nr": "No.", "col_supplier": "Supplier", "col_status": "Status",
        "col_bid": "Bid price", "col_deductions": "Deductions", "col_points": "Points",
        "col_comparison": "Comparison\nprice", "col_rank": "Rank",
        "status_qualified": "Qualified", "status_not_qualified": "Not qualified",
        "status_pending_review": "To review", "status_rejected": "Rejected",
        "rank_of": "rank {rank}", "comparison_of": "comparison price SEK {price}",
        "findings": "2  Deviations per supplier",
        "findings_intro": "Requirements not met, not answered, answered in a form that could not "
                          "be read, or needing review by a case officer, with the reason.",
        "all_met": "All requirements are met.",
        "col_id": "Id", "col_criterion": "Requirement", "col_verdict": "Verdict",
        "col_answer": "Answer", "col_reason": "Reason",
        "matrix": "3  All verdicts",
        "matrix_intro": "Every supplier against every requirement. The columns are the "
                        "suppliers' numbers in the summary.",
        "no_suppliers": "No tenders were submitted.",
        "signature": "Signature",
        "signature_line": "Place and date: ______________________     "
                          "Name and title: ______________________________",
    },
}
