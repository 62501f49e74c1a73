"""``procure criteria install|sets|uninstall|export|import|diff|merge``: sharing criteria sets.

Thin wrappers over :mod:`procure.criteria.install`, ``document``, ``tabular``, ``diff`` and
``merge``; they live apart from :mod:`procure.cli.criteria` (browsing and validating) so each
module keeps one job; ``commands`` are added to the same ``procure criteria`` group. Also the demo step
that installs, compares and merges the example set from another municipality.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procure.cli.criteria import markdown_table
from procure.cli.output import echo_json, echo_table, format_option, lang_option, table
from procure.criteria.diff import SetDiff, diff_sets
from procure.criteria.document import check_document, dump_yaml, read_document, write_folder
from procure.criteria.install import install, installed_sets, locate, uninstall
from procure.criteria.merge import PREFER, merge_sets
from procure.criteria.tabular import categories_file, export_csv, export_xlsx, header_file
from procure.criteria.tabular_import import import_table
from procure.errors import OutputFileError
from procure.findings import Report
from procure.i18n import Msg, pick, tr
from procure.io.outputs import check_not_input, write_text_atomic
from procure.io.textfmt import count_text

if TYPE_CHECKING:
    from procure.cli.democontext import DemoContext

BUMP_LABELS = {"patch": tr("patch (wording)", "patch (formulering)"),
               "minor": tr("minor (additions, looser)", "minor (tillägg, mildare krav)"),
               "major": tr("major (removed, tightened, changed kind)",
                           "major (borttaget, skärpt, ändrad typ)")}
CHANGE_SIGNS = {"added": "+", "removed": "-", "changed": "~"}
WHAT = {"set": tr("set", "uppsättning"), "category": tr("category", "kategori"),
        "criterion": tr("criterion", "kriterium"), "superseded": tr("old version",
                                                                     "äldre version")}


def _refuse_existing(output: Path, force: bool) -> None:
    if output.exists() and not force:
        raise OutputFileError(tr("exists already", "finns redan"), file=output,
                              hint=tr("choose another name or add --force",
                                      "välj ett annat namn eller lägg till --force"))


def _warnings(report: Report) -> None:
    for finding in report.warnings:
        click.echo(f"{tr('Warning', 'Varning')}: {finding}", err=True)


@click.command("install")
@click.argument("path", type=click.Path(path_type=Path))
@lang_option
def install_command(path: Path, lang: str) -> None:
    """Validate a criteria set (folder or YAML file) and install it as name@version.

    Installed sets live in the user's data folder ($PROCURE_DATA_DIR overrides it) and can be
    cited by specs as criteria_set: name@version. The same name@version with other content is
    refused.
    Example: procure criteria install umea-klimat/
    """
    result = install(path)
    _warnings(result.report)
    done = result.installed
    if result.already:
        click.echo(tr("{ref} is already installed with the same content ({path}).",
                      "{ref} är redan installerad med samma innehåll ({path}).",
                      ref=done.ref, path=done.path))
    else:
        click.echo(tr("Installed {ref} ({hash}) in {path}.",
                      "Installerade {ref} ({hash}) i {path}.", ref=done.ref,
                      hash=(done.content_hash or "")[:19], path=done.path))


@click.command("sets")
@lang_option
@format_option("table", "json")
def sets_command(lang: str, fmt: str) -> None:
    """List the criteria sets a spec can cite: the built-in library and every installed set.

    Example: procure criteria sets
    """
    found = installed_sets()
    if fmt == "json":
        echo_json([s.to_dict() for s in found])
        return
    rows = [[s.ref, s.title, pick(lang, "inbyggd", "built-in") if s.builtin else
             (s.installed or "")[:10], "" if s.builtin else (s.content_hash or "")[:19]]
            for s in found]
    echo_table([pick(lang, "uppsättning", "set"), pick(lang, "titel", "title"),
                pick(lang, "installerad", "installed"), "hash"], rows)


@click.command("uninstall")
@click.argument("ref", metavar="NAME@VERSION")
@lang_option
def uninstall_command(ref: str, lang: str) -> None:
    """Remove an installed criteria set (never the built-in library).

    Example: procure criteria uninstall umea@1.1.0
    """
    gone = uninstall(ref)
    click.echo(tr("Uninstalled {ref}.", "Avinstallerade {ref}.", ref=gone.ref))


EXPORT_SUFFIXES = {"yaml": (".yaml", ".yml"), "xlsx": (".xlsx",), "csv": (".csv",)}


@click.command("export")
@click.argument("set_arg", metavar="SET")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (.yaml, .xlsx or .csv, matching --format).")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_SUFFIXES)), default=None,
              help="yaml (one self-contained file), xlsx or csv (one row per criterion × "
                   "level); default: from the output's suffix.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@lang_option
def export_command(set_arg: str, output: Path, fmt: str | None, force: bool, lang: str) -> None:
    """Write a set (folder, YAML file or installed name@version) as one file to share.

    YAML keeps everything in one file, old criterion versions included. XLSX and CSV have one
    row per criterion and level with every field, for editing in Excel; CSV also writes the
    categories and the set's header beside it (NAME.kategorier.csv, NAME.uppsattning.csv).
    Example: procure criteria export se-klimat@2.0.0 -o se-klimat.xlsx
    """
    fmt = fmt or next((f for f, s in EXPORT_SUFFIXES.items()
                       if output.suffix.lower() in s), None)
    if fmt is None or output.suffix.lower() not in EXPORT_SUFFIXES[fmt]:
        raise click.BadParameter(str(tr(
            "name the file .yaml, .xlsx or .csv (matching --format); got {path!r}",
            "ge filen ändelsen .yaml, .xlsx eller .csv (som --format); angivet: {path!r}",
            path=str(output))), param_hint="--output")
    path = locate(set_arg)
    _refuse_existing(output, force)
    if fmt == "csv":
        _refuse_existing(categories_file(output, lang), force)
        _refuse_existing(header_file(output, lang), force)
    check_not_input(output, [path, *path.rglob("*.yaml")] if path.is_dir() else [path])
    document = read_document(path)
    if fmt == "yaml":
        write_text_atomic(output, dump_yaml(document.data, f"{document.ref}, exported by "
                                                          "procure"))
        written = [output]
    elif fmt == "xlsx":
        written = [export_xlsx(document, output, lang)]
    else:
        written = export_csv(document, output, lang)
    click.echo(tr("Wrote {ref} ({n} criteria, {old} old versions) to {files}.",
                  "Skrev {ref} ({n} kriterier, {old} äldre versioner) till {files}.",
                  ref=document.ref, n=len(document.criteria), old=len(document.superseded),
                  files=", ".join(map(str, written))))


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="The set's name (lower case, e.g. umea).")
@click.option("--publisher", required=True, help="Who publishes the set (e.g. Umeå kommun).")
@click.option("--version", "version", default=None,
              help="The set's version (semver; default: the file's, else 1.0.0).")
@click.option("--title", default=None,
              help="The set's title (default: the file's, else its name).")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the set to.")
@click.option("--force", is_flag=True, help="Replace an existing output folder.")
@lang_option
def import_command(path: Path, name: str, publisher: str, version: str | None,
                   title: str | None,
                   output: Path, force: bool, lang: str) -> None:
    """Read a criteria set back from a spreadsheet (.xlsx or .csv) edited in Excel.

    The set's format, title, version and sources come from the file's set sheet (a CSV's
    NAME.uppsattning.csv); name and publisher are yours. Unknown, renamed or missing columns,
    merged cells and unknown levels are errors naming the row and column; the set is validated
    before anything is written.
    Example: procure criteria import umea.xlsx --name umea --publisher "Umeå kommun" -o umea/
    """
    document = import_table(path, name=name, publisher=publisher, version=version)
    if title is not None:
        document.data["title"] = dict.fromkeys(document.data["languages"], title)
    check_document(document, tr("the imported set", "den inlästa uppsättningen"))
    write_folder(document, output, force=force)
    click.echo(tr("Wrote {ref} ({n} criteria, {c} categories) to {path}/.",
                  "Skrev {ref} ({n} kriterier, {c} kategorier) till {path}/.",
                  ref=document.ref, n=len(document.criteria), c=len(document.categories),
                  path=output))


def diff_lines(result: SetDiff) -> list[list[str]]:
    return [[CHANGE_SIGNS[c.change], str(WHAT[c.what]), c.describe(), c.bump, str(c.reason)]
            for c in result.changes]


@click.command("diff")
@click.argument("old_arg", metavar="OLD")
@click.argument("new_arg", metavar="NEW")
@format_option("table", "json", "markdown")
@lang_option
def diff_command(old_arg: str, new_arg: str, fmt: str, lang: str) -> None:
    """Show what changed between two criteria sets and which version bump that needs.

    OLD and NEW are folders, YAML files or installed name@version. Exit 0 when equal, 1 when
    different (as diff does).
    Example: procure criteria diff se-klimat@2.0.0 examples/umea-klimat/
    """
    result = diff_sets(read_document(locate(old_arg)), read_document(locate(new_arg)))
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        headers = ["", pick(lang, "vad", "what"), pick(lang, "ändring", "change"),
                   pick(lang, "höjning", "bump"), pick(lang, "varför", "why")]
        rows = diff_lines(result)
        if fmt == "markdown":
            click.echo(markdown_table(headers, rows) if rows else "")
        elif rows:
            click.echo(table(headers, rows))
        click.echo(_diff_summary(result))
    if not result.equal:
        raise SystemExit(1)


def _diff_summary(result: SetDiff) -> Msg:
    if result.equal:
        return tr("{old} and {new} are equal.", "{old} och {new} är lika.", old=result.old_ref,
                  new=result.new_ref)
    return tr("{n} changes from {old} to {new}; they need a {bump} version bump.",
              "{n} ändringar från {old} till {new}; de kräver en versionshöjning: {bump}.",
              n=len(result.changes), old=result.old_ref, new=result.new_ref,
              bump=BUMP_LABELS[result.bump or "patch"])


@click.command("merge")
@click.argument("base_arg", metavar="BASE")
@click.argument("other_args", metavar="OTHER...", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The merged set (one YAML file).")
@click.option("--prefer", type=click.Choice(PREFER), default=None,
              help="Settle every conflict: base keeps the base's criterion and adds the "
                   "other's beside it as SET/ID; other replaces the base's.")
@click.option("--take", "take", multiple=True, metavar="ID",
              help="Settle one conflict by taking the other set's criterion (repeatable; "
                   "SET/ID picks the set).")
@click.option("--only-missing", is_flag=True, help="Take only criteria the base lacks.")
@click.option("--name", default=None, help="Name of the merged set (default: the base's).")
@click.option("--version", "version", default=None,
              help="Version of the merged set (default: the base's, raised as the changes need).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@format_option("text", "json")
@lang_option
def merge_command(base_arg: str, other_args: tuple[str, ...], output: Path, prefer: str | None,
                  take: tuple[str, ...], only_missing: bool, name: str | None,
                  version: str | None, force: bool, fmt: str, lang: str) -> None:
    """Take criteria from other municipalities' sets into BASE, with their origin recorded.

    Ids are never renumbered; each taken criterion gets origin: set@version#id:version. A
    conflict (same id, other content) stops the merge until --prefer or --take settles it; a
    result that would not validate is not written.
    Example: procure criteria merge se-klimat@2.0.0 examples/umea-klimat/ --prefer base -o egna.yaml
    """
    require_yaml(output)
    paths = [locate(a) for a in (base_arg, *other_args)]
    _refuse_existing(output, force)
    check_not_input(output, paths)
    documents = [read_document(p) for p in paths]
    result = merge_sets(documents[0], documents[1:], prefer=prefer, take=set(take),
                        only_missing=only_missing, name=name, version=version)
    write_text_atomic(output, dump_yaml(result.document.data,
                                        f"{result.document.ref}, merged by procure"))
    if fmt == "json":
        echo_json(result.to_dict())
        return
    for finding in result.report.findings:
        click.echo(f"  {finding.message}")
    hows = {"new": tr("new", "ny"), "namespaced": tr("beside the base's", "bredvid basens"),
            "replaced": tr("replaces the base's", "ersätter basens")}
    for taken in result.taken:
        click.echo(f"  + {taken.id:<28} {hows[taken.how]}  ← {taken.origin}")
    click.echo(tr("Wrote {ref} to {path}: {n} criteria taken.",
                  "Skrev {ref} till {path}: {n} kriterier tagna.", ref=result.document.ref,
                  path=output, n=len(result.taken)))


commands = [install_command, sets_command, uninstall_command, export_command, import_command,
            diff_command, merge_command]


def require_yaml(output: Path) -> None:
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise click.BadParameter(str(tr("the merged set is a YAML file; name it .yaml (got "
                                        "{path!r})", "den sammanslagna uppsättningen är en "
                                        "YAML-fil; ge den ändelsen .yaml (angivet: {path!r})",
                                        path=str(output))), param_hint="--output")


def _criteria(n: int, lang: str) -> str:
    return count_text(n, lang, ("kriterium", "kriterier"), ("criterion", "criteria"))


def demo_step(ctx: DemoContext) -> None:
    """Demo: install Umeå's example set (into the demo folder), compare it, merge it."""
    from procure.criteria.install import DATA_DIR_ENV

    other = ctx.examples / "umea-klimat"
    data = ctx.outdir / "procure-data"
    before = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(data.resolve())  # never the user's real data folder
    try:
        result = install(other)
        click.echo(f"  {pick(ctx.lang, 'Installerade', 'Installed')} {result.installed.ref} "
                   f"({data}/)")
        base = read_document(Path(ctx.criteria_set.path or ""))
        theirs = read_document(result.installed.path)
        changes = diff_sets(base, theirs)
        shown = [c for c in changes.changes if c.what == "criterion"]
        changed = {c.id for c in shown if c.change == "changed"}
        added = [c.id for c in shown if c.change == "added"]
        click.echo("  " + pick(
            ctx.lang, f"{theirs.ref} har ändrat {_criteria(len(changed), 'sv')} från "
                      f"{base.ref} och lagt till {len(added)} egna:",
            f"{theirs.ref} changed {_criteria(len(changed), 'en')} of {base.ref} and added "
            f"{len(added)} of its own:"))
        for change in [c for c in shown if ".params." in c.field][:2] + \
                [c for c in shown if c.change == "added"][:2]:
            click.echo(f"    {CHANGE_SIGNS[change.change]} {change.describe()}  ({change.bump})")
        merged = merge_sets(base, [theirs], prefer="base")
        out = ctx.outdir / pick(ctx.lang, "egna-kriterier.yaml", "own-criteria.yaml")
        write_text_atomic(out, dump_yaml(merged.document.data,
                                         f"{merged.document.ref}, merged by procure demo"))
        spaced = [t.id for t in merged.taken if t.how == "namespaced"]
        click.echo(f"  {pick(ctx.lang, 'Sammanslagen', 'Merged')}: {merged.document.ref}, "
                   f"{len(merged.taken)} {pick(ctx.lang, 'kriterier tagna från', 'criteria from')}"
                   f" {theirs.ref}" + (f" ({', '.join(spaced)} "
                                       f"{pick(ctx.lang, 'bredvid basens', 'beside the base')})"
                                       if spaced else ""))
        ctx.state["merged_set"] = out
        ctx.wrote(out, pick(ctx.lang, "egen uppsättning med ursprung per kriterium (YAML)",
                            "own set with each criterion's origin (YAML)"))
    finally:
        if before is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = before

