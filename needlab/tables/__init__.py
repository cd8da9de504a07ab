"""Survey tables: frequencies, weighted crosstabs and banners with significance letters,
column means, NPS / CSAT / top-box scores and raking weights."""

from needlab.tables.banner import BannerResult, banner
from needlab.tables.compare import ComparisonResult, compare_csat, compare_nps
from needlab.tables.crosstab import CrosstabResult, crosstab
from needlab.tables.csat import CSATResult, csat
from needlab.tables.freq import FreqResult, freq
from needlab.tables.means import MeansResult, compare_means
from needlab.tables.multi import Multi, multi
from needlab.tables.nps import NPSResult, nps
from needlab.tables.top_box import TopBoxResult, top_box
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
