"""Regression and key-driver analysis: tidy models, exact relative importance, penalty-reward
analysis, importance-performance maps, factor analysis and KPI trends."""

from needlab.regress.drivers import DriverResult, key_drivers
from needlab.regress.factors import FactorResult, factors
from needlab.regress.ipa import IPAResult, ipa
from needlab.regress.kda import KDAResult, kda
from needlab.regress.models import RegressionResult, regress
from needlab.regress.trend import TrendResult, trend

__all__ = [
    "DriverResult",
    "FactorResult",
    "IPAResult",
    "KDAResult",
    "RegressionResult",
    "TrendResult",
    "factors",
    "ipa",
    "kda",
    "key_drivers",
    "regress",
    "trend",
]
