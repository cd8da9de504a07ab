"""needlab: customer-needs research in Python.

Load survey exports with their codebook, check their quality, segment customers, analyse needs
(crosstabs, key drivers, Kano, pain points), prioritise, plan and monitor. The public API is flat:
``import needlab as nl`` then ``nl.read_survey(...)``.

Heavy libraries (matplotlib, seaborn, scikit-learn, statsmodels) are imported inside the
functions that need them, so ``import needlab`` stays fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

from needlab.errors import ConfigError, DataError, NeedlabError, NeedlabWarning, SchemaError
from needlab.io import neutralise, to_csv, to_excel
from needlab.kano import KanoResult, kano

__all__ = [
    "ConfigError",
    "DataError",
    "KanoResult",
    "NeedlabError",
    "NeedlabWarning",
    "SchemaError",
    "__version__",
    "kano",
    "neutralise",
    "to_csv",
    "to_excel",
]
