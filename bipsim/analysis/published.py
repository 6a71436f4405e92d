"""What each published BIP figure is to the model, where it comes from and how well it is known.

One declaration per figure of :data:`bipsim.analysis.calibration.TARGETS` (by its key): its role (:data:`ROLES`:
an *input* the model is given, an *outcome* it must produce, a *rule* it implements), the scale on which its
uncertainty is compared (logit for a share, log for a ratio or count), its source, and the uncertainty the source
implies: the number of citizens (or job entries) behind a share or a ratio's standard error, plus the published
rounding. Outcomes add a declared model discrepancy (:data:`DISCREPANCY_SD`). A figure is reproduced when its
implausibility, the distance from the published value in those standard deviations, is at most
:data:`IMPLAUSIBILITY_CUTOFF`; nothing is a hand-set tolerance. History matching
(:mod:`bipsim.ensemble.history_matching`) judges parameter vectors by the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ASSOCIATION_SE = 0.15
"""Standard error of an adjusted log hazard ratio at BIP's size: the model SEs of the study's adjusted hazard in
the recorded recovery study (docs/recovery.json) lie between 0.13 and 0.18. BIP's public material gives no
interval for the published associations, so they are known no better than this."""

DISCREPANCY_SD = 0.10
"""Declared model discrepancy of every outcome figure, as a standard deviation on its model scale (logit of a
share, log of a ratio or count): about 10% in the odds or the ratio. The model is a stylised cohort (one labour
market, eleven indicators, rules without their exceptions), so even at its best parameters its expected figures
may differ from the real cohort's by this much. A judgement, declared once (Vernon et al. 2010 use the same kind
of term); inputs, which the model is given, carry none."""

IMPLAUSIBILITY_CUTOFF = 3.0
"""A figure is reproduced when its implausibility (the distance from the published value in standard deviations
of the published figure's uncertainty, the discrepancy and the Monte Carlo error) is at most this: Pukelsheim's
three-sigma rule, as in history matching (Vernon et al. 2010)."""

SHARE_FLOOR = 0.001
"""A simulated share of 0 or 1 is read as this far inside, so that its logit is finite."""

ROLES = ("input", "outcome", "rule")
"""What a published figure is to the model: an *input* it is given (population shares, history), an *outcome* it
must produce (the calibration targets), or a *rule* it implements (the refusion schedule)."""

SCALES = ("share", "ratio", "count")


def to_model_scale(scale: str, value: float | None) -> float:
    """A figure on the scale where its uncertainty is compared: logit for a share, log for a ratio or a count."""
    if value is None or not math.isfinite(float(value)):
        return math.nan
    value = float(value)
    if scale == "share":
        p = min(max(value, SHARE_FLOOR), 1 - SHARE_FLOOR)
        return math.log(p / (1 - p))
    return math.log(max(value, 1e-12))


def from_model_scale(scale: str, value: float) -> float:
    """A figure back on its published scale (the inverse of :func:`to_model_scale`)."""
    if not math.isfinite(value):
        return math.nan
    return 1 / (1 + math.exp(-value)) if scale == "share" else math.exp(value)


SOURCE_PROJECT = (
    "Væksthusets Forskningscenter, BIP project page (vaeksthusets-forskningscenter.dk/projects/"
    "beskaeftigelses-indikator-projektet): about 4,000 citizens and more than 300 jobcentre staff in 10 jobcentres, "
    "2011-2016 (measurements 2013-2016)"
)
SOURCE_CITIZENS = (
    "Væksthusets Forskningscenter (2017), 'Karakteristik af borgerne i BIP' (register analyses by M. Rosholm, Aarhus "
    "University), as its announcement 'To nye udgivelser fra BIP' (vaeksthusets-forskningscenter.dk/news/"
    "to-nye-udgivelser-fra-bip) states it; table and page not checked"
)
SOURCE_CASEWORKERS = (
    "Væksthusets Forskningscenter (2017), BIP analysis of the caseworker's role, as its announcement 'To nye "
    "udgivelser fra BIP' states it (23% vs 7%); table and page not checked"
)
SOURCE_RESULTS = (
    "BIP results, Væksthusets Forskningscenter 2017-2018 (analyses by M. Rosholm), as summarised in the project's "
    "public material; the report, table and page are not identified here"
)
SOURCE_REFORM = "The 2016 reform of the state reimbursement of municipalities' benefit costs (refusionsreformen)"


@dataclass(frozen=True)
class Published:
    """How a published figure stands to the model and how well its source knows it (see the module doc)."""

    role: str
    scale: str
    source: str
    sample_size: float | None = None
    standard_error: float | None = None
    rounding: float = 0.0
    basis: str = ""

    def observation_variance(self, value: float) -> float:
        """Variance of the published ``value`` on its model scale: sampling (sample size or SE) plus rounding."""
        if self.scale == "share":
            variance = self.rounding**2 / 3 + (value * (1 - value) / self.sample_size if self.sample_size else 0.0)
            return variance / (value * (1 - value)) ** 2
        return (self.standard_error or 0.0) ** 2 + (self.rounding / value) ** 2 / 3

    def variance(self, value: float) -> float:
        """The variance the model's expected figure is judged by: the source's plus, for outcomes, the discrepancy."""
        return self.observation_variance(value) + (DISCREPANCY_SD**2 if self.role == "outcome" else 0.0)

    def uncertainty(self, value: float) -> float:
        """The published figure's own standard deviation on the published scale (delta method), for tables."""
        slope = value * (1 - value) if self.scale == "share" else value
        return math.sqrt(self.observation_variance(value)) * slope

    def implausibility(self, published: float, simulated: float | None, mc_variance: float = 0.0) -> float:
        """How many standard deviations ``simulated`` (the model's expected figure) lies from ``published``."""
        if simulated is None or not math.isfinite(float(simulated)):
            return math.nan
        distance = to_model_scale(self.scale, simulated) - to_model_scale(self.scale, published)
        return abs(distance) / math.sqrt(self.variance(published) + (mc_variance if math.isfinite(mc_variance) else 0))


_SHARE_N = "~4,000 citizens"
_ASSOCIATION = "log-scale SE of the study's adjusted hazard model at BIP's size (recorded recovery study)"

PUBLISHED: dict[str, Published] = {
    "participants": Published("input", "count", SOURCE_PROJECT, rounding=250, basis="'about 4,000'"),
    "jobcentres": Published("input", "count", SOURCE_PROJECT, rounding=0.5, basis="a count"),
    "caseworkers": Published("outcome", "count", SOURCE_PROJECT, rounding=30, basis="'more than 300' read as 300-360"),
    "job_1y_believed": Published(
        "outcome", "share", SOURCE_RESULTS, 240, rounding=0.005, basis="the ~6% of ~4,000 the caseworker said yes to"
    ),
    "job_1y_not_believed": Published(
        "outcome", "share", SOURCE_RESULTS, 2000, rounding=0.005, basis="the about half the caseworker doubted"
    ),
    "belief_yes": Published("outcome", "share", SOURCE_RESULTS, 4000, rounding=0.01, basis="first answers; '~6%'"),
    "belief_good": Published("outcome", "share", SOURCE_RESULTS, 4000, rounding=0.01, basis="first answers; '~20%'"),
    "belief_no": Published(
        "outcome", "share", SOURCE_RESULTS, 4000, rounding=0.05, basis="first answers; 'about half'"
    ),
    "change_share": Published("outcome", "share", SOURCE_RESULTS, 4000, rounding=0.005, basis=_SHARE_N),
    "change_job_ratio": Published(
        "outcome",
        "ratio",
        SOURCE_RESULTS,
        standard_error=0.07,
        rounding=0.005,
        basis="log SE of a rate ratio of ~800 job entries, 40% after a change: sqrt(1/320 + 1/480)",
    ),
    "caseworker_best": Published(
        "outcome", "share", SOURCE_CASEWORKERS, 800, rounding=0.005, basis="the ~800 citizens of a fifth of caseworkers"
    ),
    "caseworker_least": Published(
        "outcome", "share", SOURCE_CASEWORKERS, 800, rounding=0.005, basis="the ~800 citizens of a fifth of caseworkers"
    ),
    "history_job_education": Published("input", "share", SOURCE_CITIZENS, 4000, rounding=0.005, basis=_SHARE_N),
    "history_long_support": Published(
        "input",
        "share",
        SOURCE_PROJECT,
        4000,
        rounding=0.005,
        basis="published for all activity-ready recipients in Denmark; ~4,000 here",
    ),
    "no_vocational_qualification": Published("input", "share", SOURCE_CITIZENS, 4000, rounding=0.05, basis="'7 in 10'"),
    "psychiatric_diagnosis": Published("input", "share", SOURCE_CITIZENS, 4000, rounding=0.05, basis="'up to half'"),
    "musculoskeletal_disorder": Published(
        "input", "share", SOURCE_CITIZENS, 4000, rounding=0.05, basis="'every fifth'"
    ),
    "job_stop_3m": Published("outcome", "share", SOURCE_RESULTS, 800, rounding=0.005, basis="~800 job entries"),
    "job_stay_12m": Published("outcome", "share", SOURCE_RESULTS, 800, rounding=0.005, basis="~800 job entries"),
    "no_offer_65w": Published(
        "outcome", "share", SOURCE_RESULTS, 2500, rounding=0.025, basis="~2,500 mostly on assistance; 'about 1 in 4'"
    ),
    "association_belief": Published("outcome", "ratio", SOURCE_RESULTS, None, ASSOCIATION_SE, 0.005, _ASSOCIATION),
    "association_private_placement": Published(
        "outcome", "ratio", SOURCE_RESULTS, None, ASSOCIATION_SE, 0.005, _ASSOCIATION
    ),
    "association_public_placement": Published(
        "outcome", "ratio", SOURCE_RESULTS, None, ASSOCIATION_SE, 0.005, _ASSOCIATION
    ),
    "association_other_activation": Published(
        "outcome", "ratio", SOURCE_RESULTS, None, ASSOCIATION_SE, 0.005, _ASSOCIATION
    ),
    "refusion": Published("rule", "share", SOURCE_REFORM),
}
"""Every figure of :data:`bipsim.analysis.calibration.TARGETS`, inputs and outcomes apart, with its source."""
