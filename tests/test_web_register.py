"""The browser app's register pages: contracts, what is due, recording a follow-up, the report.

Run on the example municipal group (examples/register/, 150 procurements) built into a fresh
SQLite register, through Starlette's TestClient.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from procure.web import WebConfig, create_app

from .webkit import example_group_register


@pytest.fixture(scope="module")
def register_db(tmp_path_factory, library) -> str:
    return example_group_register(tmp_path_factory.mktemp("register") / "register.db", library)


@pytest.fixture
def client(tmp_path, register_db):
    with TestClient(create_app(WebConfig(workdir=tmp_path / "work", db=register_db)),
                    raise_server_exceptions=False) as c:
        c.get("/")
        yield c


def alert(page: str) -> str:
    block = re.search(r'role="alert">.*?<p>(.*?)</p>', page, flags=re.S)
    assert block, page[-600:]
    return html.unescape(block.group(1))


def references(page: str) -> list[str]:
    return [html.unescape(r) for r in
            re.findall(r'<th scope="row"><a href="/register/show\?[^"]+">([^<]+)</a>', page)]


def test_menu_offers_the_register_pages(client):
    page = client.get("/").text
    for href in ("/register", "/followup", "/report"):
        assert f'href="{href}"' in page


def test_list_and_filter_by_organisation(client):
    every = client.get("/register")
    assert every.status_code == 200
    assert "150 upphandlingar" in every.text
    name = html.unescape(re.findall(r'<option value="([^"]+)">', every.text)[0])
    some = client.get("/register", params={"organisation": name}).text
    assert 0 < len(references(some)) < 150


def test_one_procurement_shows_its_plan_and_records_a_follow_up(client):
    ref = references(client.get("/register").text)[0]
    page = client.get("/register/show", params={"ref": ref}).text
    assert "Uppföljningsplan" in page
    criterion = re.search(r'<select id="criterion" name="criterion"><option value="([^"]+)"',
                          page).group(1)
    planned = page.count("planerad")
    r = client.post("/followup/record", data={
        "csrf": client.cookies["procure_csrf"], "reference": ref, "criterion": criterion,
        "status": "met", "on": "2026-11-30", "evidence": "Drivmedelsrapport 2026",
        "valid_until": "2027-11-30", "who": "Anna Andersson"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "Uppföljningen är registrerad" in r.text
    assert "2027-11-30" in r.text  # the evidence's validity, in the plan
    assert r.text.count("planerad") < planned or "uppfyllt" in r.text


def test_recording_needs_a_name_a_real_date_and_the_token(client):
    ref = references(client.get("/register").text)[0]
    form = {"csrf": client.cookies["procure_csrf"], "reference": ref, "criterion": "X",
            "status": "met", "who": ""}
    assert "Skriv ditt namn" in alert(client.post("/followup/record", data=form).text)
    form |= {"who": "Anna", "on": "30/11/2026"}
    assert "'30/11/2026' är inget datum" in alert(client.post("/followup/record", data=form).text)
    form |= {"on": "2026-11-30"}
    assert "har inget kriterium 'X'" in alert(client.post("/followup/record", data=form).text)
    del form["csrf"]
    assert client.post("/followup/record", data=form).status_code == 403


def test_unknown_reference_is_one_line(client):
    r = client.get("/register/show", params={"ref": "KS 1999/0001"})
    assert r.status_code == 400
    assert "KS 1999/0001" in alert(r.text)


def test_due_lists_overdue_first(client):
    r = client.get("/followup", params={"within": "90"})
    assert r.status_code == 200
    headings = re.findall(r'<h2 id="state-([a-z_]+)">', r.text)
    assert headings
    assert headings[0] == "overdue"
    assert client.get("/followup", params={"within": "abc"}).status_code == 200


def test_report_form_and_a_valid_pdf(client):
    assert 'href="/report"' in client.get("/").text
    form = client.get("/report").text
    years = re.findall(r'<option value="(\d{4})"', form)
    assert years
    r = client.get("/report/followup.pdf", params={"year": years[0]})
    assert r.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert years[0] in text
    assert client.get("/report/followup.pdf", params={"year": "x"}).status_code == 400


def test_no_register_yet_is_one_line_naming_how_to_make_one(tmp_path):
    config = WebConfig(workdir=tmp_path / "work", db=str(tmp_path / "none.db"))
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        r = c.get("/register")
        assert r.status_code == 400
        assert "procure register init" in alert(r.text)
        assert str(tmp_path / "work") not in r.text
