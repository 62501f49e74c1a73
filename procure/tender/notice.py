"""Publication codes for the contract notice: what a buyer types into the eForms notice.

The codes come from the chosen criteria, not from the buyer's memory: BT-805 (green procurement
criteria, code list ``gpp-criteria``) and BT-774 (environmental impact, ``environmental-impact``)
are the union of the criteria's ``eforms`` fields; BT-06 (strategic procurement) is ``env-imp``
as soon as one climate criterion is chosen; the Clean Vehicles Directive fields are given when
the category (or a parent) is in the directive's scope, by its ``cvd`` field or by CPV. The same
content is offered as an OCDS ``tender.sustainability`` block for open-data publication.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from procure.model import CriteriaSet, SelectedCriterion
from procure.tender.spec import ProcurementSpec

GPP_CRITERIA = ("eu", "national", "other", "none")
ENVIRONMENTAL_IMPACT = ("clim-mitig", "clim-adapt", "circ-econ", "biodiv-eco", "pollu-prev",
                        "water-mar", "other")
CVD_CONTRACT_TYPES = ("veh-acq", "pass-tran-serv", "oth-serv-contr")

IMPACT_LABELS: dict[str, dict[str, str]] = {
    "clim-mitig": {"sv": "Begränsning av klimatförändringar", "en": "Climate change mitigation"},
    "clim-adapt": {"sv": "Anpassning till klimatförändringar", "en": "Climate change adaptation"},
    "circ-econ": {"sv": "Cirkulär ekonomi", "en": "Transition to a circular economy"},
    "biodiv-eco": {"sv": "Biologisk mångfald och ekosystem",
                   "en": "Biodiversity and ecosystems"},
    "pollu-prev": {"sv": "Förebyggande av föroreningar", "en": "Pollution prevention"},
    "water-mar": {"sv": "Vatten och marina resurser", "en": "Water and marine resources"},
    "other": {"sv": "Annan miljöpåverkan", "en": "Other environmental impact"},
}
GPP_LABELS: dict[str, dict[str, str]] = {
    "eu": {"sv": "EU:s kriterier för grön offentlig upphandling", "en": "EU GPP criteria"},
    "national": {"sv": "Nationella kriterier (Upphandlingsmyndigheten)",
                 "en": "National GPP criteria"},
    "other": {"sv": "Andra miljökriterier", "en": "Other green criteria"},
    "none": {"sv": "Inga", "en": "None"},
}
CVD_LABELS: dict[str, dict[str, str]] = {
    "veh-acq": {"sv": "Köp, leasing eller hyra av fordon",
                "en": "Purchase, lease or rental of vehicles"},
    "pass-tran-serv": {"sv": "Kollektivtrafik och särskild persontransport på väg",
                       "en": "Public road passenger transport services"},
    "oth-serv-contr": {"sv": "Andra tjänster (t.ex. avfallshämtning, post- och paketbud)",
                       "en": "Other services (e.g. refuse collection, mail and parcel transport)"},
}

# OCDS sustainability extension: goal per BT-774 code, strategy per criterion kind and BT-805
OCDS_GOALS = {
    "clim-mitig": "environmental.climateChangeMitigation",
    "clim-adapt": "environmental.climateChangeAdaptation",
    "circ-econ": "environmental.circularEconomy",
    "biodiv-eco": "environmental.biodiversityProtectionRestoration",
    "pollu-prev": "environmental.pollutionPrevention",
    "water-mar": "environmental.waterResourcesProtection",
    "other": "environmental",
}
OCDS_KIND_STRATEGIES = {
    "qualification": "selectionCriteria",
    "technical_spec": "technicalSpecifications",
    "award": "awardCriteria",
    "contract_clause": "contractPerformanceConditions",
}
OCDS_GPP_STRATEGIES = {"eu": "euGPPCriteria", "national": "nationalGPPCriteria",
                       "other": "otherGPPCriteria"}

# services in the Clean Vehicles Directive's scope, by CPV (Directive (EU) 2019/1161, Annex)
CVD_CPV = {
    "60112000": "pass-tran-serv", "60130000": "pass-tran-serv", "60140000": "pass-tran-serv",
    "90511000": "oth-serv-contr", "60160000": "oth-serv-contr", "60161000": "oth-serv-contr",
    "64121100": "oth-serv-contr", "64121200": "oth-serv-contr",
}


@dataclass
class Notice:
    """What goes into the contract notice for one procurement."""

    reference: str
    title: str
    criteria_set: str
    gpp_criteria: list[str]
    environmental_impact: list[str]
    strategic_procurement: list[str]
    cvd: dict[str, Any] | None
    cpv: list[str]
    ocds: dict[str, Any]
    by_criterion: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The notice as JSON-ready data, keyed by eForms business term."""
        return {
            "reference": self.reference,
            "title": self.title,
            "criteria_set": self.criteria_set,
            "eforms": {
                "BT-805": self.gpp_criteria,
                "BT-774": self.environmental_impact,
                "BT-06": self.strategic_procurement,
                "BT-262": self.cpv[:1],
                "BT-263": self.cpv[1:],
                "cvd": self.cvd,
            },
            "ocds": self.ocds,
            "criteria": self.by_criterion,
        }


def _cvd_type(criteria_set: CriteriaSet, category_id: str) -> tuple[str | None, str]:
    """The CVD contract type of the category (nearest parent with one), else from its CPV."""
    for cid in criteria_set.ancestors(category_id):
        cat = criteria_set.categories[cid]
        if cat.cvd:
            return cat.cvd, f"category {cid}"
    for cid in criteria_set.ancestors(category_id):
        for code in criteria_set.categories[cid].cpv:
            for prefix, kind in CVD_CPV.items():
                if code.startswith(prefix.rstrip("0")):
                    return kind, f"CPV {code}"
    return None, ""


