"""Target customers: rule segments, RFM and value tiers, lifetime value, clustering, profiles
and personas.

Modules import scipy and scikit-learn inside their functions, so importing this package is light.
"""

from needlab.segment.clv import BetaGeo, GammaGamma, clv, clv_summary

__all__ = [
    "BetaGeo",
    "GammaGamma",
    "clv",
    "clv_summary",
]
