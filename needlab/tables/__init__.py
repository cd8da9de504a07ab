"""Survey tables: frequencies, weighted crosstabs and banners with significance letters,
column means, NPS / CSAT / top-box scores and raking weights."""

from needlab.tables.banner import BannerResult, banner
from needlab.tables.crosstab import CrosstabResult, crosstab
from needlab.tables.freq import FreqResult, freq
from needlab.tables.means import MeansResult, compare_means
from needlab.tables.multi import Multi, multi
from needlab.tables.scores import (
    ComparisonResult,
    CSATResult,
    NPSResult,
    TopBoxResult,
    compare_csat,
    compare_nps,
    csat,
    nps,
    top_box,
)
from needlab.tables.weighting import RakeResult, rake

__all__ = [
    "BannerResult",
    "CSATResult",
    "ComparisonResult",
    "NPSResult",
    "TopBoxResult",
    "CrosstabResult",
    "FreqResult",
    "MeansResult",
    "Multi",
    "RakeResult",
    "banner",
    "compare_csat",
    "compare_means",
    "compare_nps",
    "crosstab",
    "csat",
    "freq",
    "multi",
    "nps",
    "rake",
    "top_box",
]
