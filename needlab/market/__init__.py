"""Market and competitors: brand funnel, brand comparison, perceptual maps, share of wallet,
brand switching, market size and trend, benchmarks."""

from needlab.market.benchmark import BenchmarkResult, benchmark
from needlab.market.brands import BrandComparison, compare_brands
from needlab.market.funnel import FunnelResult, brand_funnel
from needlab.market.perceptual import PerceptualMap, perceptual_map
from needlab.market.size import MarketResult, market_size, market_trend, parse_periods
from needlab.market.switching import SwitchingResult, stationary_distribution, switching
from needlab.market.wallet import WalletResult, share_of_wallet, war_shares

__all__ = [
    "BenchmarkResult",
    "BrandComparison",
    "FunnelResult",
    "MarketResult",
    "PerceptualMap",
    "SwitchingResult",
    "WalletResult",
    "benchmark",
    "brand_funnel",
    "compare_brands",
    "market_size",
    "market_trend",
    "parse_periods",
    "perceptual_map",
    "share_of_wallet",
    "stationary_distribution",
    "switching",
    "war_shares",
]
