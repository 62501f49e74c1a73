"""The browser app in a real browser: Debian's Chromium driven by Playwright against uvicorn.

Each flow runs on the example files: a new procurement with its PDF and XLSX downloads, the five
example answers ranked as ``procure check`` ranks them, the example ledger. axe-core checks every
page for WCAG 2.1 A/AA violations, and every page is screenshotted at 1280 and 390 px wide into
``build/screenshots/`` (ignored by git) for a person to look at.

Skipped with a reason when /usr/bin/chromium is absent; CI sets ``PROCURE_REQUIRE_BROWSER=1``,
which turns that skip into a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from procure.answers.evaluation import check_answers
from procure.tender.spec import load_spec

from .conftest import EXAMPLES, ROOT
from .webkit import example_group_register

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "build" / "screenshots"
WIDTHS = (1280, 390)
ANSWERS = sorted((EXAMPLES / "answers").iterdir())
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(app) -> Iterator[str]:
    """A uvicorn server with ``app``, in a thread, on a free port; its address."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    from procure.web import WebConfig, create_app

    yield from _serve(create_app(WebConfig(workdir=tmp_path_factory.mktemp("web"))))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
        if os.environ.get("PROCURE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PROCURE_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=sv-SE"])
        yield browser
        browser.close()


@pytest.fixture
def expected_errors() -> list[str]:
    """Console lines a test expects (an error page answers 400, which Chromium logs)."""
    return []


