"""Formatting for the terminal: tables, CSV, JSON. No logic a library user would need."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from procure.i18n import Msg, get_lang, set_lang, tr
from procure.io.outputs import neutralise
from procure.io.textfmt import format_number


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]], delimiter: str = ",") -> str:
    """CSV text with every cell defused against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return buffer.getvalue()


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]], lang: str) -> str:
    """CSV as the reader's Excel opens it: Swedish with ``;``, a BOM and decimal commas."""
    if lang != "sv":
        return to_csv(headers, rows)
    swedish = [[format_number(v, "sv").replace("\u00a0", "") if isinstance(v, float) else v
                for v in row] for row in rows]
    return "\ufeff" + to_csv(headers, swedish, delimiter=";")


class LabelledChoice(click.Choice):
    """A choice given as its code or as its name in either language: ``--kind award``,
    ``--kind tilldelningskriterium``, ``--kind "award criterion"`` are the same."""

    def __init__(self, choices: Sequence[str], labels: dict[str, dict[str, str]]) -> None:
        super().__init__(list(choices), case_sensitive=False)
        self.labels = labels
        self.by_name = {name.casefold(): code for code in choices
                        for name in (code, *labels.get(code, {}).values())}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> Any:
        code = self.by_name.get(str(value).strip().casefold())
        if code is None:
            def named(c: str) -> str:
                label = self.labels.get(c, {}).get(get_lang(), c)
                return repr(c) + (f" ({label.lower()})" if label.casefold() != c else "")
            names = ", ".join(named(str(c)) for c in self.choices)
            self.fail(str(tr("{value!r} is not one of {names}", "{value!r} är inte ett av "
                             "{names}", value=value, names=names)), param, ctx)
        return code


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int | None = None,
          shorten: Sequence[int] | None = None, right: Sequence[int] = ()) -> str:
    """A plain aligned table, the widest column shortened to fit the terminal.

    ``shorten`` names the columns that may be shortened (free text such as titles); names,
    ids and amounts are never cut — a row wider than the terminal wraps instead. ``None``: the
    last column only.
    """
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    limit = max_width or shutil.get_terminal_size((120, 20)).columns
    may = set(range(len(headers))[-1:] if shorten is None else shorten)
    while sum(widths) + 2 * (len(widths) - 1) > limit and may and \
            max(widths[i] for i in may) > 12:
        widest = max(may, key=lambda i: widths[i])
        widths[widest] -= 1
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(_shorten(v, w).rjust(w) if i in right and n > 0
                               else _shorten(v, w).ljust(w)
                               for i, (v, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def echo_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
               shorten: Sequence[int] | None = None, right: Sequence[int] = ()) -> None:
    """:func:`table` on the screen; ``right`` names the columns of numbers, set flush right."""
    click.echo(table(headers, rows, shorten=shorten, right=right))


def _set_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """An explicit ``--lang`` also sets the language of messages and errors.

    Without it, documents are Swedish and messages follow ``$PROCURE_LANG`` (default Swedish).
    """
    if ctx.get_parameter_source(param.name or "lang") is not click.core.ParameterSource.DEFAULT:
        set_lang(value)
    return value


lang_option = click.option(
    "--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, is_eager=True,
    callback=_set_lang, help="Language of the output and of messages.",
)


def format_option(*choices: str, default: str | None = None):
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default or choices[0],
        show_default=True, help="Output format.",
    )


def _either(suffixes: Sequence[str]) -> str:
    """".xlsx, .csv eller .json"."""
    return " eller ".join([", ".join(suffixes[:-1]), suffixes[-1]] if len(suffixes) > 2
                          else suffixes)


def require_suffix(path: Path | None, suffixes: Sequence[str], option: str, what: str | Msg
                   ) -> None:
    """A usage error (exit 2) unless ``path`` ends in one of ``suffixes``: "-o out.txt"."""
    if path is not None and path.suffix.lower() not in suffixes:
        raise click.BadParameter(str(tr("{what}; name it {names} (got {path!r})",
                                        "{what}; ge den ändelsen {names_sv} (angivet: {path!r})",
                                        what=what, names=" or ".join(suffixes),
                                        names_sv=_either(suffixes), path=str(path))),
                                 param_hint=option)


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback: a date option given as YYYY-MM-DD (a usage error otherwise)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(str(tr("{value!r} is not a date; write it as YYYY-MM-DD",
                                        "{value!r} är inget datum; skriv det som ÅÅÅÅ-MM-DD",
                                        value=value))) from None


def amount_sek(text: str | None, option: str) -> float | None:
    """An amount option in kronor as people type it ("850 000", "4,5 MSEK"); 0 or more, else a
    usage error naming the option. None when the option was not given."""
    if text is None or not text.strip():
        return None
    from procure.io.numbers import parse_amount  # pandas: only for commands that take amounts

    value = parse_amount(text)
    if value is None or value < 0:
        raise click.BadParameter(str(tr("{v!r} is not an amount in SEK (0 or more)",
                                        "{v!r} är inget belopp i kronor (0 eller mer)", v=text)),
                                 param_hint=option)
    return value


SPEC_SET = "the spec's criteria_set_path, else the built-in library"
BUILTIN_SET = "the built-in library"


force_option = click.option("--force", is_flag=True,
                            help="Replace output files that exist already.")
allow_other_version_option = click.option(
    "--allow-other-version", is_flag=True,
    help="Use the installed criteria set even if the spec names another version of it "
         "(a warning instead of an error; documents name both versions).")


header_row_option = click.option(
    "--header-row", type=click.IntRange(min=1), default=None,
    help="Row number of the column names, when a report title sits above them (default: "
         "found from the column names the command needs).")


def _installed_or_path(_ctx: click.Context, _param: click.Parameter, value: Any
                       ) -> Path | None:
    """A set's folder or file, or ``name@version`` of an installed set, as its path."""
    if value is None:
        return None
    from procure.criteria.install import locate

    return locate(value)


def set_option(default: str = SPEC_SET):
    """``--set PATH|NAME@VERSION``: another criteria set than the default one."""
    return click.option(
        "--set", "set_path", type=click.Path(path_type=Path), default=None,
        callback=_installed_or_path, metavar="PATH|NAME@VERSION",
        help=f"Criteria set: a folder or YAML file, or name@version of an installed set "
             f"(default: {default}).",
    )
