"""Engagement formulas as pure functions (../shared/DOMAIN.md §8), fed by SQL aggregates.

No ORM here: callers pass counts, sums and per-customer summaries. A measure without data
returns None values, never 0. Conventions: NPS and net sentiment in points (−100…100);
shares named `*_percent` in 0…100; rates and ratios (retention, churn, DAU/MAU) in 0…1.
"""

from metrics.calculations.clv import BtabokClv, btabok_clv
from metrics.calculations.interaction import (
    ChannelCount,
    ChannelMix,
    channel_mix,
    channel_mix_by_stage,
)
from metrics.calculations.social import (
    Advocate,
    Bucket,
    Sentiment,
    SentimentSummary,
    mentions_over_time,
    sentiment_summary,
    top_advocates,
)
from metrics.calculations.stickiness import (
    ActiveDays,
    CohortRow,
    Retention,
    active_days,
    active_ratio,
    annual_churn,
    cohort_table,
    dau_mau,
    retention,
    wau_mau,
)
from metrics.calculations.survey import (
    Ces,
    Csat,
    Nps,
    NpsGroup,
    NpsInterval,
    ces,
    csat,
    nps,
    nps_group,
)

__all__ = [
    "ActiveDays",
    "Advocate",
    "BgNbd",
    "BtabokClv",
    "Bucket",
    "Ces",
    "ChannelCount",
    "ChannelMix",
    "CohortRow",
    "Csat",
    "GammaGamma",
    "Nps",
    "NpsGroup",
    "NpsInterval",
    "Retention",
    "Sentiment",
    "SentimentSummary",
    "active_days",
    "active_ratio",
    "annual_churn",
    "bg_nbd_expected_purchases",
    "bg_nbd_probability_alive",
    "btabok_clv",
    "ces",
    "channel_mix",
    "channel_mix_by_stage",
    "cohort_table",
    "csat",
    "dau_mau",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "gamma_gamma_expected_spend",
    "mentions_over_time",
    "nps",
    "nps_group",
    "probabilistic_clv",
    "retention",
    "sentiment_summary",
    "top_advocates",
    "wau_mau",
]

# The BG/NBD + Gamma-Gamma model needs numpy and scipy (~75 MiB and ~1.3 s to import): it
# loads when first used, so web processes and the pack renderer never carry it.
_MODEL_NAMES = {
    "BgNbd",
    "GammaGamma",
    "bg_nbd_expected_purchases",
    "bg_nbd_probability_alive",
    "fit_bg_nbd",
    "fit_gamma_gamma",
    "gamma_gamma_expected_spend",
    "probabilistic_clv",
}


def __getattr__(name: str):
    if name in _MODEL_NAMES:
        from metrics.calculations import probabilistic

        return getattr(probabilistic, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
