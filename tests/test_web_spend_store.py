"""The browser app stores a matched ledger in the register as a year's spend ("Spara i
registret"), which the follow-up report reads.

A fresh SQLite register per test (the example procurement, tests/registerkit.py) and the
example group's 2026 ledger (120 lines), through Starlette's TestClient. Each stored import is
checked in the database: the lines and the history row.
"""

from __future__ import annotations

import html
import re

import pytest
from starlette.testclient import TestClient

from procure.io.textfmt import format_money
from procure.register.tables import history, spend_lines

from .conftest import EXAMPLES
from .webkit import one_line_error, page_text, register_client, table_rows

LEDGER = EXAMPLES / "register" / "reskontra-2026.csv"
TEXT = ["Leverantör", "Kontotext", "Fakturatext"]


def token(client: TestClient) -> str:
    return client.cookies["procure_csrf"]


def matched(client: TestClient, amount: str = "Belopp") -> str:
    """Upload and match the ledger; returns the job's page address."""
    r = client.post("/spend", data={"csrf": token(client)},
                    files={"ledger": (LEDGER.name, LEDGER.read_bytes())}, follow_redirects=True)
    page = r.url.path
    r = client.post(page, data={"csrf": token(client), "text_columns": TEXT,
                                "amount_column": amount})
    assert r.status_code == 200, r.text[-800:]
    return page


def store(client: TestClient, page: str, **changes: str):
    return client.post(page + "/register", data={"csrf": token(client), "year": "2026",
                                                 "who": "Anna Andersson", **changes},
                       follow_redirects=False)


def stored_lines(db: str) -> list[dict]:
    return table_rows(db, spend_lines)


def spend_history(db: str) -> list[dict]:
    return table_rows(db, history, history.c.table_name == "spend_lines")


def test_the_matched_page_offers_to_store_it(register_web):
    page = register_web.get(matched(register_web)).text
    assert "Spara i registret" in page
    assert 'action="/spend/' in page
    assert 'name="year"' in page
    assert 'name="replace"' in page


def test_storing_writes_every_line_and_a_history_row_and_says_what(register_web, example_db):
    page = matched(register_web)
    r = store(register_web, page)
    assert r.status_code == 303
    assert r.headers["location"] == page + "#stored"
    lines = stored_lines(example_db)
    assert len(lines) == 120
    assert {(line["year"], line["source_file"]) for line in lines} == {(2026, LEDGER.name)}
    assert all(line["organisation"] for line in lines)  # Förvaltning, found by its usual name
    assert sum(1 for line in lines if line["category"]) > 90
    [logged] = spend_history(example_db)
    assert logged["who"] == "Anna Andersson"
    assert logged["data"] == {"file": LEDGER.name, "year": 2026, "rows": 120}
    shown = page_text(register_web.get(page).text)
    assert "Sparat i registret" in shown
    assert f"120 utgiftsrader för 2026 från {LEDGER.name}, totalt" in shown
    share = re.search(r"(\d+) rader matchade en kategori \((\d+,\d) %\)", shown)
    n_matched = sum(1 for line in lines if line["category"])
    assert share
    assert int(share.group(1)) == n_matched
    assert share.group(2) == f"{100 * n_matched / 120:.1f}".replace(".", ",")
    total = format_money(sum(line["amount_sek"] for line in lines), "sv")
    assert f"totalt {page_text(total)}." in shown
    assert 'href="/report/followup.pdf?year=2026"' in register_web.get(page).text


def test_the_same_file_again_needs_replace_and_replaces(register_web, example_db):
    page = matched(register_web)
    store(register_web, page)
    line = one_line_error(store(register_web, page))
    assert line == (f"registret har redan 120 utgiftsrader för 2026 från {LEDGER.name} "
                    f"(kryssa i ”Ersätt” för att importera den igen)")
    assert "--replace" not in line
    assert len(stored_lines(example_db)) == 120
    assert store(register_web, page, replace="1").status_code == 303
    assert len(stored_lines(example_db)) == 120  # replaced, not doubled
    assert len(spend_history(example_db)) == 2