@pytest.fixture
def page(browser, base_url, expected_errors):
    context = browser.new_context(base_url=base_url, accept_downloads=True, locale="sv-SE",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    unexpected = [e for e in errors if not any(x in e for x in expected_errors)]
    assert unexpected == [], unexpected  # no script errors, no CSP refusals


def check_page(page, name: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation; screenshots at both widths."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def wait_for_htmx(page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def focus_on(page, selector: str) -> None:
    """Wait until focus has moved to the element (app.js moves it after htmx settles)."""
    page.wait_for_function(f"() => document.activeElement === document.querySelector('{selector}')",
                           timeout=5000)


def test_start_and_library_pages(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Klimatkrav i upphandling"
    check_page(page, "start")
    page.goto("/library")
    page.fill("#q", "drivmedel")
    page.wait_for_url("**/library?q=drivmedel*")
    wait_for_htmx(page)
    assert page.evaluate("document.activeElement.id") == "q"  # typing is not interrupted
    page.wait_for_function("() => document.getElementById('live').textContent.includes('kriterier')")
    page.click("#library-form button[type=submit]")
    wait_for_htmx(page)
    focus_on(page, "#result h2")  # after a button press: focus on the new count
    assert page.locator("#result tbody tr").count() >= 1
    assert page.locator("#result").inner_text().lower().count("drivmedel") >= 1
    check_page(page, "library")
    page.locator("#result tbody a").first.click()
    page.wait_for_url("**/library/*")
    assert page.locator("h2", has_text="Kravtext per nivå").count() == 1
    check_page(page, "criterion")


def test_english_switch(page):
    page.goto("/library")
    page.click("text=English")
    assert page.locator("h1").inner_text() == "Criteria library"
    page.goto("/answers")
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page, "answers-en")
    page.click("text=Accessibility")
    assert page.locator("h1").inner_text() == "Accessibility"
    check_page(page, "accessibility-en")


def test_new_procurement_downloads_a_valid_pdf_and_xlsx(page, tmp_path):
    page.goto("/procurement/new")
    check_page(page, "procurement-new")
    page.fill("#title", "Skolskjuts 2027–2031")
    page.click("text=Föreslå kategori")
    page.wait_for_selector("#result form")
    focus_on(page, "#result h2")  # focus moved to the proposals
    page.wait_for_function("() => document.getElementById('live').textContent !== ''")
    assert page.locator("input[name=category]:checked").get_attribute("value") == \
        "transport.school"
    check_page(page, "procurement-propose")
    page.check("#level-avancerad")
    page.click("text=Skapa upphandlingen")
    page.wait_for_url("**/procurement/*")
    assert page.locator("h1").inner_text() == "Skolskjuts 2027–2031"
    assert page.locator("#open-values").count() == 1  # values only the buyer can set
    check_page(page, "procurement")
    page.uncheck("#keep-GEN-SBT-01")
    empty = page.locator("input[name^='param:'][value='']")
    for n in range(empty.count()):
        empty.nth(n).fill("10")
    page.click("text=Spara ändringarna")
    page.wait_for_selector(".ok")
    assert not page.locator("#keep-GEN-SBT-01").is_checked()
    assert page.locator("#open-values").count() == 0
    with page.expect_download() as pdf_download:
        page.click("text=Kravbilaga (PDF)")
    pdf_path = tmp_path / "annex.pdf"
    pdf_download.value.save_as(pdf_path)
    text = "".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "Skolskjuts 2027–2031" in text
    with page.expect_download() as xlsx_download:
        page.click("text=Svarsmall (Excel)")
    xlsx_path = tmp_path / "template.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    book = openpyxl.load_workbook(xlsx_path)
    cells = {str(c.value) for ws in book for row in ws.iter_rows() for c in row}
    assert any("TRN-FUEL-01" in c for c in cells)
    assert not any("GEN-SBT-01" in c for c in cells)


def test_check_the_five_example_answers_ranks_as_procure_check(page, tmp_path):
    page.goto("/answers")
    check_page(page, "answers")
    page.set_input_files("#spec", str(EXAMPLES / "spec.yaml"))
    page.set_input_files("#answers", [str(p) for p in ANSWERS])
    page.click("button:has-text('Granska')")
    page.wait_for_selector("#eval-heading")
    wait_for_htmx(page)
    focus_on(page, "#eval-heading")
    assert "/answers/" in page.url
    rows = page.locator("#result table").first.locator("tbody tr")
    shown = [(rows.nth(i).locator("td").first.inner_text(),
              rows.nth(i).locator("th").inner_text()) for i in range(rows.count())]
    expected = check_answers(load_spec(EXAMPLES / "spec.yaml"), ANSWERS).suppliers
    assert shown == [("–" if r != r or r is None else str(int(r)), s)
                     for s, r in zip(expected["supplier"], expected["rank"].astype("float"))]
    check_page(page, "answers-result")
    with page.expect_download() as pdf_download:
        page.click("text=Utvärderingsprotokoll (PDF)")
    pdf_path = tmp_path / "record.pdf"
    pdf_download.value.save_as(pdf_path)
    assert "Norrlandsbuss" in "".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    page.reload()  # the result has its own address and reads without JavaScript state
    assert page.locator("#eval-heading").count() == 1


def test_spend_of_the_example_ledger(page):
    page.goto("/spend")
    check_page(page, "spend")
    page.set_input_files("#ledger", str(EXAMPLES / "spend.csv"))
    page.click("button:has-text('Ladda upp')")
    page.wait_for_url("**/spend/*")
    assert page.locator("input[name=text_columns]:checked").count() == 3
    page.click("button:has-text('Matcha')")
    page.wait_for_selector("#spend-heading")
    wait_for_htmx(page)
    assert page.locator("svg.chart rect").count() >= 2
    assert "Juridisk rådgivning" in page.locator("#result").inner_text()
    check_page(page, "spend-result")


def test_error_is_one_line_and_announced(page, expected_errors):
    expected_errors.append("status of 400 (Bad Request)")
    page.goto("/procurement/new")
    page.fill("#title", "Juridiska konsulttjänster")
    page.click("text=Föreslå kategori")
    page.wait_for_selector("#result form")
    assert page.locator("#cat-other").is_checked()  # no category fits: the list, not a guess
    page.goto("/library/NOPE-1")
    assert page.locator("[role=alert] p").inner_text().startswith("okänt kriterie-id")
    check_page(page, "error")


def test_pages_read_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/answers")
    page.set_input_files("#spec", str(EXAMPLES / "spec.yaml"))
    page.set_input_files("#answers", [str(p) for p in ANSWERS])
    page.click("button:has-text('Granska')")
    page.wait_for_url("**/answers/*")
    assert page.locator("#eval-heading").count() == 1
    page.goto("/library?kind=award")
    assert page.locator("#result tbody tr").count() >= 1
    context.close()


@pytest.fixture(scope="module")
def register_url(tmp_path_factory, library) -> Iterator[str]:
    """A second server, with the example municipal group's register."""
    from procure.web import WebConfig, create_app

    path = example_group_register(tmp_path_factory.mktemp("register") / "register.db", library)
    yield from _serve(create_app(WebConfig(workdir=tmp_path_factory.mktemp("web-register"),
                                           db=path)))


def test_register_follow_up_and_report_pages(browser, register_url, tmp_path):
    context = browser.new_context(base_url=register_url, accept_downloads=True, locale="sv-SE",
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/register")
    assert "150 upphandlingar" in page.locator("h2").first.inner_text()
    check_page(page, "register")
    page.locator("tbody th a").first.click()
    page.wait_for_url("**/register/show*")
    check_page(page, "register-show")
    page.fill("#who", "Anna Andersson")
    page.fill("#evidence", "Drivmedelsrapport 2026")
    page.click("#record button[type=submit]")
    page.wait_for_selector(".ok")
    page.goto("/followup?within=90")
    assert page.locator("h2").first.inner_text().startswith("Försenad")
    check_page(page, "followup")
    page.goto("/report")
    check_page(page, "report")
    with page.expect_download() as download:
        page.click("button:has-text('Ladda ner rapporten')")
    target = tmp_path / "report.pdf"
    download.value.save_as(target)
    assert len(PdfReader(target).pages) >= 2
    context.close()


def register_page(browser, register_url, **options):
    context = browser.new_context(base_url=register_url, accept_downloads=True, locale="sv-SE",
                                  viewport={"width": 1280, "height": 900}, **options)
    return context, context.new_page()


def test_record_a_deviation_then_close_its_action(browser, register_url):
    context, page = register_page(browser, register_url)
    page.goto("/register/show?ref=BUF%202024/0157")
    assert page.locator("#deviations ~ .table-wrap tbody tr").count() >= 1  # the example's
    page.select_option("#dev-criterion", "FOOD-CLIM-03")
    page.fill("#dev-category", "fel drivmedel")
    page.fill("#dev-description", "fossil diesel i stället för HVO100 i två bilar")
    page.fill("#dev-events", "2")
    page.fill("#dev-from", "2026-09-01")
    page.fill("#dev-to", "2026-10-31")
    page.fill("#dev-sanction-agreed", "vite 5 000 kr per fordon och månad")
    page.fill("#dev-sanction", "20 000")
    page.fill("#dev-action", "Byte till HVO100 i hela fordonsparken")
    page.fill("#dev-due", (dt.date.today() - dt.timedelta(days=7)).isoformat())
    page.fill("#dev-who", "Anna Andersson")
    page.click("#deviation button[type=submit]")
    page.wait_for_selector(".ok")
    notice = page.locator(".ok").inner_text()
    fid = notice.split()[1]
    assert notice == f"Avvikelse {fid} är registrerad."
    row = page.locator(f"#deviation-{fid}")
    assert "20 000 kr" in row.inner_text().replace("\xa0", " ")
    assert "försenad" in row.inner_text()
    check_page(page, "register-deviation")
    page.goto("/followup?within=90")  # the open action is due, and leads to its deviation
    actions = page.locator("#state-action_overdue + .table-wrap tbody tr")
    assert [actions.nth(n).locator("td").last.inner_text() for n in range(actions.count())] == [
        f"Avvikelse {fid}: Byte till HVO100 i hela fordonsparken"]
    check_page(page, "followup-actions")
    actions.first.locator("a").click()
    page.wait_for_url(f"**/register/show*#deviation-{fid}")
    form = page.locator(f"#resolve-{fid}")
    form.locator("input[value=done]").check()
    form.locator("input[name=sanction_imposed]").fill("10 000")
    form.locator("textarea[name=note]").fill("HVO100 i alla bilar sedan november")
    form.locator("input[name=who]").fill("Bo Berg")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"text=Åtgärden för avvikelse {fid} är avslutad: genomförd.")
    assert "genomförd" in page.locator(f"#deviation-{fid}").inner_text()
    assert page.locator(f"#resolve-{fid}").count() == 0
    check_page(page, "register-resolved")
    page.goto("/followup?within=90")
    assert page.locator("#state-action_overdue").count() == 0
    page.goto("/register/show?ref=BUF%202024/0157&lang=en")
    assert page.locator("#deviation h2").inner_text() == "Record a deviation"
    check_page(page, "register-deviation-en")
    context.close()


def test_store_the_matched_ledger_in_the_register(browser, register_url):
    context, page = register_page(browser, register_url)
    ledger = EXAMPLES / "register" / "reskontra-2026.csv"
    page.goto("/spend")
    page.set_input_files("#ledger", str(ledger))
    page.click("button:has-text('Ladda upp')")
    page.wait_for_url("**/spend/*")
    page.click("button:has-text('Matcha')")
    page.wait_for_selector("#store-heading")
    wait_for_htmx(page)
    page.fill("#store-year", "2026")
    page.fill("#store-who", "Anna Andersson")
    page.click("button:has-text('Spara i registret')")
    page.wait_for_selector("#stored [role=alert]")  # the example group has this file already
    wait_for_htmx(page)
    assert "kryssa i ”Ersätt”" in page.locator("#stored [role=alert]").inner_text()
    assert page.locator("#spend-heading").count() == 1  # the result is still there
    check_page(page, "spend-store-error")
    page.check("#store-replace")
    page.click("button:has-text('Spara i registret')")
    page.wait_for_selector("#stored .ok")
    wait_for_htmx(page)
    focus_on(page, "#stored h4")
    assert "120 utgiftsrader för 2026" in page.locator("#stored").inner_text()
    check_page(page, "spend-stored")
    page.reload()  # what was stored has the page's address
    assert page.locator("#stored .ok").count() == 1
    context.close()


def test_register_forms_work_without_javascript(browser, register_url):
    context, page = register_page(browser, register_url, java_script_enabled=False)
    page.goto("/spend")
    page.set_input_files("#ledger", str(EXAMPLES / "register" / "reskontra-2025.csv"))
    page.click("button:has-text('Ladda upp')")
    page.wait_for_url("**/spend/*")
    page.click("button:has-text('Matcha')")
    page.wait_for_selector("#store-heading")
    page.fill("#store-year", "2025")
    page.fill("#store-who", "Anna Andersson")
    page.check("#store-replace")
    page.click("button:has-text('Spara i registret')")
    page.wait_for_url("**/spend/*#stored")
    assert "120 utgiftsrader för 2025" in page.locator("#stored").inner_text()
    page.goto("/register/show?ref=BUF%202024/0157")
    page.fill("#dev-category", "rapport saknas")
    page.fill("#dev-who", "Anna Andersson")
    page.click("#deviation button[type=submit]")
    page.wait_for_url("**/register/show*#deviations")
    assert "är registrerad" in page.locator(".ok").inner_text()
    context.close()