def _sorted(values: set[str], order: tuple[str, ...]) -> list[str]:
    return sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v))


def build_notice(spec: ProcurementSpec, criteria_set: CriteriaSet,
                 selected: list[SelectedCriterion]) -> Notice:
    """Derive the notice codes from the spec's chosen criteria and category."""
    gpp: set[str] = set()
    impact: set[str] = set()
    per_goal: dict[str, set[str]] = {}
    per_goal_ids: dict[str, set[str]] = {}
    rows = []
    for s in selected:
        eforms = s.criterion.eforms or {}
        g = eforms.get("gpp_criteria")
        codes = [g] if isinstance(g, str) else list(g or [])
        gpp.update(codes)
        impacts = list(eforms.get("environmental_impact") or [])
        impact.update(impacts)
        for code in impacts:
            goal = OCDS_GOALS.get(code, "environmental")
            strategies = per_goal.setdefault(goal, set())
            per_goal_ids.setdefault(goal, set()).add(s.id)
            strategies.add(OCDS_KIND_STRATEGIES[s.kind])
            strategies.update(OCDS_GPP_STRATEGIES[c] for c in codes if c in OCDS_GPP_STRATEGIES)
        rows.append({"id": s.id, "kind": s.kind, "level": s.level,
                     "gpp_criteria": codes, "environmental_impact": impacts})
    gpp.discard("none")
    category = criteria_set.category(spec.category)
    cvd_type, cvd_source = _cvd_type(criteria_set, spec.category)
    cvd = None
    if cvd_type:
        cvd = {
            "BT-717": True,
            "BT-735": cvd_type,
            "source": cvd_source,
            "BT-723": None,
            "BT-725": None,
            "note": "BT-723 (vehicle category) and BT-725 (number of zero-emission vehicles) "
                    "are reported in the contract award notice, once the vehicles are known.",
        }
    order = ("selectionCriteria", "technicalSpecifications", "awardCriteria",
             "contractPerformanceConditions", "euGPPCriteria", "nationalGPPCriteria",
             "otherGPPCriteria")
    sustainability = [
        {"goal": goal, "strategies": _sorted(strategies, order),
         "description": f"{criteria_set.ref}, level {spec.level}: "
                        + ", ".join(sorted(per_goal_ids[goal]))}
        for goal, strategies in sorted(per_goal.items())
    ]
    ocds = {"tender": {"hasSustainability": bool(selected), "sustainability": sustainability}}
    return Notice(
        reference=spec.reference,
        title=spec.title,
        criteria_set=criteria_set.ref,
        gpp_criteria=_sorted(gpp, GPP_CRITERIA) or ["none"],
        environmental_impact=_sorted(impact, ENVIRONMENTAL_IMPACT),
        strategic_procurement=["env-imp"] if selected else ["none"],
        cvd=cvd,
        cpv=list(category.cpv),
        ocds=ocds,
        by_criterion=rows,
    )


def notice_lines(notice: Notice, lang: str = "sv") -> list[str]:
    """The notice as plain lines for the terminal, with each code's meaning."""
    sv = lang == "sv"
    lines = [f"{notice.reference} — {notice.title}".strip(" —"),
             f"{'Kriterier från' if sv else 'Criteria from'} {notice.criteria_set}", ""]
    lines.append("BT-805 " + ("Kriterier för grön upphandling (gpp-criteria)" if sv
                              else "Green procurement criteria (gpp-criteria)") + ":")
    lines += [f"  {c:<10} {GPP_LABELS.get(c, {}).get(lang, '')}" for c in notice.gpp_criteria]
    lines.append("BT-774 " + ("Miljöpåverkan (environmental-impact)" if sv
                              else "Green procurement (environmental-impact)") + ":")
    if notice.environmental_impact:
        lines += [f"  {c:<10} {IMPACT_LABELS.get(c, {}).get(lang, '')}"
                  for c in notice.environmental_impact]
    else:
        lines.append("  " + ("(ingen)" if sv else "(none)"))
    lines.append("BT-06  " + ("Strategisk upphandling" if sv else "Strategic procurement") + ": "
                 + ", ".join(notice.strategic_procurement))
    if notice.cpv:
        lines.append("BT-262 " + ("Huvudsaklig CPV-kod" if sv else "Main CPV code") + ": "
                     + notice.cpv[0])
        if notice.cpv[1:]:
            lines.append("BT-263 " + ("Ytterligare CPV-koder" if sv else "Additional CPV codes")
                         + ": " + ", ".join(notice.cpv[1:]))
    if notice.cvd:
        kind = notice.cvd["BT-735"]
        lines += [
            "BT-717 " + ("Omfattas av fordonsdirektivet (CVD)" if sv
                         else "Clean Vehicles Directive applies") + ": "
            + ("ja" if sv else "yes") + f" ({notice.cvd['source']})",
            f"BT-735 {'Avtalstyp enligt CVD' if sv else 'CVD contract type'}: {kind} "
            f"({CVD_LABELS.get(kind, {}).get(lang, '')})",
            "BT-723, BT-725: " + ("fordonskategori och antal nollutsläppsfordon anges i "
                                  "meddelandet om tilldelning" if sv else
                                  "vehicle category and number of zero-emission vehicles go in "
                                  "the contract award notice"),
        ]
    else:
        lines.append("CVD: " + ("kategorin omfattas inte av fordonsdirektivet" if sv
                                else "the category is outside the Clean Vehicles Directive"))
    lines.append("")
    lines.append("OCDS tender.sustainability:")
    for entry in notice.ocds["tender"]["sustainability"]:
        if "goal" in entry:
            lines.append(f"  {entry['goal']}: {', '.join(entry['strategies'])}")
    return lines
