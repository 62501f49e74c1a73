"""``procure register import``: all rows or none, every rejected row named (both databases),
and the reliability cases: two importers at once, a process killed in the middle."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procure.cli import main
from procure.register import db, importer
from procure.register.errors import ImportRowError

from .conftest import ROOT, assert_one_line_error

HEADER = ("Diarienummer;Benämning;Förvaltning;Kategori;Avtalsvärde;Startdatum;Slutdatum;"
          "Klimatkrav;Nivå;Leverantör;Organisationsnummer;Kriterier\n")
GOOD = [
    "KS 2024/1;Skolskjuts norra;Barn- och utbildningsförvaltningen;transport.school;12 500 000;"
    "2024-07-01;2028-06-30;Ja;bas;Buss AB;556123-4567;TRN-FUEL-01",
    "KS 2024/2;Städtjänster skolor;Servicenämnden;Städning;3 400 000,50;2024-01-01;2026-12-31;"
    "ja;avancerad;Städ AB;5561234568;",
    "KS 2024/3;Kontorsmaterial;Kommunstyrelsen;;450 tkr;2024-03-01;2025-02-28;nej;;;;",
]


def write(path, rows, header=HEADER):
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def count(url: str, table: str = "procurements") -> int:
    engine = sa.create_engine(db.database_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"select count(*) from {table}")).scalar()
    finally:
        engine.dispose()


@pytest.fixture
def reg(db_url):
    register, _, _ = db.init(db_url)
    yield register
    register.close()


def test_import_swedish_headers(reg, library, tmp_path):
    done = importer.import_register(reg, write(tmp_path / "avtal.csv", GOOD), library, who="t")
    assert done.written
    assert sorted(done.added) == ["KS 2024/1", "KS 2024/2", "KS 2024/3"]
    assert done.checkpoints == 11  # TRN-FUEL-01 over four years, tier 1: every 4 months
    assert [(f.reference, f.category, f.confidence) for f in done.flagged] == \
        [("KS 2024/2", "cleaning.services", "medium")]
    with reg.read() as conn:
        rows = {r.reference: r for r in conn.execute(sa.text(
            "select reference, category, estimated_value_sek, has_climate_criteria, level "
            "from procurements"))}
        assert rows["KS 2024/2"].estimated_value_sek == 3400000.5
        assert rows["KS 2024/3"].estimated_value_sek == 450000
        assert rows["KS 2024/1"].category == "transport.school"
        assert not rows["KS 2024/3"].has_climate_criteria
        org = conn.execute(sa.text("select supplier_org_number from contracts where supplier"
                                   " = 'Städ AB'")).scalar()
        assert org == "556123-4568"


@pytest.mark.parametrize(("row", "reason"), [
    ("KS 9;T;O;transport.school;-5;2024-01-01;2025-01-01;nej;;;;", "value '-5' is negative"),
    ("KS 9;T;O;transport.school;tolv;2024-01-01;2025-01-01;nej;;;;", "'tolv' is not an amount"),
    ("KS 9;T;O;transport.school;5;2024-02-30;2025-01-01;nej;;;;", "'2024-02-30' is not a date"),
    ("KS 9;T;O;transport.school;5;1/2/2024;2025-01-01;nej;;;;", "'1/2/2024' is not a date"),
    ("KS 9;T;O;transport.school;5;2025-01-01;2024-01-01;nej;;;;", "ends (2024-01-01) before"),
    ("KS 9;T;O;transport.school;5;2024-01-01;2025-01-01;ja;bas;;;FOO-01",
     "unknown criterion id 'FOO-01'"),
    ("KS 9;T;O;transport.school;5;2024-01-01;2025-01-01;kanske;;;;", "'kanske' is not yes or no"),
    ("KS 9;T;O;transport.school;5;2024-01-01;2025-01-01;ja;;;;", "climate requirements but no"),
    ("KS 9;T;;transport.school;5;2024-01-01;2025-01-01;nej;;;;", "organisation is empty"),
    ("KS 2024/1;T;O;transport.school;5;2024-01-01;2025-01-01;nej;;;;",
     "reference 'KS 2024/1' again (first on row 2)"),
])
def test_one_bad_row_writes_nothing_and_is_named(reg, library, tmp_path, db_url, row, reason):
    path = write(tmp_path / "avtal.csv", [*GOOD, row])
    with pytest.raises(ImportRowError, match="row 5") as caught:
        importer.import_register(reg, path, library, who="t")
    assert reason in str(caught.value)
    assert count(db_url) == 0
    dry = importer.import_register(reg, path, library, who="t", dry_run=True)
    assert [(r.row, reason in str(r.reason)) for r in dry.rejected] == [(5, True)]
    assert len(dry.added) == 3


def test_duplicates_are_rejected_unless_update(reg, library, tmp_path, db_url):
    path = write(tmp_path / "avtal.csv", GOOD)
    importer.import_register(reg, path, library, who="t")
    with pytest.raises(ImportRowError, match=r"already has 'KS 2024/1'.*--update"):
        importer.import_register(reg, path, library, who="t")
    changed = write(tmp_path / "avtal2.csv", [GOOD[0].replace("12 500 000", "13 000 000")])
    done = importer.import_register(reg, changed, library, who="t", update=True)
    assert done.updated == ["KS 2024/1"]
    assert count(db_url) == 3
    assert count(db_url, "contracts") == 2
    with reg.read() as conn:
        assert conn.execute(sa.text("select estimated_value_sek from procurements where "
                                    "reference = 'KS 2024/1'")).scalar() == 13_000_000


def test_an_update_keeps_the_follow_up_recorded_on_the_contract(reg, library, tmp_path, db_url):
    """Updating a procurement from a new export must not lose what officers recorded: the
    contract keeps its id, its recorded checkpoints and deviations; only untouched checkpoints
    are planned anew (for the new period)."""
    import datetime as dt

    from procure.register import followup

    importer.import_register(reg, write(tmp_path / "avtal.csv", GOOD), library, who="t")
    first_due = followup.due(reg, dt.date(2030, 1, 1), within=0)
    assert first_due
    mid = followup.record(reg, "KS 2024/1", "TRN-FUEL-01", "notMet", who="anna",
                          on=dt.date(2024, 11, 1), evidence="rapport-okt.pdf", note="för lite HVO")
    fid = followup.deviation(reg, "KS 2024/1", "TRN-FUEL-01",
                             followup.Deviation("reporting", "ingen rapport"), who="anna")
    with reg.read() as conn:
        contract_id = conn.execute(sa.text("select id from contracts where supplier = 'Buss AB'")
                                   ).scalar()
    longer = GOOD[0].replace("12 500 000", "13 000 000").replace("2028-06-30", "2029-06-30")
    done = importer.import_register(reg, write(tmp_path / "avtal2.csv", [longer]), library,
                                    who="t", update=True)
    assert done.updated == ["KS 2024/1"]
    with reg.read() as conn:
        contract = conn.execute(sa.text("select id, value_sek, period_end from contracts where "
                                        "supplier = 'Buss AB'")).one()
        assert contract.id == contract_id
        assert contract.value_sek == 13_000_000
        assert str(contract.period_end) == "2029-06-30"
        kept = conn.execute(sa.text("select status, evidence_ref, note, recorded_by from "
                                    f"milestones where id = {mid}")).one()
        assert tuple(kept) == ("notMet", "rapport-okt.pdf", "för lite HVO", "anna")
        assert conn.execute(sa.text("select contract_id from performance_failures where id = "
                                    f"{fid}")).scalar() == contract_id
        dues = [r.due_date for r in conn.execute(sa.text(
            f"select due_date from milestones where contract_id = {contract_id} "
            "order by due_date"))]
        assert len(dues) == len(set(dues))  # the recorded one is not planned a second time
        assert str(max(dues)) > "2028-06-30"  # the new period is planned
    assert count(db_url, "contracts") == 2
    # the contract's criteria change: TRN-FUEL-01 goes, GEN-REPORT-01 comes; what was recorded
    # on TRN-FUEL-01 stays in the history of the contract
    other = longer.replace(";TRN-FUEL-01", ";GEN-REPORT-01")
    importer.import_register(reg, write(tmp_path / "avtal3.csv", [other]), library, who="t",
                             update=True)
    with reg.read() as conn:
        held = [r.criterion_id for r in conn.execute(sa.text(
            f"select criterion_id from contract_criteria where contract_id = {contract_id}"))]
        assert held == ["GEN-REPORT-01"]
        planned = {r.criterion_id for r in conn.execute(sa.text(
            f"select criterion_id from milestones where contract_id = {contract_id} "
            "and status = 'scheduled'"))}
        assert planned == {"GEN-REPORT-01"}
        assert conn.execute(sa.text(f"select status from milestones where id = {mid}")
                            ).scalar() == "notMet"


def test_english_headers_and_xlsx(reg, library, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["reference", "title", "organisation", "category", "value_sek", "start", "end",
                  "climate_criteria", "level"])
    import datetime as dt

    sheet.append(["R-1", "School meals", "Kostenheten", "food", 2500000, dt.date(2025, 1, 1),
                  dt.date(2027, 12, 31), "yes", "avancerad"])
    book.save(tmp_path / "contracts.xlsx")
    done = importer.import_register(reg, tmp_path / "contracts.xlsx", library, who="t")
    assert done.added == ["R-1"]
    with reg.read() as conn:
        row = conn.execute(sa.text("select started, estimated_value_sek from procurements")
                           ).one()
    assert str(row.started) == "2025-01-01"
    assert row.estimated_value_sek == 2_500_000


def test_missing_columns_are_listed(reg, library, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Diarienummer;Benämning\nKS 1;X\n", encoding="utf-8")
    with pytest.raises(Exception, match="organisation, category, value_sek"):
        importer.import_register(reg, path, library, who="t")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=";\n\r\"")
               , max_size=12))
def test_any_value_text_is_stored_right_or_rejected(tmp_path_factory, value):
    """Whatever is typed as the value: stored as the amount our parser reads, or the row is
    rejected; never a crash, never a silent guess."""
    from procure.criteria import load_criteria_set
    from procure.io.numbers import parse_amount

    library = load_criteria_set()
    folder = tmp_path_factory.mktemp("h")
    reg, _, _ = db.init(folder / "r.db")
    try:
        path = write(folder / "a.csv", [f"KS 1;T;O;transport.school;{value};2024-01-01;"
                                        "2025-01-01;nej;;;;"])
        dry = importer.import_register(reg, path, library, who="t", dry_run=True)
        expected = parse_amount(value.strip()) if value.strip() else None
        if value.strip() and (expected is None or expected < 0):
            assert [r.row for r in dry.rejected] == [2]
        else:
            assert dry.added == ["KS 1"]
    finally:
        reg.close()


def test_cli_import_dry_run_and_error(runner, tmp_path):
    url = str(tmp_path / "r.db")
    runner.invoke(main, ["register", "init", "--db", url])
    path = write(tmp_path / "avtal.csv", [*GOOD, "KS 9;T;O;x;-5;2024-01-01;2025-01-01;nej;;;;"])
    result = runner.invoke(main, ["register", "import", str(path), "--db", url, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written" in result.output
    assert "row 5 (KS 9): value '-5' is negative" in result.output
    assert "KS 2024/2  Städning  cleaning.services  medium" in result.output
    result = runner.invoke(main, ["register", "import", str(path), "--db", url])
    assert_one_line_error(result, "row 5 (KS 9)", "nothing was imported")
    assert count(url) == 0
    good = write(tmp_path / "good.csv", GOOD)
    result = runner.invoke(main, ["register", "import", str(good), "--db", url, "--format",
                                  "json"])
    assert json.loads(result.output)["added"] == 3


# ------------------------------------------------------------------ reliability

def _big(path, prefix: str, n: int):
    rows = [f"{prefix}-{i};Avtal {i};Förvaltning {i % 7};transport.school;{1000 + i};"
            f"2024-01-01;2027-12-31;ja;bas;Leverantör {i} AB;;TRN-FUEL-01" for i in range(n)]
    return write(path, rows)


def test_two_processes_import_at_once(db_url, tmp_path):
    """Both imports complete (one waits for the other): nothing lost, nothing doubled."""
    db.init(db_url)[0].close()
    a, b = _big(tmp_path / "a.csv", "A", 1500), _big(tmp_path / "b.csv", "B", 1500)
    env = {"PYTHONPATH": str(ROOT), "PROCURE_LANG": "en", "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-m", "procure", "register", "import", str(f),
                               "--db", db_url], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for f in (a, b)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert count(db_url) == 3000
    assert count(db_url, "contracts") == 3000
    engine = sa.create_engine(db.database_url(db_url))
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(distinct reference) from procurements")
                            ).scalar() == 3000
    engine.dispose()
    # the same file twice at once: one imports, the other is refused as duplicates
    c = _big(tmp_path / "c.csv", "C", 500)
    procs = [subprocess.Popen([sys.executable, "-m", "procure", "register", "import", str(c),
                               "--db", db_url], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert sorted(p.returncode for p in procs) == [0, 1], outputs
    assert any("already has 'C-0'" in o for o in outputs), outputs
    assert count(db_url) == 3500


def test_a_process_killed_mid_import_leaves_the_register_as_before(db_url, tmp_path):
    reg, _, _ = db.init(db_url)
    from procure.criteria import load_criteria_set

    importer.import_register(reg, write(tmp_path / "first.csv", GOOD), load_criteria_set(),
                             who="t")
    reg.close()
    before = (count(db_url), count(db_url, "contracts"), count(db_url, "milestones"),
              count(db_url, "history"))
    big = _big(tmp_path / "big.csv", "K", 3000)
    script = textwrap.dedent(f"""
        import os, signal
        from procure.criteria import load_criteria_set
        from procure.register import db, importer

        real = importer._contracts
        def killed(conn, *args, **kwargs):
            real(conn, *args, **kwargs)  # procurements, contracts, milestones written...
            os.kill(os.getpid(), signal.SIGKILL)  # ...and the process dies before commit
        importer._contracts = killed
        reg = db.open_register({db_url!r})
        importer.import_register(reg, {str(big)!r}, load_criteria_set(), who="t")
    """)
    proc = subprocess.run([sys.executable, "-c", script], env={"PYTHONPATH": str(ROOT),
                                                                "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == -9, proc.stderr
    after = (count(db_url), count(db_url, "contracts"), count(db_url, "milestones"),
             count(db_url, "history"))
    assert after == before
    reg = db.open_register(db_url)  # and the register still opens and takes writes
    done = importer.import_register(reg, big, load_criteria_set(), who="t")
    reg.close()
    assert len(done.added) == 3000


def test_the_header_row_can_be_named(runner, tmp_path, db_url):
    """A report title above the header is found by itself; --header-row names the row when a
    person knows better, and a wrong one is a one-line error naming what is missing."""
    db.init(db_url)[0].close()
    path = tmp_path / "avtal.csv"
    path.write_text("Avtalsregister Exempelkommun\nUttag 2026-11-30\n" + HEADER + GOOD[0] + "\n",
                    encoding="utf-8")
    named = runner.invoke(main, ["register", "import", str(path), "--header-row", "3",
                                 "--dry-run", "--db", db_url, "--lang", "en"])
    assert named.exit_code == 0, named.output
    assert "1 would be added" in named.output
    wrong = runner.invoke(main, ["register", "import", str(path), "--header-row", "2",
                                 "--dry-run", "--db", db_url, "--lang", "en"])
    assert_one_line_error(wrong, "avtal.csv")
    ledger = tmp_path / "reskontra.csv"
    ledger.write_text("Reskontra 2026\nLeverantör;Kontotext;Fakturatext;Belopp\n"
                      "Buss AB;Skolskjuts;Skolskjuts mars;125 000\n", encoding="utf-8")
    stored = runner.invoke(main, ["register", "spend", "import", str(ledger), "--year", "2026",
                                  "--header-row", "2", "--db", db_url, "--lang", "en"])
    assert stored.exit_code == 0, stored.output
    assert "Stored 1 lines of 2026" in stored.output
