"""needlab: customer-needs research in Python.

Load survey exports with their codebook, check their quality, segment customers, analyse needs
(crosstabs, key drivers, Kano, pain points), prioritise, plan and monitor. The public API is flat:
``import needlab as nl`` then ``nl.read_survey(...)``.

Heavy libraries (matplotlib, seaborn, scikit-learn, statsmodels, scipy) are imported inside the
functions that need them, so ``import needlab`` stays fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

from needlab.datasets import load_sample, make_sample, write_sample
from needlab.errors import ConfigError, DataError, NeedlabError, NeedlabWarning, SchemaError
from needlab.io import (
    Codebook,
    QualityReport,
    Survey,
    neutralise,
    quality,
    read_survey,
    to_csv,
    to_excel,
)
from needlab.kano import KanoResult, kano
from needlab.regress import factors, ipa, kda, key_drivers, regress, trend
from needlab.tables import (
    banner,
    compare_csat,
    compare_means,
    compare_nps,
    crosstab,
    csat,
    freq,
    multi,
    nps,
    rake,
    top_box,
)

__all__ = [
    "Codebook",
    "ConfigError",
    "DataError",
    "KanoResult",
    "NeedlabError",
    "NeedlabWarning",
    "QualityReport",
    "SchemaError",
    "Survey",
    "__version__",
    "banner",
    "compare_csat",
    "compare_means",
    "compare_nps",
    "crosstab",
    "csat",
    "factors",
    "freq",
    "ipa",
    "kano",
    "kda",
    "key_drivers",
    "load_sample",
    "make_sample",
    "multi",
    "neutralise",
    "nps",
    "quality",
    "rake",
    "read_survey",
    "regress",
    "to_csv",
    "to_excel",
    "top_box",
    "trend",
    "write_sample",
]
