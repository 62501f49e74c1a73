"""Generate the example municipal group's register files (seeded: the same files every run).

Exempelkommun: six administrations and two municipal companies, about 150 procurements
started 2024–2026, contracts with follow-ups recorded until the end of September 2026 (so some
checkpoints are overdue on 30 November 2026, the example's "today"), a few deviations, spend
ledgers for 2024, 2025 and 2026, and three category corrections a buyer made.

Every name and organisation number here is invented. Run from the repository root:

    PYTHONPATH=. python examples/register/make_register.py
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from procure.criteria import load_criteria_set, select
from procure.register.importer import tiers_for
from procure.register.plan import Followed, TierPolicy, needs_follow_up, schedule

HERE = Path(__file__).resolve().parent
SEED = 20261130
AS_OF = dt.date(2026, 11, 30)
RECORDED_UNTIL = dt.date(2026, 9, 30)

ADMINISTRATIONS = {
    "KS": "Kommunstyrelseförvaltningen",
    "BUF": "Barn- och utbildningsförvaltningen",
    "SOC": "Socialförvaltningen",
    "TF": "Tekniska förvaltningen",
    "KFF": "Kultur- och fritidsförvaltningen",
    "MBF": "Miljö- och byggförvaltningen",
    "EBO": "Exempelbostäder AB",
    "EEN": "Exempel Energi AB",
}

# (category id or the free text a register holds, title, organisations, value range MSEK)
PURCHASES = [
    ("transport.school", "Skolskjuts {area}", ["BUF"], (8, 60)),
    ("transport.special", "Färdtjänst och sjukresor", ["SOC"], (10, 40)),
    ("transport.waste", "Avfallshämtning {area}", ["TF"], (15, 80)),
    ("food.catering", "Måltidstjänster äldreboenden", ["SOC"], (6, 30)),
    ("food.products", "Livsmedel till skolrestauranger", ["BUF"], (10, 50)),
    ("Livsmedel frukt och grönt", "Frukt och grönt", ["BUF", "SOC"], (2, 8)),
    ("cleaning.services", "Lokalvård {area}", ["KS", "BUF", "EBO"], (3, 25)),
    ("Städning av trapphus", "Trapphusstädning", ["EBO"], (1, 6)),
    ("cleaning.chemicals", "Rengöringsmedel och förbrukningsmaterial", ["KS"], (0.5, 3)),
    ("construction.buildings", "Nybyggnad av {building}", ["KS", "EBO"], (40, 250)),
    ("construction.renovation", "Renovering av {building}", ["EBO", "KS"], (5, 90)),
    ("construction.civil", "Gatu- och VA-arbeten {area}", ["TF"], (10, 120)),
    ("Asfaltering av gator", "Beläggningsarbeten {area}", ["TF"], (5, 30)),
    ("energy.electricity", "Elavtal för kommunkoncernen", ["KS"], (20, 60)),
    ("energy.fuels", "Drivmedel och tankkort", ["TF", "SOC"], (3, 15)),
    ("energy.heating", "Biobränsle till värmeverket", ["EEN"], (20, 90)),
    ("facility.grounds", "Park- och grönyteskötsel {area}", ["TF", "EBO"], (2, 12)),
    ("facility.snow", "Snöröjning och halkbekämpning {area}", ["TF", "EBO"], (3, 18)),
    ("facility.property", "Fastighetsskötsel {area}", ["EBO"], (4, 20)),
    ("furniture.new", "Möbler till {building}", ["BUF", "KS"], (0.5, 5)),
    ("furniture.refurbished", "Återbrukade kontorsmöbler", ["KS"], (0.3, 2)),
    ("it.computers", "Datorer och bildskärmar", ["KS", "BUF"], (5, 30)),
    ("it.phones", "Mobiltelefoner och surfplattor", ["KS"], (2, 10)),
    ("it.printers", "Skrivare och utskriftstjänster", ["KS"], (1, 5)),
    ("Konsulttjänster inom IT-drift", "IT-driftstjänster", ["KS"], (5, 25)),
    ("office", "Kontorsmaterial och papper", ["KS", "MBF"], (0.5, 3)),
    ("textiles.workwear", "Arbetskläder", ["TF", "SOC"], (1, 6)),
    ("textiles.laundry", "Tvätt av arbetskläder och textilier", ["SOC"], (2, 8)),
    ("vehicles.leasing", "Leasing av personbilar", ["KS", "SOC", "MBF"], (3, 15)),
    ("vehicles.heavy", "Lastbilar till renhållningen", ["TF"], (4, 20)),
    ("machines", "Arbetsmaskiner", ["TF", "EEN"], (2, 12)),
    ("events", "Konferenser och evenemang", ["KFF", "KS"], (0.5, 3)),
    ("travel", "Resetjänster", ["KS"], (1, 5)),
    ("Bevakningstjänster", "Bevakning och larm", ["KS", "EBO"], (2, 10)),
]
AREAS = ["norra området", "södra området", "centrum", "landsbygden", "östra området"]
BUILDINGS = ["Björkskolan", "Ekbackens förskola", "Sjöviks äldreboende", "simhallen",
             "kvarteret Tallen", "stadshuset", "Lärkans LSS-boende"]
SUPPLIER_WORDS = ["Norr", "Kust", "Älvdals", "Grön", "Miljö", "Bygg", "Service", "Fjäll",
                  "Skog", "Dal", "Sjö", "Berg"]
SUPPLIER_KINDS = ["AB", "Entreprenad AB", "Service AB", "& Co AB", "Sverige AB"]
DEVIATIONS = [
    ("fel drivmedel", "fossil diesel i stället för HVO100", "vite 5 000 kr per fordon och månad"),
    ("rapport saknas", "årlig klimatredovisning kom inte in", "vite 10 000 kr"),
    ("omärkt produkt", "omärkta rengöringsmedel levererade", "vite 2 000 kr per leverans"),
    ("färre elfordon", "färre nollutsläppsfordon än i anbudet", "vite 10 000 kr per fordon"),
    ("intyg utgånget", "licensen för miljömärkningen hade gått ut", "hävning vid upprepning"),
]
ACCOUNT_TEXTS = {
    "transport": ("Skolskjuts", "Resor och transporter"), "food": ("Livsmedel", "Livsmedel"),
    "cleaning": ("Städtjänster", "Lokalvård"), "construction": ("Byggentreprenad", "Bygg"),
    "energy": ("El och värme", "Energi"), "facility": ("Fastighetsskötsel", "Utemiljö"),
    "furniture": ("Inventarier", "Möbler"), "it": ("IT-utrustning", "Datorer"),
    "office": ("Kontorsmaterial", "Förbrukning"), "textiles": ("Arbetskläder", "Textil"),
    "vehicles": ("Fordon", "Leasing"), "machines": ("Maskiner", "Maskinhyra"),
    "events": ("Konferens", "Representation"), "travel": ("Resor", "Tjänsteresor"),
}


def org_number(rng: random.Random) -> str:
    return f"55{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}"


def supplier(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(SUPPLIER_WORDS)}{rng.choice(SUPPLIER_WORDS).lower()} " \
           f"{rng.choice(SUPPLIER_KINDS)}", org_number(rng)


def amount(value: float) -> str:
    """Swedish style: 1 234 567,50."""
    whole, frac = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", " ") + "," + frac


def write_csv(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    library = load_criteria_set()
    contracts_rows, followups, deviations, spend = [], [], [], {2024: [], 2025: [], 2026: []}
    suppliers: list[tuple[str, str, str, str]] = []  # name, org, category, organisation
    numbers = {2024: 11, 2025: 7, 2026: 5}
    for _n in range(150):
        category, title, orgs, (low, high) = rng.choice(PURCHASES)
        org_code = rng.choice(orgs)
        year = rng.choice([2024, 2024, 2025, 2025, 2026])
        numbers[year] += rng.randint(1, 9)
        reference = f"{org_code} {year}/{numbers[year]:04d}"
        start = dt.date(year, rng.choice([1, 3, 4, 7, 9, 10]), 1)
        years = rng.choice([1, 2, 2, 3, 4])
        end = dt.date(start.year + years, start.month, 1) - dt.timedelta(days=1)
        value = round(rng.uniform(low, high) * 1e6, -3)
        title = title.format(area=rng.choice(AREAS), building=rng.choice(BUILDINGS))
        climate = rng.random() < 0.8
        level = rng.choice(["bas", "bas", "avancerad", "avancerad", "spjutspets"]) \
            if climate else ""
        category_id = category if category in library.categories else None
        chosen = []
        if climate and category_id:
            chosen = [s for s in select(library, category_id, level)
                      if s.kind in ("contract_clause", "technical_spec")][:4]
        awarded = start <= AS_OF and rng.random() < 0.92
        name, org = supplier(rng) if awarded else ("", "")
        contracts_rows.append([
            reference, title, ADMINISTRATIONS[org_code], category, amount(value),
            start.isoformat(), end.isoformat(), "ja" if climate else "nej", level, name, org,
            ", ".join(s.id for s in chosen)])
        if awarded:
            suppliers.append((name, org, category_id or "", ADMINISTRATIONS[org_code]))
        if awarded:
            followed = [Followed(s.id, s.criterion.version, s.kind, "", None,
                                 s.answer.evidence_required) for s in chosen]
            contracts_rows[-1] += [value, [f for f in followed if needs_follow_up(f)]]
    # the plan's dates depend on tiers, ranked by value among all contracts, as import does
    awarded_rows = [row for row in contracts_rows if len(row) > 12]
    tiers = tiers_for([row[12] for row in awarded_rows], [], TierPolicy())
    for row, tier in zip(awarded_rows, tiers):
        value, followed = row.pop(12), row.pop(12)
        start, end = dt.date.fromisoformat(row[5]), dt.date.fromisoformat(row[6])
        diligent = rng.random()  # how well this contract is followed up
        for point in schedule(followed, start, end, tier, TierPolicy()):
            if point.due > RECORDED_UNTIL or rng.random() > diligent:
                continue
            status = rng.choices(["met", "partiallyMet", "notMet"], [85, 9, 6])[0]
            evidence = rng.random() < 0.6
            valid = point.due + dt.timedelta(days=rng.choice([120, 240, 365, 420])) \
                if evidence else None
            followups.append([row[0], point.criterion_id,
                              (point.due + dt.timedelta(days=rng.randint(0, 20))).isoformat(),
                              status, f"Intyg {point.criterion_id} {point.due:%Y-%m}"
                              if evidence else "", valid.isoformat() if valid else "",
                              "" if status == "met" else "Kompletteras vid nästa möte",
                              rng.choice(["Anna Lind", "Erik Berg", "Sara Nyström"])])
            if status == "notMet" and len(deviations) < 12:
                category, description, sanction = rng.choice(DEVIATIONS)
                imposed = rng.choice(["", "10000", "25000", "50000"])
                deviations.append([row[0], point.criterion_id, category, description,
                                   rng.randint(1, 4), sanction, imposed,
                                   "Åtgärdsplan från leverantören",
                                   (point.due + dt.timedelta(days=60)).isoformat()])
    others = [(f"{w} Handel AB", org_number(rng), "", rng.choice(list(ADMINISTRATIONS.values())))
              for w in SUPPLIER_WORDS[:8]]
    for year in (2024, 2025, 2026):
        for i in range(120):
            name, org, category, organisation = rng.choice(suppliers + others)
            area = category.split(".")[0] if category else ""
            account, invoice = ACCOUNT_TEXTS.get(area, ("Övriga tjänster", "Diverse"))
            spend[year].append([f"LF{year % 100}{i:05d}", f"{year}-{rng.randint(1, 12):02d}-"
                                f"{rng.randint(1, 28):02d}", name, org, organisation, account,
                                f"{invoice} {rng.choice(['januari', 'mars', 'juni', 'hösten'])}",
                                amount(round(rng.uniform(2_000, 400_000), 2))])
    write_csv("avtalsregister.csv", ["Diarienummer", "Benämning", "Förvaltning", "Kategori",
                                     "Avtalsvärde", "Startdatum", "Slutdatum", "Klimatkrav",
                                     "Nivå", "Leverantör", "Organisationsnummer", "Kriterier"],
              contracts_rows)
    write_csv("uppfoljningar.csv", ["Diarienummer", "Kriterium", "Datum", "Status", "Bevis",
                                    "Giltigt till", "Anteckning", "Vem"], followups)
    # how the corrective actions went, for those due before the data's end: decided from what
    # is drawn above (no further draws, so the other files stay as they were)
    for n, deviation in enumerate(deviations):
        due = dt.date.fromisoformat(deviation[8])
        decided = due + dt.timedelta(days=14)
        outcome = "" if decided > dt.date(2026, 10, 31) else \
            "ej genomförd" if n % 4 == 3 else "genomförd"
        deviation += [outcome, decided.isoformat() if outcome else ""]
    write_csv("avvikelser.csv", ["Diarienummer", "Kriterium", "Kategori", "Beskrivning",
                                 "Antal", "Sanktion enligt avtal", "Sanktion (kr)", "Åtgärd",
                                 "Åtgärd senast", "Utfall", "Utfall datum"], deviations)
    for year, rows in spend.items():
        write_csv(f"reskontra-{year}.csv", ["Verifikation", "Datum", "Leverantör",
                                            "Organisationsnummer", "Förvaltning", "Kontotext",
                                            "Fakturatext", "Belopp"], rows)
    corrections = [[org, "facility.property"] for _, org, _, _ in others[:2]] + \
        [[others[2][1], "office"]]
    write_csv("rattelser.csv", ["Organisationsnummer", "Kategori"], corrections)
    print(f"{len(contracts_rows)} procurements, {len(followups)} follow-ups, "
          f"{len(deviations)} deviations, {sum(len(r) for r in spend.values())} spend lines")


if __name__ == "__main__":
    main()
