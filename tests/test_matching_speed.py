"""The fast batch path gives exactly what the straightforward path gives.

Batch matching ranks each *result key* once (a text's tokens with the words the matcher cannot
read replaced by placeholders, :meth:`Matcher.result_key`) and caches rows by raw text. Equality
is the contract: these tests compare every field of every result — category, score,
confidence, runner-up, the evidence — over thousands of varied texts: the realistic ledger of
the benchmark and the benchmark's labelled Swedish, English and TED-style sets (with their
descriptions as context and their CPV codes).
"""

from __future__ import annotations

import csv
import importlib.util

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.matching import Matcher
from procure.matching.batch import _BatchMatcher
from procure.matching.cpv import parse_cpv
from procure.matching.matcher import CONTEXT_WEIGHT, INERT_ASCII, INERT_OTHER
from procure.matching.text import numbers_blanked, tokens

from .conftest import ROOT

DATA = ROOT / "benchmarks" / "data"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_match", ROOT / "benchmarks" / "bench_match.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ledger_texts(tmp_path_factory) -> list[str]:
    path = tmp_path_factory.mktemp("ledger") / "ledger.csv"
    _bench_module().make_realistic_ledger(path, 3000, seed=11)
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    joined = frame["Leverantör"] + " | " + frame["Kontotext"] + " | " + frame["Fakturatext"]
    return list(dict.fromkeys(joined))


def _labelled_texts() -> list[str]:
    texts = []
    for path in sorted(DATA.glob("match-*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle, delimiter=";")]
    return texts


def _notices() -> list[tuple[str, str, str | None]]:
    out = []
    for path in sorted(DATA.glob("ted-style-*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                out.append((row["title"], row["short_description"], parse_cpv(row["cpv_main"])))
    return out


def _full(matches) -> list[tuple]:
    return [(m.category_id, m.name, m.score, m.confidence, m.why) for m in matches]


@pytest.fixture(scope="module")
def pair(library):
    """Two matchers: caches filled by one path cannot help the other."""
    return Matcher(library), Matcher(library)


def test_result_key_ranks_as_the_tokens_do(pair, ledger_texts):
    plain, keyed = pair
    texts = ledger_texts + _labelled_texts()
    assert len(texts) > 3000
    shared = 0
    for text in texts:
        toks = tokens(text)
        key = keyed.result_key(toks)
        shared += key != tuple(toks)
        assert _full(keyed.rank_tokens(list(key), None)) == _full(plain.rank_tokens(toks, None)), text
    assert shared > len(ledger_texts) / 2  # names and other unread words do get placeholders


def test_result_key_with_context_and_cpv(pair):
    plain, keyed = pair
    notices = _notices()
    assert len(notices) > 1000
    for title, description, code in notices:
        toks = tokens(title)
        toks += tokens(description, segment=1, start=len(toks) + 1, base_weight=CONTEXT_WEIGHT)
        assert _full(keyed.rank_tokens(list(keyed.result_key(toks)), code)) == \
            _full(plain.rank_tokens(toks, code)), title


def test_batch_rows_equal_best_two_per_text(library, ledger_texts):
    plain = Matcher(library)
    texts = ledger_texts[:800] + _labelled_texts()
    rows = _BatchMatcher(Matcher(library)).results(pd.Series(texts), None)
    for text, row in zip(texts, rows):
        top, runner_up = plain.best_two(text)
        expected = ("", "", 0, "none", "", 0, "") if top is None else (
            top.category_id, top.name, top.score, top.confidence,
            runner_up.category_id if runner_up else "", runner_up.score if runner_up else 0,
            top.reason)
        assert tuple(row) == expected, text


def test_names_share_a_key_keywords_do_not(library):
    m = Matcher(library)
    key = m.result_key
    assert key(tokens("Kopiator ref Anna Svensson")) == key(tokens("Kopiator ref Erik Berg"))
    assert key(tokens("Kopiator ref Anna Svensson")) != key(tokens("Kopiator ref Åsa Berg"))  # å votes Swedish
    assert key(tokens("Kopiator Anna")) != key(tokens("Diesel Anna"))
    assert key(tokens("Anna Kopiator")) != key(tokens("Kopiator Anna"))  # where a word stands counts
    assert m._inert(INERT_ASCII)
    assert m._inert(INERT_OTHER)
    for word in ("drift", "services", "construction", "köp", "leasing", "of", "juridisk", "ab"):
        assert not m._inert(word), word


def test_reasons_do_not_depend_on_string_hashing():
    """Two equally strong keyword phrases ("bärbar dator", "bärbara datorer"): the one given as
    the reason is the same in every process, whatever its hash seed."""
    import os
    import subprocess
    import sys

    code = ("from procure.criteria import load_criteria_set\n"
            "from procure.matching import Matcher\n"
            "m = Matcher(load_criteria_set())\n"
            "print(m.best_two('Canon AB | Lokalhyra | bärbara datorer november')[0].reason)")
    seen = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=env, cwd=ROOT)
        seen.add(run.stdout.strip())
    assert len(seen) == 1, seen


def test_blanking_numbers_keeps_the_tokens(ledger_texts):
    texts = ledger_texts + _labelled_texts() + [t for n in _notices() for t in n[:2]]
    blanked = 0
    for text in texts:
        plain = numbers_blanked(text)
        blanked += plain != text
        assert tokens(plain) == tokens(text), text
    assert blanked > len(ledger_texts) / 3  # order numbers and dates do get blanked
    assert numbers_blanked("diesel order 4711 2026-03-14") == "diesel order 0 0-0-0"
    assert numbers_blanked("HVO100 order 4711, kv1") == "HVO100 order 0, kv1"  # by a letter


_pieces = st.sampled_from(["HVO100", "ED95", "kv1", "KS", "2025/123", "v.12", "nr 4", "12a",
                           "ⓐⓑ12", "１２", "٣٤", "²", "Road", "to", "för", "Storgatan", "IT-2026",
                           "1-2", "skolskjuts", "Mill", "av", "|", ",", "-", " ", "'", "09",
                           "order", "Anna", "12,5", "x1y"])


@given(st.lists(st.one_of(_pieces, st.text(max_size=6)), max_size=12),
       st.sampled_from([" ", "", " | ", ", "]))
def test_blanking_numbers_keeps_the_tokens_of_any_text(parts, glue):
    text = glue.join(parts)
    assert tokens(numbers_blanked(text)) == tokens(text)
