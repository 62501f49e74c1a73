"""The browser app's deviations: recording one on the procurement's page, closing its corrective
action as genomförd / ej genomförd, and open actions on the page of what is due.

On the example procurement registered with its winner (tests/registerkit.py), a fresh SQLite
register per test, through Starlette's TestClient. Every change is checked in the database: the
row and its history row.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from starlette.testclient import TestClient

from procure.register.tables import history, performance_failures

from .registerkit import REFERENCE
from .webkit import one_line_error, page_text, table_rows

CRITERION = "TRN-FUEL-01"
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def deviation_form(client: TestClient, **changes: str) -> dict[str, str]:
    return {"csrf": client.cookies["procure_csrf"], "reference": REFERENCE,
            "criterion": CRITERION, "category": "fel drivmedel",
            "description": "fossil diesel i stället för HVO100", "events": "3",
            "period_start": "2027-01-01", "period_end": "2027-03-31",
            "sanction_agreed": "vite 5 000 kr per fordon och månad",
            "sanction_imposed": "25 000", "corrective_action": "Byte till HVO100",
            "corrective_due": YESTERDAY, "who": "Anna Andersson", **changes}


def record(client: TestClient, **changes: str):
    return client.post("/followup/deviation", data=deviation_form(client, **changes),
                       follow_redirects=False)


def test_page_offers_the_deviation_form_with_the_contracts_criteria(register_web):
    page = register_web.get("/register/show", params={"ref": REFERENCE}).text
    assert "Registrera en avvikelse" in page
    assert "Inga avvikelser registrerade." in page
    offered = re.findall(r'<option value="([^"]+)"', page.split('id="dev-criterion"')[1]
                         .split("</select>")[0])
    assert CRITERION in offered
    assert len(offered) >= 3


def test_recording_a_deviation_writes_it_and_its_history_and_shows_it(register_web, example_db):
    r = record(register_web)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/register/show?")
    assert r.headers["location"].endswith("#deviations")
    [row] = table_rows(example_db, performance_failures)
    assert (row["criterion_id"], row["category"], row["events"]) == (CRITERION, "fel drivmedel", 3)
    assert (row["period_start"], row["period_end"]) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert row["sanction_imposed_sek"] == 25000.0
    assert row["sanction_agreed"] == "vite 5 000 kr per fordon och månad"
    assert (row["corrective_action"], row["corrective_outcome"]) == ("Byte till HVO100", "open")
    assert row["recorded_by"] == "Anna Andersson"
    logged = [h for h in table_rows(example_db, history) if h["table_name"] == "performance_failures"]
    assert [(h["row_id"], h["action"], h["who"]) for h in logged] == [
        (row["id"], "insert", "Anna Andersson")]
    page = register_web.get(r.headers["location"]).text
    assert f"Avvikelse {row['id']} är registrerad." in page
    listed = page.split(f'<tr id="deviation-{row["id"]}">')[1].split("</tr>")[0]
    for shown in ("fel drivmedel", "fossil diesel", "2027-01-01 – 2027-03-31", "25 000 kr",
                  "Byte till HVO100", YESTERDAY, "försenad"):
        assert shown in page_text(listed), shown
    assert f'id="resolve-{row["id"]}"' in page  # the action can be closed


def test_a_deviation_without_an_action_has_no_close_form(register_web, example_db):
    record(register_web, corrective_action="", corrective_due="", sanction_imposed="", events="")
    [row] = table_rows(example_db, performance_failures)
    assert row["events"] == 1
    assert row["corrective_outcome"] is None
    page = register_web.get("/register/show", params={"ref": REFERENCE}).text
    assert "ingen åtgärd" in page
    assert 'id="resolve-' not in page


@pytest.mark.parametrize(("changes", "needle"), [
    ({"who": " "}, "Skriv ditt namn"),
    ({"who": "x" * 121}, "Ditt namn: högst 120 tecken"),
    ({"category": ""}, "ange vilken sorts avvikelse det är"),
    ({"category": "x" * 61}, "typen av avvikelse är 61 tecken; högst 60"),
    ({"period_start": "1/1/2027"}, "Period från: '1/1/2027' är inget datum (ÅÅÅÅ-MM-DD)."),
    ({"corrective_due": "2027-02-30"}, "Åtgärden senast: '2027-02-30' är inget datum"),
    ({"sanction_imposed": "-500"}, "Uttaget vite: '-500' är inget belopp i kronor (0 eller mer)."),
    ({"sanction_imposed": "mycket"}, "Uttaget vite: 'mycket' är inget belopp"),
    ({"events": "0"}, "Antal gånger: '0' är inget heltal (1 eller mer)."),
    ({"events": "två"}, "Antal gånger: 'två' är inget heltal"),
    ({"period_end": "2026-12-31"}, "perioden slutar (2026-12-31) före den börjar (2027-01-01)"),
    ({"corrective_due": ""}, "åtgärden behöver ett datum då den ska vara genomförd"),
    ({"corrective_action": ""}, "men ingen åtgärd"),
    ({"criterion": "NOPE-1"}, "har inget kriterium 'NOPE-1'; det har: "),
    ({"reference": "KS 1999/0001"}, "KS 1999/0001"),
])
def test_deviation_errors_are_one_line_and_write_nothing(register_web, example_db, changes, needle):
    assert needle in one_line_error(record(register_web, **changes))
    assert table_rows(example_db, performance_failures) == []


def test_amounts_are_read_as_people_type_them(register_web, example_db):
    record(register_web, sanction_imposed="1,5 mkr")
    assert table_rows(example_db, performance_failures)[0]["sanction_imposed_sek"] == 1_500_000.0


def test_a_form_without_the_token_is_refused(register_web, example_db):
    form = deviation_form(register_web)
    del form["csrf"]
    assert register_web.post("/followup/deviation", data=form).status_code == 403
    assert register_web.post("/followup/resolve", data={"deviation": "1", "outcome": "done",
                                                  "who": "A"}).status_code == 403
    assert table_rows(example_db, performance_failures) == []


def resolve_form(client: TestClient, fid: int, **changes: str) -> dict[str, str]:
    return {"csrf": client.cookies["procure_csrf"], "deviation": str(fid),
            "outcome": "done", "on": "2027-04-15", "note": "HVO100 sedan mars",
            "sanction_imposed": "40 000", "who": "Bo Berg", **changes}


def test_closing_an_action_writes_the_outcome_and_history(register_web, example_db):
    record(register_web)
    [row] = table_rows(example_db, performance_failures)
    r = register_web.post("/followup/resolve", data=resolve_form(register_web, row["id"]),
                    follow_redirects=False)
    assert r.status_code == 303
    [row] = table_rows(example_db, performance_failures)
    assert (row["corrective_outcome"], row["sanction_imposed_sek"]) == ("done", 40000.0)
    change = [h for h in table_rows(example_db, history)
              if h["table_name"] == "performance_failures" and h["action"] == "update"]
    assert len(change) == 1
    assert change[0]["who"] == "Bo Berg"
    assert change[0]["data"]["on"] == "2027-04-15"
    assert change[0]["data"]["note"] == "HVO100 sedan mars"
    assert change[0]["data"]["before"] == {"corrective_outcome": "open",
                                           "sanction_imposed_sek": 25000.0}
    page = register_web.get(r.headers["location"]).text
    assert f"Åtgärden för avvikelse {row['id']} är avslutad: genomförd." in page
    listed = page.split(f'<tr id="deviation-{row["id"]}">')[1].split("</tr>")[0]
    assert "genomförd" in listed
    assert "40 000 kr" in page_text(listed)
    assert f'id="resolve-{row["id"]}"' not in page  # nothing left to close


def test_an_action_not_done_keeps_the_sanction_when_none_is_given(register_web, example_db):
    record(register_web)
    fid = table_rows(example_db, performance_failures)[0]["id"]
    register_web.post("/followup/resolve", data=resolve_form(register_web, fid, outcome="not_done",
                                                      sanction_imposed="", note=""))
    [row] = table_rows(example_db, performance_failures)
    assert (row["corrective_outcome"], row["sanction_imposed_sek"]) == ("not_done", 25000.0)
    page = register_web.get("/register/show", params={"ref": REFERENCE}).text
    assert "ej genomförd" in page


@pytest.mark.parametrize(("changes", "needle"), [
    ({"outcome": ""}, "Välj om åtgärden är genomförd eller inte."),
    ({"outcome": "maybe"}, "Välj om åtgärden är genomförd eller inte."),
    ({"on": "i går"}, "Datum: 'i går' är inget datum"),
    ({"sanction_imposed": "-1"}, "Uttaget vite: '-1' är inget belopp"),
    ({"who": ""}, "Skriv ditt namn"),
    ({"deviation": "999"}, "registret har ingen avvikelse 999"),
    ({"deviation": "x1"}, "Registret har ingen avvikelse 'x1'."),
])
def test_closing_errors_are_one_line_and_change_nothing(register_web, example_db, changes, needle):
    record(register_web)
    fid = table_rows(example_db, performance_failures)[0]["id"]
    assert needle in one_line_error(register_web.post("/followup/resolve",
                                       data=resolve_form(register_web, fid, **changes)))
    assert table_rows(example_db, performance_failures)[0]["corrective_outcome"] == "open"


def test_closing_a_deviation_without_an_action_is_one_line(register_web, example_db):
    record(register_web, corrective_action="", corrective_due="")
    fid = table_rows(example_db, performance_failures)[0]["id"]
    line = one_line_error(register_web.post("/followup/resolve", data=resolve_form(register_web, fid)))
    assert f"avvikelse {fid} har ingen åtgärd att avsluta" in line


def test_an_open_action_is_due_and_links_to_its_deviation(register_web, example_db):
    record(register_web)
    fid = table_rows(example_db, performance_failures)[0]["id"]
    page = register_web.get("/followup").text
    assert '<h2 id="state-action_overdue">Åtgärd försenad (1)</h2>' in page
    section = page.split('id="state-action_overdue"')[1].split("</table>")[0]
    assert f"#deviation-{fid}" in html.unescape(section)
    assert f"Avvikelse {fid}: Byte till HVO100" in section
    register_web.post("/followup/resolve", data=resolve_form(register_web, fid))
    assert "state-action_overdue" not in register_web.get("/followup").text


def test_english_words(register_web, example_db):
    record(register_web)
    fid = table_rows(example_db, performance_failures)[0]["id"]
    register_web.post("/followup/resolve", data=resolve_form(register_web, fid, outcome="not_done"))
    page = register_web.get("/register/show", params={"ref": REFERENCE, "lang": "en"}).text
    assert "Record a deviation" in page
    assert "not done" in page
    assert "SEK 40,000" in page
    r = register_web.post("/followup/deviation", data=deviation_form(register_web, who=""))
    assert one_line_error(r) == "Write your name: it is kept in the history."