def test_with_htmx_the_answer_is_the_stored_notice_and_an_error_stays_by_the_form(register_web):
    page = matched(register_web)
    headers = {"HX-Request": "true", "HX-Target": "stored"}
    r = register_web.post(page + "/register", headers=headers,
                    data={"csrf": token(register_web), "year": "2026", "who": "Anna"})
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<div class="ok" role="status">')
    assert r.headers["HX-Push-Url"] == page + "#stored"
    r = register_web.post(page + "/register", headers=headers,
                    data={"csrf": token(register_web), "year": "2026", "who": "Anna"})
    assert r.status_code == 200  # htmx swaps only 2xx answers
    assert r.headers["HX-Retarget"] == "#stored"
    assert "kryssa i ”Ersätt”" in html.unescape(r.text)
    r = register_web.post(page + "/register", headers={"HX-Request": "true", "HX-Target": "x\"];"},
                    data={"csrf": token(register_web), "year": "", "who": "Anna"})
    assert r.headers["HX-Retarget"] == "#result"  # only a plain id is echoed back


@pytest.mark.parametrize(("changes", "needle"), [
    ({"year": ""}, "År: skriv året med fyra siffror, t.ex. 2026."),
    ({"year": "26"}, "År: skriv året med fyra siffror, t.ex. 2026 (inte '26')."),
    ({"year": "２０２６"}, "År: skriv året med fyra siffror"),
    ({"who": ""}, "Skriv ditt namn: det sparas i historiken."),
])
def test_errors_are_one_line_and_store_nothing(register_web, example_db, changes, needle):
    assert needle in one_line_error(store(register_web, matched(register_web), **changes))
    assert stored_lines(example_db) == []


def test_storing_needs_the_ledger_matched_with_an_amount_column(register_web, example_db):
    r = register_web.post("/spend", data={"csrf": token(register_web)},
                    files={"ledger": (LEDGER.name, LEDGER.read_bytes())}, follow_redirects=True)
    assert one_line_error(store(register_web, r.url.path)) == "Matcha reskontran först."
    page = matched(register_web, amount="")
    assert "Välj kolumnen med belopp och matcha igen" in register_web.get(page).text
    assert 'name="year"' not in register_web.get(page).text
    assert one_line_error(store(register_web, page)).startswith("Välj kolumnen med belopp och matcha igen")
    assert stored_lines(example_db) == []


def test_matching_again_forgets_what_was_stored_with_the_earlier_columns(register_web):
    page = matched(register_web)
    store(register_web, page)
    assert "Sparat i registret" in register_web.get(page).text
    register_web.post(page, data={"csrf": token(register_web), "text_columns": ["Fakturatext"],
                                  "amount_column": "Belopp"})
    assert "Sparat i registret" not in register_web.get(page).text


def test_without_a_register_the_page_says_how_to_make_one(tmp_path):
    with register_client(tmp_path, str(tmp_path / "none.db")) as c:
        c.get("/")
        page = c.get(matched(c)).text
        assert "Här finns inget register än" in page
        assert "procure register init" in page
        assert 'name="year"' not in page
        assert str(tmp_path / "work") not in page
        assert "procure register init" in one_line_error(store(c, matched(c)))


def test_english(register_web):
    page = matched(register_web)
    store(register_web, page)
    shown = page_text(register_web.get(page, params={"lang": "en"}).text)
    assert "Stored in the register" in shown
    assert f"120 spend lines of 2026 from {LEDGER.name}" in shown
    line = one_line_error(store(register_web, page, year="x"))
    assert line.startswith("Year: write the year as four digits")


def test_the_stored_notice_says_when_the_year_holds_the_same_ledger_twice():
    from procure.web.spend_store import stored_lines as notice

    stored = {"file": "reskontra-kopia.csv", "year": 2026, "rows": 4, "matched": 3,
              "corrected": 0, "unmatched": 1, "amount_sek": 100.0, "unmatched_sek": 10.0,
              "other_files": {"reskontra.csv": {"rows": 4, "amount_sek": 100.0}},
              "looks_like_the_same_ledger_as": ["reskontra.csv"]}
    assert notice(stored, "sv")[-1] == (
        "2026 har också reskontra.csv med lika många rader och samma summa som "
        "reskontra-kopia.csv: är det samma reskontra räknas utgifterna nu två gånger")
    alone = {**stored, "other_files": {}, "looks_like_the_same_ledger_as": []}
    assert len(notice(alone, "sv")) == 2
