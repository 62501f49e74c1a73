"""Every threshold and its source: the reviewer's table, for the built-in set and a v2 set."""

from __future__ import annotations

import csv
import io
import json

from procure.cli import main
from procure.criteria import load_criteria_set
from procure.criteria.thresholds import STATUSES, thresholds
from procure.model import LEVELS

from .conftest import FIXTURES

V2 = FIXTURES / "v2-set"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_every_threshold_of_the_builtin_set_with_its_source(library):
    """One row per criterion × level × numeric param; each says where its number comes from.

    While the library is format v1 many rows are "confirm" or "unsourced"; the v2 rules make
    every row "sourced" or "buyer". The table printed on failure is what a reviewer checks.
    """
    rows = thresholds(library)
    expected = sum(1 for c in library.criteria.values() for v in c.levels.values()
                   for value in v.params.values() if _is_number(value))
    expected += sum(1 for c in library.criteria.values() for p in c.parameters.values()
                    if p.buyer)
    assert len(rows) == expected
    assert len(rows) > 150
    for row in rows:
        crit = library.criteria[row.criterion_id]
        param = crit.parameters.get(row.param)
        assert row.status in STATUSES
        if row.status == "sourced":
            assert row.source is param.source
            assert row.source.title
        elif row.status == "buyer":
            assert row.level is None
            assert row.value is None
        else:
            assert row.level in LEVELS
            assert row.value == crit.levels[row.level].params[row.param]
            assert row.source is None or (param is not None and param.confirm)


def test_sourced_and_buyer_rows_on_a_v2_set():
    rows = [t.to_dict() for t in thresholds(load_criteria_set(V2))]
    assert rows[0] == {
        "criterion": "TST-CO2-01", "version": 2, "level": "bas", "parameter": "max_g_km",
        "value": 50, "unit": "g/km", "status": "sourced", "suggested": None,
        "source": "Upphandlingsmyndigheten 10699:2", "locator": "10699:2, avancerad nivå",
        "checked": "2026-12-06", "url": "https://www.upphandlingsmyndigheten.se/"}
    buyer = rows[2]
    assert (buyer["parameter"], buyer["level"], buyer["value"], buyer["suggested"],
            buyer["locator"]) == ("max_distance_km", None, None, 50, "avsnitt 4.2")


def test_cli_sources_csv_json_and_table(runner):
    result = runner.invoke(main, ["criteria", "sources", "--set", str(V2), "--format", "csv"])
    assert result.exit_code == 0, result.output
    # Swedish (the default): ';' and a BOM, so Swedish Excel opens it as it is
    assert result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff")), delimiter=";"))
    assert [r["parameter"] for r in rows] == ["max_g_km", "max_g_km", "max_distance_km",
                                              "deadline_months"]
    assert rows[2]["value"] == "sätts av beställaren"
    assert rows[2]["suggested"] == "50"
    assert rows[0]["locator"] == "10699:2, avancerad nivå"
    as_json = json.loads(runner.invoke(main, ["criteria", "sources", "--set", str(V2),
                                              "--format", "json"]).output)
    assert as_json[3]["status"] == "buyer"
    table = runner.invoke(main, ["criteria", "sources", "--set", str(V2), "--lang", "en"],
                          env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "set by the buyer (suggested 50)" in table.output
    assert "4 thresholds: 2 with a source, 2 set by the buyer, 0 to confirm, 0 without" in \
        table.output
    only = runner.invoke(main, ["criteria", "sources", "--category", "nope", "--set", str(V2)])
    assert only.exit_code == 1


def test_cli_show_prints_sources_with_locator_and_each_parameters_source(runner):
    result = runner.invoke(main, ["criteria", "show", "TST-SRV-01", "--set", str(V2),
                                  "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "available within [Maximum distance to a workshop] km of" in result.output
    assert ("- max_distance_km (Maximum distance to a workshop, km): set by the buyer; "
            "suggested 50 per Upphandlingsmyndigheten 10700:1, avsnitt 4.2 (checked 2026-12-06)"
            ) in result.output
    co2 = runner.invoke(main, ["criteria", "show", "TST-CO2-01", "--set", str(V2),
                               "--lang", "en"]).output
    assert ("- max_g_km (Maximum emissions, g/km): source: Upphandlingsmyndigheten 10699:2, "
            "10699:2, avancerad nivå (checked 2026-12-06) <https://www.upphandlingsmyndigheten"
            ".se/>") in co2
    assert "- Upphandlingsmyndigheten 10699:2, 10699:2 (checked 2026-12-06)" in co2
    assert "Other versions: TST-CO2-01:1" in co2
