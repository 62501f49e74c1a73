"""Safe YAML: plain data only, with line numbers per path."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from procure.yamlio import line_for, load_yaml

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
