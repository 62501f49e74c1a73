"""The browser app through Starlette's TestClient: every route, without a browser.

The flows run on the example files and are compared with the library (the same ranking as
``procure check``); security checks: CSRF, upload limit, opaque file ids, escaping, one-line
errors.
"""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from procure.answers.evaluation import check_answers
from procure.tender.spec import load_spec
from procure.web import WebConfig, create_app
from procure.web.store import FileStore, safe_name

from .conftest import EXAMPLES

ANSWERS = sorted((EXAMPLES / "answers").iterdir())


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(WebConfig(workdir=tmp_path / "work", max_upload_mb=1)),
                    raise_server_exceptions=False) as c:
        c.get("/")
        yield c


def token(client: TestClient) -> str:
    return client.cookies.get("procure_csrf")


def paragraphs(page: str) -> list[str]:
    return re.findall(r"<p>(.*?)</p>", page, flags=re.S)


def error_text(page: str) -> str:
    """The one line an error page shows."""
    block = re.search(r'<div class="error" role="alert">(.*?)</div>', page, flags=re.S)
    assert block, page[-800:]
    return html.unescape(paragraphs(block.group(1))[0])


def new_procurement(client: TestClient, level: str = "avancerad") -> str:
    r = client.post("/procurement/create", data={
        "csrf": token(client), "title": "Skolskjuts 2027", "category": "transport.school",
        "level": level}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def fill_open_values(client: TestClient, page: str, value: str = "10") -> None:
    """Set every buyer value the procurement leaves open (as an officer fills the form)."""
    html_text = client.get(page).text
    form = {"csrf": token(client), "title": "Skolskjuts 2027",
            "keep": re.findall(r'name="keep" value="([^"]+)" checked', html_text)}
    form |= dict.fromkeys(re.findall(r'name="(param:[^"]+)" value=""', html_text), value)
    r = client.post(page, data=form, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert 'id="open-values"' not in r.text


def upload_answers(client: TestClient, **headers: str):
    files = [("answers", (p.name, p.read_bytes())) for p in ANSWERS]
    files.append(("spec", ("spec.yaml", (EXAMPLES / "spec.yaml").read_bytes())))
    return client.post("/answers", data={"csrf": token(client)}, files=files, headers=headers,
                       follow_redirects=True)


# --- pages and language ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/library", "/library/TRN-FUEL-01", "/procurement/new", "/accessibility",
                                 "/answers", "/spend"])
def test_every_page_is_swedish_by_default_with_one_live_region(client, url):
    r = client.get(url)
    assert r.status_code == 200
    assert '<html lang="sv">' in r.text
    assert r.text.count('aria-live="polite"') == 1
    assert 'href="?lang=en"' in r.text
    assert "cdn" not in r.text.replace(token(client), "").lower()  # the random token may hold it


def test_lang_switch_is_remembered_in_a_cookie(client):
    assert "Criteria library" in client.get("/library?lang=en").text
    r = client.get("/spend")
    assert '<html lang="en">' in r.text
    assert "Spend per category" in r.text
    assert '<html lang="sv">' in client.get("/spend?lang=sv").text


def test_library_filters_by_kind_level_and_words(client):
    every = client.get("/library").text
    award = client.get("/library?kind=award&level=bas").text
    n = lambda html: int(re.search(r"(\d+) kriterier</h2>", html).group(1))  # noqa: E731
    assert 0 < n(award) < n(every)
    assert "TRN-FUEL-01" in client.get("/library?q=TRN-FUEL").text
    assert "Inga kriterier passar urvalet" in client.get("/library?q=ordsomintefinns").text


