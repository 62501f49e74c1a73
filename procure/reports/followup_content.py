"""What the follow-up report says, in the run's language, independent of PDF or XLSX.

The indicators (``procure.register.indicators``) are keys and numbers; this module turns them
into sections of titled tables with typed columns. The PDF writer lays the same tables out
beside its charts and the XLSX writer gives each section a sheet, so the two formats can never
disagree about a figure or a heading.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from procure.criteria.load import builtin_path, set_files
from procure.i18n import pick
from procure.io.textfmt import NBSP, format_number
from procure.model import KIND_LABELS, LEVEL_LABELS, CriteriaSet
from procure.register.factors import EmissionIndication
from procure.register.figures import FollowupIndicators, Headline

#: Rows of the unmatched-spend list printed in the PDF; JSON and XLSX hold every supplier.
PDF_UNMATCHED_ROWS = 25
PDF_EVIDENCE_ROWS = 40


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | int | sek | msek | share | date | tonnes | factor


@dataclass
class TableData:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    empty: str = ""  # said instead of an empty table
    note: str = ""
    pdf_rows: int | None = None  # the PDF shows at most this many rows


@dataclass
class Section:
    key: str
    title: str
    intro: list[str] = field(default_factory=list)
    tables: list[TableData] = field(default_factory=list)


# --- formatting shared by the writers --------------------------------------------------------
def fmt_share(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    number = format_number(round(100 * value, 1 if 0 < 100 * value < 10 else 0), lang)
    return f"{number}{NBSP}%" if lang == "sv" else f"{number}%"


def fmt_sek(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    number = format_number(round(value), lang, 0)
    return f"{number}{NBSP}kr" if lang == "sv" else f"SEK{NBSP}{number}"


def fmt_msek(value: float, lang: str) -> str:
    """Millions, as summaries write them: "10,5 mnkr", "SEK 10.5 m"."""
    number = format_number(round(value / 1e6, 1), lang, 1)
    return f"{number}{NBSP}mnkr" if lang == "sv" else f"SEK{NBSP}{number}{NBSP}m"


def fmt_cell(value: Any, kind: str, lang: str) -> str:
    if value is None or value == "":
        return "–" if kind != "text" else ""
    if kind == "int":
        return format_number(int(value), lang)
    if kind == "sek":
        return fmt_sek(value, lang)
    if kind == "msek":
        return fmt_msek(value, lang)
    if kind == "share":
        return fmt_share(value, lang)
    if kind == "tonnes":
        return format_number(round(value, 1), lang, 1)
    if kind == "factor":
        return format_number(value, lang, 4)
    if kind == "date":
        return value.isoformat()
    return str(value)


def count(n: int, lang: str, sv: tuple[str, str], en: tuple[str, str]) -> str:
    """"1 upphandling", "3 upphandlingar": the number and the noun in the right form."""
    words = sv if lang == "sv" else en
    return f"{format_number(n, lang)} {words[0] if n == 1 else words[1]}"


PROCUREMENTS_SV = ("upphandling", "upphandlingar")
PROCUREMENTS_EN = ("procurement", "procurements")
LINES_SV, LINES_EN = ("rad", "rader"), ("line", "lines")


CategoryNames = Mapping[str, Mapping[str, str]]  # category id -> {"sv": ..., "en": ...}


def library_category_names() -> dict[str, dict[str, str]]:
    """The built-in library's category names, read straight from its YAML.

    A report needs only the names, and reading them is a quarter of a full load (which also
    validates every criterion): it is the difference that keeps the report within its budget.
    """
    names: dict[str, dict[str, str]] = {}
    for path in set_files(builtin_path()):
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for category in (data or {}).get("categories") or []:
            if isinstance(category, dict) and isinstance(category.get("name"), dict):
                names[str(category.get("id"))] = {k: str(v) for k, v in category["name"].items()}
    return names


def names_of(cset: CriteriaSet) -> dict[str, dict[str, str]]:
    """The category names of a loaded criteria set, for :class:`Labels`."""
    return {c.id: {lang: c.label(lang) for lang in ("sv", "en")}
            for c in cset.categories.values()}


class Labels:
    """Display names of categories, levels, kinds and codes in one language."""

    def __init__(self, lang: str, categories: CategoryNames | None = None) -> None:
        self.lang = lang
        self.categories = categories or {}

    def t(self, sv: str, en: str) -> str:
        return pick(self.lang, sv, en)

    def category(self, key: str | None) -> str:
        if not key:
            return self.t("(ingen kategori)", "(no category)")
        found = self.categories.get(key)
        name = (found.get(self.lang) or found.get("sv")) if found else None
        return f"{name} ({key})" if name else key

    def organisation(self, key: str | None) -> str:
        return key or self.t("(ingen organisation)", "(no organisation)")

    def level(self, key: str) -> str:
        if key in LEVEL_LABELS:
            return LEVEL_LABELS[key][self.lang]
        return self.t("Utan klimatkrav", "No climate criteria") if key == "none" else key

    def kind(self, key: str) -> str:
        return KIND_LABELS[key][self.lang] if key in KIND_LABELS else key

    def milestone(self, key: str) -> str:
        return {"met": self.t("Uppfyllda", "Met"), "notMet": self.t("Ej uppfyllda", "Not met"),
                "partiallyMet": self.t("Delvis uppfyllda", "Partially met")}.get(key, key)

    def corrective(self, key: str) -> str:
        return {"open": self.t("Pågår", "Open"), "done": self.t("Genomförda", "Done"),
                "not_done": self.t("Ej genomförda", "Not done")}.get(key, key)

    def gpp(self, key: str) -> str:
        return {"eu": self.t("EU:s GPP-kriterier (eu)", "EU GPP criteria (eu)"),
                "national": self.t("Nationella kriterier (national)",
                                   "National criteria (national)"),
                "other": self.t("Andra kriterier (other)", "Other criteria (other)"),
                "none": self.t("Inga kriterier (none)", "No criteria (none)"),
                "missing": self.t("Ej angivet", "Not given")}.get(key, key)

    def tier(self, tier: int | None) -> str:
        return self.t("Ingen risknivå", "No risk tier") if tier is None else \
            self.t(f"Risknivå {tier}", f"Risk tier {tier}")

    def evidence_state(self, key: str) -> str:
        return {"expired": self.t("Har gått ut", "Expired"),
                "expiring": self.t("Går snart ut", "Expiring")}.get(key, key)


def title(ind: FollowupIndicators, lang: str) -> str:
    return pick(lang, f"Uppföljning av klimatkrav i upphandling {ind.year}",
                f"Follow-up of climate requirements in procurement {ind.year}")


def scope(ind: FollowupIndicators, lang: str) -> str:
    return ind.organisation or pick(lang, "Hela kommunkoncernen", "The whole municipal group")


# --- the sections ----------------------------------------------------------------------------
def _totals_columns(first: str, lab: Labels) -> list[Column]:
    return [Column(first), Column(lab.t("Antal", "Number"), "int"),
            Column(lab.t("Med klimatkrav", "With climate criteria"), "int"),
            Column(lab.t("Andel (antal)", "Share (number)"), "share"),
            Column(lab.t("Värde", "Value"), "sek"),
            Column(lab.t("Andel (värde)", "Share (value)"), "share")]


def procurement_section(ind: FollowupIndicators, lab: Labels) -> Section:
    def group_rows(groups: list[Any], name: Callable[[str | None], str]) -> list[list[Any]]:
        return [[name(g.key), g.totals.count, g.totals.with_climate, g.totals.share_by_count,
                 g.totals.value_sek, g.totals.share_by_value] for g in groups]

    p, c = ind.procurements, ind.contracts
    missing = []
    if p.value_missing:
        missing.append(lab.t(
            f"{count(p.value_missing, 'sv', PROCUREMENTS_SV, PROCUREMENTS_EN)} saknar "
            "uppskattat värde och ingår inte i värdesummorna.",
            f"{count(p.value_missing, 'en', PROCUREMENTS_SV, PROCUREMENTS_EN)} without an "
            "estimated value are not in the value sums."))
    if c.value_missing:
        missing.append(lab.t(
            f"{c.value_missing} avtal saknar värde och ingår inte i värdesummorna.",
            f"{count(c.value_missing, 'en', ('', ''), ('contract', 'contracts'))} without a "
            "value are not in the value sums."))
    none = lab.t("Inga upphandlingar startades under året.", "No procurements started in the year.")
    return Section("procurement", lab.t("Upphandling med klimatkrav", "Procurement with climate "
                                        "criteria"),
                   intro=[lab.t("Upphandlingar som startade och avtal som tecknades under året "
                                "(avbrutna räknas inte), och hur stor del som hade klimatkrav.",
                                "Procurements started and contracts signed in the year "
                                "(cancelled ones left out), and how many had climate "
                                "criteria."), *missing],
                   tables=[
        TableData("totals", lab.t("Totalt", "Totals"), _totals_columns("", lab), [
            [lab.t("Upphandlingar startade", "Procurements started"), p.count, p.with_climate,
             p.share_by_count, p.value_sek, p.share_by_value],
            [lab.t("Avtal tecknade", "Contracts signed"), c.count, c.with_climate,
             c.share_by_count, c.value_sek, c.share_by_value]]),
        TableData("by_organisation", lab.t("Per organisation", "By organisation"),
                  _totals_columns(lab.t("Organisation", "Organisation"), lab),
                  group_rows(ind.by_organisation, lab.organisation), none),
        TableData("by_category", lab.t("Per kategori", "By category"),
                  _totals_columns(lab.t("Kategori", "Category"), lab),
                  group_rows(ind.by_category, lab.category), none),
        TableData("by_level", lab.t("Kravnivå", "Level of the criteria"),
                  [Column(lab.t("Nivå", "Level")), Column(lab.t("Upphandlingar",
                                                                "Procurements"), "int"),
                   Column(lab.t("Andel", "Share"), "share"), Column(lab.t("Värde", "Value"),
                                                                     "sek")],
                  [[lab.level(r.level), r.count, r.count / p.count if p.count else None,
                    r.value_sek] for r in ind.by_level] if p.count else [], none),
        TableData("by_kind", lab.t("Typ av krav (OCDS-strategi)",
                                   "Kind of criterion (OCDS strategy)"),
                  [Column(lab.t("Typ av krav", "Kind")), Column("OCDS"),
                   Column(lab.t("Upphandlingar", "Procurements"), "int"),
                   Column(lab.t("Krav", "Criteria"), "int")],
                  [[lab.kind(r.kind), r.strategy, r.procurements, r.criteria]
                   for r in ind.by_kind] if p.count else [], none,
                  note=lab.t("Kraven räknas i det skede av upphandlingen där de ställs; "
                             "typerna motsvarar OCDS sustainability.strategies.",
                             "Criteria counted at the stage of the procurement where they "
                             "are set; the kinds are OCDS sustainability.strategies.")),
    ])


def eforms_section(ind: FollowupIndicators, lab: Labels) -> Section:
    e = ind.eforms
    none = lab.t("Inga upphandlingar startades under året.", "No procurements started in the year.")
    intro = [lab.t(
        f"Så här skulle årets {e.total} upphandlingar räknas i Upphandlingsmyndighetens "
        f"statistikdatabas: {e.flagged_environmental} har en kod för miljöpåverkan (BT-774) "
        f"och räknas som miljömässigt hållbara ({fmt_share(e.share_flagged, 'sv')}).",
        f"How the year's {e.total} procurements would count in Upphandlingsmyndigheten's "
        f"statistics database: {e.flagged_environmental} carry an environmental-impact code "
        f"(BT-774) and count as environmentally sustainable "
        f"({fmt_share(e.share_flagged, 'en')}).")]
    if e.climate_without_bt774:
        intro.append(lab.t(
            f"{count(e.climate_without_bt774, 'sv', PROCUREMENTS_SV, PROCUREMENTS_EN)} med "
            "klimatkrav saknar BT-774-kod: i "
            "den nationella statistiken ser de ut att sakna miljökrav. Lägg till koden i "
            "annonsen.",
            "Procurements with climate criteria but no BT-774 code: "
            f"{e.climate_without_bt774}. The national statistics show them as without "
            "environmental requirements. Add the code to the notice."))
    return Section("eforms", lab.t("eForms och den nationella statistiken",
                                   "eForms and the national statistics"), intro, [
        TableData("bt805", lab.t("BT-805 Kriterier för grön upphandling",
                                 "BT-805 Green procurement criteria"),
                  [Column(lab.t("Kod", "Code")), Column(lab.t("Upphandlingar", "Procurements"),
                                                        "int")],
                  [[lab.gpp(k), n] for k, n in e.gpp_criteria.items()] if e.total else [], none),
        TableData("bt774", lab.t("BT-774 Miljöpåverkan", "BT-774 Environmental impact"),
                  [Column(lab.t("Kod", "Code")), Column(lab.t("Upphandlingar", "Procurements"),
                                                        "int")],
                  [[k, n] for k, n in e.environmental_impact.items()],
                  lab.t("Ingen upphandling har en BT-774-kod.",
                        "No procurement carries a BT-774 code.")),
    ])


def followup_section(ind: FollowupIndicators, lab: Labels) -> Section:
    f = ind.followup
    intro = [lab.t(
        f"{f.followed_up} av {f.active_with_climate} aktiva avtal med klimatkrav följdes upp "
        f"minst en gång under året ({fmt_share(f.coverage, 'sv')}). Försenade kontrollpunkter "
        f"och bevis bedöms per {ind.as_of.isoformat()}.",
        f"{f.followed_up} of {f.active_with_climate} active contracts with climate criteria "
        f"were followed up at least once in the year ({fmt_share(f.coverage, 'en')}). Overdue "
        f"checkpoints and evidence are judged as of {ind.as_of.isoformat()}.")]
    tiers = TableData("coverage", lab.t("Uppföljningstäckning per risknivå",
                                        "Follow-up coverage by risk tier"),
                      [Column(lab.t("Risknivå", "Risk tier")),
                       Column(lab.t("Aktiva avtal med klimatkrav",
                                    "Active contracts with climate criteria"), "int"),
                       Column(lab.t("Uppföljda", "Followed up"), "int"),
                       Column(lab.t("Täckning", "Coverage"), "share")],
                      [[lab.tier(t.tier), t.active_with_climate, t.followed_up,
                        t.followed_up / t.active_with_climate if t.active_with_climate else None]
                       for t in f.by_tier],
                      lab.t("Inga aktiva avtal med klimatkrav under året.",
                            "No active contracts with climate criteria in the year."))
    outcomes = TableData("milestones", lab.t("Kontrollpunkter som bedömts under året",
                                             "Checkpoints assessed in the year"),
                         [Column(lab.t("Utfall", "Outcome")), Column(lab.t("Antal", "Number"),
                                                                     "int")],
                         [[lab.milestone(k), n] for k, n in f.milestones.items()]
                         + [[lab.t("Planerade under året, ännu ej bedömda",
                                   "Due in the year, not yet assessed"), f.scheduled_due]])
    deviations = TableData("deviations", lab.t("Avvikelser, åtgärder och sanktioner",
                                               "Deviations, corrective actions and sanctions"),
                           [Column(lab.t("Vad", "What")), Column(lab.t("Antal", "Number"), "int"),
                            Column(lab.t("Belopp", "Amount"), "sek")],
                           [[lab.t("Avvikelser", "Deviations"), f.deviations, None],
                            [lab.t("Tillfällen", "Occurrences"), f.deviation_events, None],
                            *[[lab.t("Åtgärdsplaner: ", "Corrective actions: ")
                               + lab.corrective(k).lower(), n, None]
                              for k, n in f.corrective_actions.items()],
                            [lab.t("Sanktioner (vite, avdrag)", "Sanctions imposed"),
                             f.sanctions, f.sanctions_sek]])
    overdue = TableData("overdue", lab.t("Försenade kontrollpunkter per organisation",
                                         "Overdue checkpoints by organisation"),
                        [Column(lab.t("Organisation", "Organisation")),
                         Column(lab.t("Kontrollpunkter", "Checkpoints"), "int"),
                         Column(lab.t("Avtal", "Contracts"), "int"),
                         Column(lab.t("Äldsta förfallodag", "Oldest due date"), "date")],
                        [[lab.organisation(r.organisation), r.checkpoints, r.contracts,
                          r.oldest_due] for r in ind.overdue],
                        lab.t("Inga försenade kontrollpunkter.", "No overdue checkpoints."))
    ev = ind.evidence
    evidence = TableData("evidence", lab.t(
        f"Bevis som har gått ut ({ev.expired}) eller går ut inom {ev.days} dagar ({ev.expiring})",
        f"Evidence expired ({ev.expired}) or expiring within {ev.days} days ({ev.expiring})"),
        [Column(lab.t("Organisation", "Organisation")), Column(lab.t("Leverantör", "Supplier")),
         Column(lab.t("Krav", "Criterion")), Column(lab.t("Giltigt till", "Valid until"), "date"),
         Column(lab.t("Läge", "State"))],
        [[lab.organisation(r.organisation), r.supplier, r.criterion_id, r.valid_until,
          lab.evidence_state(r.state)] for r in ev.rows],
        lab.t("Inga bevis har gått ut eller går snart ut.", "No evidence expired or expiring."),
        pdf_rows=PDF_EVIDENCE_ROWS)
    return Section("followup", lab.t("Uppföljning av avtalen", "Follow-up of the contracts"),
                   intro, [tiers, outcomes, deviations, overdue, evidence])


def spend_section(ind: FollowupIndicators, lab: Labels) -> Section:
    s = ind.spend
    intro = [lab.t(
        f"Årets inköp enligt leverantörsreskontran: {count(s.lines, 'sv', LINES_SV, LINES_EN)}, "
        f"{fmt_sek(s.total_sek, 'sv')}. {fmt_share(s.covered_share, 'sv')} gick till "
        "leverantörer med ett aktivt avtal med klimatkrav.",
        f"The year's spend in the accounts-payable ledger: {count(s.lines, 'en', LINES_SV, LINES_EN)}, "
        f"{fmt_sek(s.total_sek, 'en')}. {fmt_share(s.covered_share, 'en')} went to suppliers "
        "holding an active contract with climate criteria.")]
    if s.unmatched_lines:
        intro.append(lab.t(
            f"{count(s.unmatched_lines, 'sv', LINES_SV, LINES_EN)} ({fmt_sek(s.unmatched_sek, 'sv')}) "
            "kunde inte knytas till en kategori; de räknas med i summan och listas nedan.",
            f"{count(s.unmatched_lines, 'en', LINES_SV, LINES_EN)} ({fmt_sek(s.unmatched_sek, 'en')}) "
            "could not be matched to a category; they are in the total and listed below."))
    spend_cols = [Column(lab.t("Kategori", "Category")), Column(lab.t("Rader", "Lines"), "int"),
                  Column(lab.t("Inköp", "Spend"), "sek"),
                  Column(lab.t("Med klimatkrav", "With climate criteria"), "sek"),
                  Column(lab.t("Andel", "Share"), "share")]
    return Section("spend", lab.t("Var pengarna går utan klimatkrav",
                                  "Where the money goes without climate criteria"), intro, [
        TableData("spend_by_category", lab.t("Inköp per kategori", "Spend by category"),
                  spend_cols, [[lab.category(r.category), r.lines, r.spend_sek, r.covered_sek,
                                r.covered_share] for r in s.categories],
                  lab.t("Inga inköp med kategori under året.",
                        "No spend with a category in the year.")),
        TableData("top_uncovered", lab.t("De tio kategorierna med mest inköp utan klimatkrav – "
                                         "här bör nästa upphandlingar börja",
                                         "The ten categories with most spend and no climate "
                                         "criteria – where the next procurements should start"),
                  [Column(lab.t("Kategori", "Category")), Column(lab.t("Rader", "Lines"), "int"),
                   Column(lab.t("Inköp", "Spend"), "sek")],
                  [[lab.category(r.category), r.lines, r.spend_sek] for r in s.top_uncovered],
                  lab.t("Alla kategorier med inköp har något avtal med klimatkrav.",
                        "Every category with spend has some contract with climate criteria.")),
        TableData("unmatched", lab.t("Inköp utan kategori, per leverantör",
                                     "Spend without a category, by supplier"),
                  [Column(lab.t("Leverantör", "Supplier")),
                   Column(lab.t("Organisationsnummer", "Organisation number")),
                   Column(lab.t("Rader", "Lines"), "int"), Column(lab.t("Inköp", "Spend"), "sek")],
                  [[u.supplier or lab.t("(namn saknas)", "(no name)"), u.org_number or "",
                    u.lines, u.spend_sek] for u in s.unmatched_suppliers],
                  lab.t("Alla rader har en kategori.", "Every line has a category."),
                  pdf_rows=PDF_UNMATCHED_ROWS),
    ])


NO_FACTORS = ("Ingen faktortabell angavs, så avsnittet om utsläpp är utelämnat. procure "
              "levererar ingen egen tabell: ingen källa vi har hittat publicerar faktorer (kg "
              "CO₂e per krona och kategori) under en licens som tillåter att de sprids. Ange en "
              "egen tabell med --factors (kontrollera den med procure report factors).",
              "No factor table was given, so the emissions section is left out. procure ships "
              "no table of its own: no source we found publishes factors (kg CO₂e per krona "
              "and category) under a licence that allows passing them on. Give your own table "
              "with --factors (check it with procure report factors).")


def emissions_section(ind: FollowupIndicators, em: EmissionIndication | None,
                      lab: Labels) -> Section:
    section = Section("emissions", lab.t("Utsläppsindikation", "Emissions indication"))
    if em is None:
        section.intro = [lab.t(*NO_FACTORS)]
        return section
    section.intro = [lab.t(
        f"En indikation, inte en mätning: inköp per kategori gånger en klimatfaktor per krona "
        f"ger storleksordningen {format_number(round(em.tonnes_co2e), 'sv')} ton CO₂e för "
        f"{fmt_sek(em.spend_with_factor_sek, 'sv')} av inköpen. Samma metod som "
        "Upphandlingsmyndighetens miljöspendanalys, som själv kallar resultatet en indikation.",
        f"An indication, not a measurement: spend per category times a climate factor per "
        f"krona gives an order of magnitude of {format_number(round(em.tonnes_co2e), 'en')} "
        f"tonnes CO₂e for {fmt_sek(em.spend_with_factor_sek, 'en')} of the spend. The method of "
        "Upphandlingsmyndigheten's miljöspendanalys, which itself calls the result an "
        "indication."),
        lab.t(f"Faktortabell: {em.table}.", f"Factor table: {em.table}.")]
    without = sum(s for _, s in em.without_factor) + em.unmatched_sek
    if without:
        section.intro.append(lab.t(
            f"{fmt_sek(without, 'sv')} av inköpen har ingen faktor (kategori utan faktor eller "
            "utan kategori) och ingår inte i indikationen.",
            f"{fmt_sek(without, 'en')} of the spend has no factor (a category without one, or "
            "no category) and is not in the indication."))
    section.tables = [
        TableData("emissions", lab.t("Indikation per kategori", "Indication by category"),
                  [Column(lab.t("Kategori", "Category")), Column(lab.t("Inköp", "Spend"), "sek"),
                   Column(lab.t("kg CO₂e/kr", "kg CO₂e/SEK"), "factor"),
                   Column(lab.t("Ton CO₂e", "Tonnes CO₂e"), "tonnes"),
                   Column(lab.t("Källa", "Source")), Column(lab.t("År", "Year")),
                   Column(lab.t("Region", "Region")), Column(lab.t("Licens", "Licence")),
                   Column(lab.t("Kvalitet", "Quality"))],
                  [[lab.category(r.category), r.spend_sek, r.factor.kg_co2e_per_sek,
                    r.tonnes_co2e, r.factor.source, str(r.factor.year), r.factor.region,
                    r.factor.licence, r.factor.quality_note] for r in em.rows],
                  lab.t("Ingen kategori med inköp har en faktor.",
                        "No category with spend has a factor.")),
        TableData("without_factor", lab.t("Kategorier utan faktor", "Categories without a factor"),
                  [Column(lab.t("Kategori", "Category")), Column(lab.t("Inköp", "Spend"), "sek")],
                  [[lab.category(c), s] for c, s in em.without_factor],
                  lab.t("Alla kategorier har en faktor.", "Every category has a factor.")),
    ]
    return section


def _headline_columns(first: str, lab: Labels, *, by_value: bool = True) -> list[Column]:
    value = [Column(lab.t("Andel av värdet", "Share of value"), "share")] if by_value else []
    return [Column(first), Column(lab.t("Upphandlingar", "Procurements"), "int"),
            Column(lab.t("Andel med klimatkrav", "Share with climate criteria"), "share"),
            *value, Column(lab.t("Avtal", "Contracts"), "int"),
            Column(lab.t("Andel uppföljda", "Share followed up"), "share"),
            Column(lab.t("Inköp", "Spend"), "msek"),
            Column(lab.t("Inköp med klimatkrav", "Spend with climate criteria"), "share")]


def _headline_row(h: Headline, name: str, *, by_value: bool = True) -> list[Any]:
    value = [h.procurements.share_by_value] if by_value else []
    return [name, h.procurements.count, h.procurements.share_by_count, *value,
            h.contracts.count, h.coverage, h.spend_sek, h.spend_covered_share]


def trend_section(ind: FollowupIndicators, lab: Labels) -> Section:
    intro = [] if len(ind.trend) > 1 else [lab.t(
        "Registret har inga tidigare år att jämföra med.",
        "The register holds no earlier years to compare with.")]
    return Section("trend", lab.t("Utveckling över åren", "Trend over the years"), intro, [
        TableData("trend", lab.t("Per år", "By year"), _headline_columns(lab.t("År", "Year"), lab),
                  [_headline_row(h, str(h.key)) for h in ind.trend])])


def organisations_section(ind: FollowupIndicators, lab: Labels) -> Section | None:
    if not ind.organisations:
        return None
    columns = [*_headline_columns(lab.t("Organisation", "Organisation"), lab, by_value=False),
               Column(lab.t("Försenade", "Overdue"), "int")]
    return Section("organisations", lab.t("Per organisation", "By organisation"), [], [
        TableData("organisations", lab.t("Nyckeltal per organisation",
                                         "Key figures by organisation"), columns,
                  [[*_headline_row(h, lab.organisation(str(h.key)), by_value=False), h.overdue]
                   for h in ind.organisations])])


def definitions(lab: Labels) -> list[str]:
    """How each figure is counted, for the reader who wants to check it."""
    return [
        lab.t("Under året: upphandlingar efter startdatum, avtal efter datum för "
              "undertecknande, inköp efter år i reskontran. Avbrutna räknas inte.",
              "In the year: procurements by start date, contracts by date signed, spend by "
              "ledger year. Cancelled ones are left out."),
        lab.t("Med klimatkrav: upphandlingen har klimatkrav; ett avtal har egna krav i "
              "registret eller kommer från en upphandling med klimatkrav.",
              "With climate criteria: the procurement has climate criteria; a contract has "
              "criteria of its own in the register or comes from a procurement that has."),
        lab.t("Aktivt avtal: varken vilande eller avbrutet, och avtalsperioden överlappar året.",
              "Active contract: neither pending nor cancelled, and its period overlaps the year."),
        lab.t("Uppföljt: minst en kontrollpunkt bedömd (uppfylld, ej uppfylld, delvis) under "
              "året, daterad efter senaste granskning, annars uppfyllt-datum, annars "
              "förfallodag.",
              "Followed up: at least one checkpoint assessed (met, not met, partially met) in "
              "the year, dated by its last review, else the date met, else its due date."),
        lab.t("Försenad: kontrollpunkt som passerat sin förfallodag utan att ha bedömts den dag "
              "rapporten avser (även om den bedömdes senare), på ett avtal som inte är avbrutet "
              "eller uppsagt.",
              "Overdue: a checkpoint past its due date and not yet assessed on the day the "
              "report judges at (even if assessed later), on a contract that is not cancelled "
              "or terminated."),
        lab.t("Inköp med klimatkrav: reskontrarader till en leverantör (organisationsnummer, "
              "annars namn) som har ett aktivt avtal med klimatkrav.",
              "Spend with climate criteria: ledger lines paid to a supplier (organisation "
              "number, else name) holding an active contract with climate criteria."),
    ]


def sections(ind: FollowupIndicators, lang: str, em: EmissionIndication | None = None,
             categories: CategoryNames | None = None) -> list[Section]:
    """Every detail section of the report, in reading order."""
    lab = Labels(lang, categories)
    found = [procurement_section(ind, lab), eforms_section(ind, lab),
             followup_section(ind, lab), spend_section(ind, lab),
             emissions_section(ind, em, lab), trend_section(ind, lab)]
    per_org = organisations_section(ind, lab)
    if per_org is not None:
        found.append(per_org)
    return found


def summary_rows(ind: FollowupIndicators, em: EmissionIndication | None, lang: str
                 ) -> list[tuple[str, str, str]]:
    """The summary page's key figures: (what, this year, the year before or '')."""
    lab = Labels(lang)
    before = next((h for h in reversed(ind.trend) if h.key == ind.year - 1), None)
    p, c, f, s = ind.procurements, ind.contracts, ind.followup, ind.spend

    def num(n: int) -> str:
        return format_number(n, lang)

    def prev(getter: Callable[[Headline], str]) -> str:
        return getter(before) if before is not None else ""

    rows = [
        (lab.t("Upphandlingar startade", "Procurements started"),
         f"{format_number(p.count, lang)} ({fmt_msek(p.value_sek, lang)})",
         prev(lambda h: f"{format_number(h.procurements.count, lang)} "
                        f"({fmt_msek(h.procurements.value_sek, lang)})")),
        (lab.t("– med klimatkrav, andel av antalet", "– with climate criteria, share by number"),
         fmt_share(p.share_by_count, lang), prev(lambda h: fmt_share(h.procurements.share_by_count,
                                                                      lang))),
        (lab.t("– med klimatkrav, andel av värdet", "– with climate criteria, share by value"),
         fmt_share(p.share_by_value, lang), prev(lambda h: fmt_share(h.procurements.share_by_value,
                                                                      lang))),
        (lab.t("Avtal tecknade", "Contracts signed"),
         f"{format_number(c.count, lang)} ({fmt_msek(c.value_sek, lang)})",
         prev(lambda h: f"{format_number(h.contracts.count, lang)} "
                        f"({fmt_msek(h.contracts.value_sek, lang)})")),
        (lab.t("– med klimatkrav, andel av antalet", "– with climate criteria, share by number"),
         fmt_share(c.share_by_count, lang), prev(lambda h: fmt_share(h.contracts.share_by_count,
                                                                      lang))),
        (lab.t("Avtal med klimatkrav som följts upp", "Contracts with climate criteria followed up"),
         f"{fmt_share(f.coverage, lang)} ({num(f.followed_up)} {lab.t('av', 'of')} "
         f"{num(f.active_with_climate)})",
         prev(lambda h: f"{fmt_share(h.coverage, lang)} ({num(h.followed_up)} "
                        f"{lab.t('av', 'of')} {num(h.active_with_climate)})")),
        (lab.t("Kontrollpunkter: uppfyllda / ej / delvis", "Checkpoints: met / not / partially"),
         " / ".join(num(f.milestones[k]) for k in ("met", "notMet", "partiallyMet")), ""),
        (lab.t("Avvikelser; sanktioner", "Deviations; sanctions"),
         f"{num(f.deviations)}; {num(f.sanctions)} ({fmt_sek(f.sanctions_sek, lang)})", ""),
        (lab.t(f"Försenade kontrollpunkter per {ind.as_of.isoformat()}",
               f"Overdue checkpoints as of {ind.as_of.isoformat()}"),
         format_number(sum(r.checkpoints for r in ind.overdue), lang), ""),
        (lab.t("Inköp enligt reskontran", "Spend in the ledger"), fmt_msek(s.total_sek, lang),
         prev(lambda h: fmt_msek(h.spend_sek, lang))),
        (lab.t("– till leverantörer med avtal med klimatkrav",
               "– to suppliers with contracts with climate criteria"),
         fmt_share(s.covered_share, lang), prev(lambda h: fmt_share(h.spend_covered_share, lang))),
        (lab.t("– utan kategori (listas i rapporten)", "– without a category (listed)"),
         f"{count(s.unmatched_lines, lang, LINES_SV, LINES_EN)}, "
         f"{fmt_sek(s.unmatched_sek, lang)}", ""),
        (lab.t("Skulle räknas som miljömässigt hållbara (BT-774)",
               "Would count as environmentally sustainable (BT-774)"),
         f"{num(ind.eforms.flagged_environmental)} {lab.t('av', 'of')} {num(ind.eforms.total)}",
         ""),
        (lab.t("Utsläppsindikation", "Emissions indication"),
         lab.t(f"ca {format_number(round(em.tonnes_co2e), lang)} ton CO₂e (indikation)",
               f"about {format_number(round(em.tonnes_co2e), lang)} t CO₂e (indication)")
         if em is not None else lab.t("ingen faktortabell", "no factor table"), ""),
    ]
    return rows


def report_dict(ind: FollowupIndicators, em: EmissionIndication | None, lang: str
                ) -> dict[str, Any]:
    """The JSON report: every figure under plain English keys, the emissions (or why not)."""
    data = ind.to_dict()
    data["emissions"] = em.to_dict() if em is not None else {
        "left_out": True, "reason": pick(lang, *NO_FACTORS)}
    data["lang"] = lang
    return data
