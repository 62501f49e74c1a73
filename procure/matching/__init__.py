"""Match purchases to categories: one title, a tender's CPV codes, or a whole year of spend.

``Matcher`` indexes a criteria set's vocabulary once and matches texts (with an optional CPV
code) to ranked categories with a score, a confidence and the evidence. ``match_frame`` does
a DataFrame, ``match_file`` streams a CSV/XLSX ledger of any size to an output file and sums
spend per category.
"""

from procure.matching.batch import (
    RESULT_COLUMNS,
    MatchSummary,
    match_file,
    match_frame,
    parse_amounts,
)
from procure.matching.cpv import clean_cpv
from procure.matching.matcher import CONFIDENCES, Evidence, Match, Matcher
from procure.matching.text import normalise

__all__ = [
    "CONFIDENCES",
    "RESULT_COLUMNS",
    "Evidence",
    "Match",
    "MatchSummary",
    "Matcher",
    "clean_cpv",
    "match_file",
    "match_frame",
    "normalise",
    "parse_amounts",
]