def test_library_answers_htmx_with_the_results_only(client):
    r = client.get("/library?q=fordon", headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text
    assert "kriterier</h2>" in r.text


def test_library_search_text_is_escaped(client):
    r = client.get("/library", params={"q": '"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in r.text
    assert "&lt;script&gt;" in r.text


def test_criterion_page_shows_levels_verification_follow_up_sources_version(client):
    r = client.get("/library/TRN-FUEL-01")
    text = r.text
    assert "TRN-FUEL-01:" in text  # the id with its version
    for heading in ("Kravtext per nivå", "Verifiering", "Uppföljning", "Källor"):
        assert heading in text
    assert text.count('class="level"') >= 2
    values = text.split("Värden i kravet</h2>", 1)[1].split("</table>", 1)[0]
    assert "Bas: 50" in values  # each level's threshold ...
    assert "10699:2" in values  # ... with where it comes from
    assert "Beställaren anger" in client.get("/library/GEN-VITE-01").text


def test_unknown_criterion_is_one_line_without_traceback(client):
    r = client.get("/library/NOPE-01")
    assert r.status_code == 400
    assert "okänt kriterie-id 'NOPE-01'" in error_text(r.text)
    assert "Traceback" not in r.text


def test_unknown_page_is_404_in_the_users_language(client):
    r = client.get("/nowhere?lang=en")
    assert r.status_code == 404
    assert error_text(r.text) == "There is no such page."


# --- new procurement ------------------------------------------------------------------------

def test_propose_shows_the_matchers_category_and_reason(client):
    data = {"csrf": token(client), "title": "Upphandling av skolskjuts 2027", "cpv": ""}
    r = client.post("/procurement/propose", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "<html" not in r.text
    first = re.search(r'name="category" value="([^"]+)" checked', r.text).group(1)
    assert first == "transport.school"
    assert "skolskjuts" in r.text.split("Varför", 1)[1]
    full = client.post("/procurement/propose", data=data)  # without JavaScript: the whole page
    assert "<html" in full.text
    assert 'value="transport.school" checked' in full.text


def test_propose_needs_a_title(client):
    r = client.post("/procurement/propose", data={"csrf": token(client), "title": " "})
    assert r.status_code == 400
    assert error_text(r.text) == "Skriv upphandlingens rubrik."


def test_open_buyer_values_allow_only_a_draft_annex(client):
    page = new_procurement(client)
    html_text = client.get(page).text
    assert 'id="open-values"' in html_text
    assert "/annex-draft.pdf" in html_text
    assert "/template.xlsx" not in html_text
    r = client.get(page + "/annex.pdf")
    assert r.status_code == 400
    assert "beställarparametern" in error_text(r.text)
    assert error_text(r.text).startswith("spec.yaml: ")  # the file, not the app's folder
    draft = client.get(page + "/annex-draft.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(draft.content)).pages)
    assert "UTKAST" in text


def test_create_then_download_a_valid_annex_template_and_spec(client):
    page = new_procurement(client)
    assert "Skolskjuts 2027" in client.get(page).text
    fill_open_values(client, page)
    pdf = client.get(page + "/annex.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="kravbilaga-skolskjuts-2027.pdf"' in pdf.headers["content-disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Skolskjuts 2027" in text
    xlsx = client.get(page + "/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert any("TRN-FUEL" in str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    spec = client.get(page + "/spec.yaml")
    assert "category: transport.school" in spec.text
    assert "level: avancerad" in spec.text


def test_removing_adding_and_setting_a_value_is_saved_in_the_spec(client):
    page = new_procurement(client)
    html = client.get(page).text
    kept = re.findall(r'name="keep" value="([^"]+)" checked', html)
    assert "TRN-FUEL-01" in kept
    param = re.search(r'name="(param:TRN-FUEL-01:[^"]+)" value="([^"]*)"', html)
    assert param
    form = {"csrf": token(client), "title": "Skolskjuts 2027", "level": "avancerad",
            "keep": [k for k in kept if k != "GEN-SBT-01"], "add": "FOOD-ORG-01",
            param.group(1): "95", "param:GEN-REPORT-01:report_days": "45"}
    r = client.post(page, data=form, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "Ändringarna är sparade" in r.text
    spec = client.get(page + "/spec.yaml").text
    assert "- GEN-SBT-01" in spec.split("remove:", 1)[1]
    assert "- FOOD-ORG-01" in spec.split("add:", 1)[1]
    assert ": 95" in spec.split("params:", 1)[1]
    assert "report_days: 45" in spec  # a buyer value set


def test_a_value_that_cannot_be_read_is_one_line(client):
    page = new_procurement(client)
    html = client.get(page).text
    kept = re.findall(r'name="keep" value="([^"]+)" checked', html)
    name = re.search(r'name="(param:TRN-FUEL-01:[^"]+)"', html).group(1)
    r = client.post(page, data={"csrf": token(client), "keep": kept, name: "mycket"})
    assert r.status_code == 400
    assert "TRN-FUEL-01" in error_text(r.text)


def test_upload_a_spec_to_continue_and_its_set_path_is_ignored(client):
    text = (EXAMPLES / "spec.yaml").read_text(encoding="utf-8")
    text += "criteria_set_path: /etc\n"
    r = client.post("/procurement/upload", data={"csrf": token(client)},
                    files={"spec": ("../../evil.yaml", text.encode())}, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "Skolskjuts" in r.text
    assert "/etc" not in client.get(str(r.url) + "/spec.yaml").text


def test_a_broken_spec_upload_is_one_line_naming_the_file_not_the_folder(client, tmp_path):
    r = client.post("/procurement/upload", data={"csrf": token(client)},
                    files={"spec": ("min spec.yaml", b"title: [unclosed\n")})
    assert r.status_code == 400
    line = error_text(r.text)
    assert line.startswith("min spec.yaml")
    assert str(tmp_path) not in r.text


# --- check answers --------------------------------------------------------------------------

def test_five_example_answers_rank_as_procure_check(client):
    r = upload_answers(client)
    assert r.status_code == 200, r.text
    assert re.search(r"/answers/[\w-]+$", str(r.url))
    shown = re.findall(r'<th scope="row"><a href="#sup-\d+">([^<]+)</a>', r.text)
    expected = check_answers(load_spec(EXAMPLES / "spec.yaml"), ANSWERS).suppliers
    assert shown == [s.replace("&", "&amp;") for s in expected["supplier"]]
    ranks = re.findall(r"<tr>\s*<td>([\d–]+)</td>", r.text)
    assert ranks == [str(int(x)) if x == x and x is not None else "–"
                     for x in expected["rank"].astype("float")]
    assert "Svar!E" in r.text  # a finding names its cell


def test_check_with_htmx_returns_the_result_and_its_address(client):
    r = upload_answers(client, **{"HX-Request": "true"})
    assert "<html" not in r.text
    assert r.headers["HX-Push-Url"].startswith("/answers/")


def test_evaluation_downloads_are_a_valid_workbook_and_pdf(client):
    page = str(upload_answers(client).url)
    book = openpyxl.load_workbook(io.BytesIO(client.get(page + "/evaluation.xlsx").content))
    assert len(book.sheetnames) >= 2
    pdf = PdfReader(io.BytesIO(client.get(page + "/evaluation.pdf").content))
    assert "Norrlandsbuss" in "".join(p.extract_text() for p in pdf.pages)


def test_check_from_a_procurement_uses_its_spec(client):
    r = client.post("/procurement/upload", data={"csrf": token(client)},
                    files={"spec": ("spec.yaml", (EXAMPLES / "spec.yaml").read_bytes())},
                    follow_redirects=False)
    job = r.headers["location"].rsplit("/", 1)[1]
    assert "Upphandling av skolskjuts" in client.get("/answers?procurement=" + job).text
    files = [("answers", (ANSWERS[0].name, ANSWERS[0].read_bytes()))]
    r = client.post("/answers", data={"csrf": token(client), "procurement": job}, files=files)
    assert r.status_code == 200, r.text
    assert "Norrlandsbuss AB" in r.text
    other = new_procurement(client, level="bas")  # another procurement: another template id
    fill_open_values(client, other)
    other = other.rsplit("/", 1)[1]
    r = client.post("/answers", data={"csrf": token(client), "procurement": other}, files=files)
    assert r.status_code == 400
    assert error_text(r.text).startswith("01-norrlandsbuss.xlsx")
    r = client.post("/answers", data={"csrf": token(client), "procurement": other,
                                      "ignore_fingerprint": "1"}, files=files,
                    follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "01-norrlandsbuss.xlsx" in r.text.split("Anmärkningar vid inläsningen", 1)[1]
    assert "Norrlandsbuss AB" in client.get(str(r.url)).text  # the choice is kept on reload


def test_supplier_names_are_escaped(client):
    csv = (b"supplier;criterion_id;answer;evidence\n"
           b"<script>alert(1)</script>;TRN-FUEL-01;80;Bilaga 1\n")
    files = [("answers", ("export.csv", csv)),
             ("spec", ("spec.yaml", (EXAMPLES / "spec.yaml").read_bytes()))]
    r = client.post("/answers", data={"csrf": token(client)}, files=files,
                    follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "<script>alert(1)" not in r.text
    assert "&lt;script&gt;alert(1)" in r.text


def test_check_needs_answer_files_of_a_known_kind(client):
    files = [("answers", ("svar.txt", b"x")),
             ("spec", ("spec.yaml", (EXAMPLES / "spec.yaml").read_bytes()))]
    r = client.post("/answers", data={"csrf": token(client)}, files=files)
    assert r.status_code == 400
    assert "svar.txt" in error_text(r.text)


# --- spend ----------------------------------------------------------------------------------

def test_spend_upload_guesses_columns_then_shows_spend_and_unmatched_rows(client):
    r = client.post("/spend", data={"csrf": token(client)},
                    files={"ledger": ("spend.csv", (EXAMPLES / "spend.csv").read_bytes())},
                    follow_redirects=True)
    assert r.status_code == 200
    page = str(r.url)
    assert re.findall(r'name="text_columns" value="([^"]+)" checked', r.text) == [
        "Leverantör", "Kontotext", "Fakturatext"]
    assert re.search(r'<option value="Belopp" selected>', r.text)
    r = client.post(page, data={"csrf": token(client),
                                "text_columns": ["Leverantör", "Kontotext", "Fakturatext"],
                                "amount_column": "Belopp"}, follow_redirects=True)
    assert r.status_code == 200, r.text
    assert "<svg" in r.text
    assert "Juridisk rådgivning" in r.text  # an unmatched row
    assert "Rader utan matchning (5)" in r.text
    matched = client.get(page + "/matched.csv")
    assert "category_id" in matched.content.decode("utf-8-sig").splitlines()[0]
    again = client.post(page, data={"csrf": token(client), "text_columns": ["Fakturatext"]},
                        follow_redirects=True)  # other columns: matched again, no amounts
    assert again.status_code == 200, again.text
    assert "<svg" not in again.text
    assert 'name="text_columns" value="Fakturatext" checked' in again.text


def test_spend_needs_a_text_column(client):
    r = client.post("/spend", data={"csrf": token(client)},
                    files={"ledger": ("spend.csv", (EXAMPLES / "spend.csv").read_bytes())},
                    follow_redirects=True)
    r = client.post(str(r.url), data={"csrf": token(client)})
    assert r.status_code == 400
    assert error_text(r.text) == "Välj minst en kolumn med text att matcha."


# --- security -------------------------------------------------------------------------------

def test_a_form_without_the_csrf_token_is_refused(client):
    r = client.post("/procurement/propose", data={"title": "Skolskjuts"})
    assert r.status_code == 403
    r = client.post("/procurement/propose", data={"title": "Skolskjuts", "csrf": "forged"})
    assert r.status_code == 403


def test_the_htmx_header_carries_the_token_too(client):
    r = client.post("/procurement/propose", data={"title": "Skolskjuts"},
                    headers={"X-CSRF-Token": token(client), "HX-Request": "true"})
    assert r.status_code == 200


def test_an_upload_over_the_limit_is_refused(client):
    big = b"a;b\n" + b"x;1\n" * 300_000  # 1.2 MB, the fixture's limit is 1 MB
    r = client.post("/spend", data={"csrf": token(client)}, files={"ledger": ("big.csv", big)})
    assert r.status_code == 413
    assert "högst 1 MB" in error_text(r.text)


def test_files_are_reached_only_by_opaque_id(client, tmp_path):
    page = new_procurement(client)
    for url in (page + "/..%2f..%2fetc%2fpasswd", "/procurement/short/spec.yaml",
                "/spend/" + "A" * 20 + "/matched.csv", page + "/other.pdf"):
        r = client.get(url)
        assert r.status_code in (400, 404), url
        assert "root:" not in r.text


def test_safe_name_keeps_no_folder():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\Svar (1).xlsx") == "Svar 1.xlsx"
    assert safe_name("..") == "fil"


def test_store_cleans_its_folder_from_messages(tmp_path):
    store = FileStore(tmp_path)
    job = store.new()
    assert store.clean(f"{tmp_path}/{job}/svar.xlsx: rad 3") == "svar.xlsx: rad 3"
    assert store.clean(f"{tmp_path}/{job}/answers/svar.xlsx") == "svar.xlsx"


def test_a_bug_shows_one_line_not_a_traceback(client, monkeypatch):
    import procure.web.routes_library as routes_library

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes_library, "browse", broken)
    r = client.get("/library")
    assert r.status_code == 500
    assert "Något gick fel" in error_text(r.text)
    assert "secret internals" not in r.text
    assert "Traceback" not in r.text


def test_store_prunes_folders_untouched_for_a_day(tmp_path):
    import os
    import time

    store = FileStore(tmp_path, keep_hours=24)
    old, fresh = store.new(), store.new()
    (store.folder(old) / "svar.xlsx").write_bytes(b"x")
    day_ago = time.time() - 25 * 3600
    for path in (store.folder(old), store.folder(old) / "svar.xlsx"):
        os.utime(path, (day_ago, day_ago))
    assert store.prune() == 1
    assert not (tmp_path / old).exists()
    assert (tmp_path / fresh).is_dir()
