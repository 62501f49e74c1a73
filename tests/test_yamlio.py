"""Safe YAML: plain data only, with line numbers per path."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import procure.io.yamlio
from procure.errors import InputFileError
from procure.io.yamlio import line_for, load_yaml

scalars = st.one_of(st.integers(), st.booleans(), st.text(max_size=20),
                    st.floats(allow_nan=False, allow_infinity=False))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(min_size=1, max_size=8), children,
                                               min_size=1, max_size=4)),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1, max_size=8), documents, min_size=1, max_size=4))
def test_round_trip_matches_pyyaml(tmp_path_factory, data):
    import yaml

    path = tmp_path_factory.mktemp("y") / "d.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded, _ = load_yaml(path)
    assert loaded == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_lines_per_path(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("a: 1\nitems:\n  - id: x\n    deep:\n      k: v\n", encoding="utf-8")
    _, lines = load_yaml(path)
    assert lines["items[0].deep.k"] == 5
    assert line_for(lines, "items[0].deep.missing") == 4
    assert line_for(lines, "items[0].nothing.here") == 3


def test_dates_become_iso_strings(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("d: 2027-07-01\n", encoding="utf-8")
    assert load_yaml(path)[0] == {"d": "2027-07-01"}


def _load_error(tmp_path, content: str | bytes):
    path = tmp_path / "d.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_yaml(path)
    return str(info.value)


def test_an_impossible_date_is_an_error_not_a_crash(tmp_path):
    message = _load_error(tmp_path, "period:\n  start: 2027-13-01\n")
    assert "line 2, period.start: '2027-13-01' cannot be read" in message


def test_an_alias_to_itself_is_an_error(tmp_path):
    assert "an alias refers to the value that contains it" in _load_error(tmp_path, "a: &x [*x]\n")


def test_aliases_may_not_expand_without_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(procure.io.yamlio, "MAX_VALUES", 1000)
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]" for p, n in zip("abc", "bcd")]
    assert "expands to more than 1,000 values" in _load_error(tmp_path, "\n".join(rows) + "\n")


def test_a_repeated_alias_within_bounds_is_read(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("base: &b {unit: '%'}\none: *b\ntwo: {<<: *b, extra: 1}\n", encoding="utf-8")
    data, _ = load_yaml(path)
    assert data["one"] == {"unit": "%"}
    assert data["two"] == {"unit": "%", "extra": 1}


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    assert "nested deeper than 100 levels" in _load_error(tmp_path, "a: " + "[" * 500 + "]" * 500)


def test_text_that_is_not_utf8_names_the_line_and_the_character(tmp_path):
    message = _load_error(tmp_path, "title: x\norg: Örnsköldsvik\n".encode("cp1252"))
    assert "line 2: is not UTF-8 text" in message
    assert "'Ö' in Windows-1252" in message


def test_binary_and_pdf_files(tmp_path):
    assert "is a binary file" in _load_error(tmp_path, b"\x00\x01\x02title: x")
    assert "is a PDF" in _load_error(tmp_path, b"%PDF-1.7\n")
