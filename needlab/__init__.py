"""needlab: customer-needs research in Python.

Load survey exports with their codebook, check their quality, segment customers, analyse needs
(crosstabs, key drivers, Kano, pain points), prioritise, plan and monitor. The public API is flat:
``import needlab as nl`` then ``nl.read_survey(...)``.

Names are imported on first use (PEP 562 module ``__getattr__``): ``import needlab`` loads no
heavy library, and ``nl.crosstab`` imports the tables package the first time it is touched.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, tuple[str, ...]] = {
    "needlab._engine": (
        "get_engine_options",
        "set_engine_options",
    ),
    "needlab._i18n": ("detect_lang",),
    "needlab._result": ("Result",),
    "needlab.datasets": (
        "load_sample",
        "make_sample",
        "write_sample",
    ),
    "needlab.errors": (
        "ConfigError",
        "DataError",
        "NeedlabError",
        "NeedlabWarning",
        "NotFittedError",
        "SchemaError",
    ),
    "needlab.io": (
        "Codebook",
        "neutralise",
        "quality",
        "QualityReport",
        "read_survey",
        "Survey",
        "to_csv",
        "to_excel",
    ),
    "needlab.kano": (
        "kano",
        "KanoResult",
    ),
    "needlab.market": (
        "benchmark",
        "BenchmarkResult",
        "brand_funnel",
        "BrandComparison",
        "compare_brands",
        "FunnelResult",
        "market_size",
        "market_trend",
        "MarketResult",
        "perceptual_map",
        "PerceptualMap",
        "share_of_wallet",
        "switching",
        "SwitchingResult",
        "WalletResult",
    ),
    "needlab.painpoints": (
        "agreement",
        "AgreementResult",
        "calibrate_threshold",
        "code_text",
        "CodingResult",
        "cohen_kappa",
        "Coverage",
        "CrossValidationResult",
        "discover_topics",
        "implicit_needs",
        "krippendorff_alpha",
        "pain_matrix",
        "PainMatrixResult",
        "sentiment",
        "SentimentModel",
        "SentimentResult",
        "Taxonomy",
        "TextCoder",
        "TopicResult",
    ),
    "needlab.plan": (
        "Action",
        "ahp",
        "AhpResult",
        "BacklogResult",
        "compare_waves",
        "control_chart",
        "ControlChartResult",
        "cost_benefit",
        "evaluate",
        "EvaluationResult",
        "Goal",
        "kano_priority",
        "kpi",
        "KpiResult",
        "maxdiff",
        "MaxDiffResult",
        "monitor",
        "MonitorResult",
        "needs_backlog",
        "opportunity",
        "Plan",
        "priority_table",
        "PriorityResult",
        "retention_cohorts",
        "RetentionResult",
        "rice",
        "SBG",
        "service_times",
        "ServiceTimeResult",
        "wsjf",
    ),
    "needlab.regress": (
        "DriverResult",
        "FactorResult",
        "factors",
        "ipa",
        "IPAResult",
        "kda",
        "KDAResult",
        "key_drivers",
        "regress",
        "RegressionResult",
        "trend",
        "TrendResult",
    ),
    "needlab.segment": (
        "age_bands",
        "AssociationResult",
        "associations",
        "BetaGeo",
        "churn_risk",
        "ChurnResult",
        "city_tier_bands",
        "clv",
        "clv_summary",
        "GammaGamma",
        "income_bands",
        "MigrationResult",
        "PersonaResult",
        "personas",
        "profile",
        "ProfileResult",
        "rfm",
        "RFMResult",
        "RuleSegments",
        "segment_rules",
        "Segmenter",
        "StabilityResult",
        "tie_scores",
        "tier_migration",
        "TierResult",
        "TypingTool",
        "TypingToolResult",
        "value_tiers",
    ),
    "needlab.tables": (
        "banner",
        "BannerResult",
        "compare_csat",
        "compare_means",
        "compare_nps",
        "ComparisonResult",
        "crosstab",
        "CrosstabResult",
        "csat",
        "CSATResult",
        "freq",
        "FreqResult",
        "MeansResult",
        "multi",
        "nps",
        "NPSResult",
        "rake",
        "RakeResult",
        "top_box",
        "TopBoxResult",
    ),
}
"""Module of each public name."""

_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted([*_WHERE, "__version__"], key=str.lower)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'needlab' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


class _Package(types.ModuleType):
    """The package module. Importing a subpackage sets it as an attribute of its parent; when a
    public function has the subpackage's name (``nl.regress`` in ``needlab.regress``), the
    function is kept, so ``nl.regress`` is the function whatever was imported first."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _WHERE.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # pragma: no cover
    from needlab._engine import (
        get_engine_options,
        set_engine_options,
    )
    from needlab._i18n import (
        detect_lang,
    )
    from needlab._result import (
        Result,
    )
    from needlab.datasets import (
        load_sample,
        make_sample,
        write_sample,
    )
    from needlab.errors import (
        ConfigError,
        DataError,
        NeedlabError,
        NeedlabWarning,
        NotFittedError,
        SchemaError,
    )
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
    from needlab.kano import (
        KanoResult,
        kano,
    )
    from needlab.market import (
        BenchmarkResult,
        BrandComparison,
        FunnelResult,
        MarketResult,
        PerceptualMap,
        SwitchingResult,
        WalletResult,
        benchmark,
        brand_funnel,
        compare_brands,
        market_size,
        market_trend,
        perceptual_map,
        share_of_wallet,
        switching,
    )
    from needlab.painpoints import (
        AgreementResult,
        CodingResult,
        Coverage,
        CrossValidationResult,
        PainMatrixResult,
        SentimentModel,
        SentimentResult,
        Taxonomy,
        TextCoder,
        TopicResult,
        agreement,
        calibrate_threshold,
        code_text,
        cohen_kappa,
        discover_topics,
        implicit_needs,
        krippendorff_alpha,
        pain_matrix,
        sentiment,
    )
    from needlab.plan import (
        SBG,
        Action,
        AhpResult,
        BacklogResult,
        ControlChartResult,
        EvaluationResult,
        Goal,
        KpiResult,
        MaxDiffResult,
        MonitorResult,
        Plan,
        PriorityResult,
        RetentionResult,
        ServiceTimeResult,
        ahp,
        compare_waves,
        control_chart,
        cost_benefit,
        evaluate,
        kano_priority,
        kpi,
        maxdiff,
        monitor,
        needs_backlog,
        opportunity,
        priority_table,
        retention_cohorts,
        rice,
        service_times,
        wsjf,
    )
    from needlab.regress import (
        DriverResult,
        FactorResult,
        IPAResult,
        KDAResult,
        RegressionResult,
        TrendResult,
        factors,
        ipa,
        kda,
        key_drivers,
        regress,
        trend,
    )
    from needlab.segment import (
        AssociationResult,
        BetaGeo,
        ChurnResult,
        GammaGamma,
        MigrationResult,
        PersonaResult,
        ProfileResult,
        RFMResult,
        RuleSegments,
        Segmenter,
        StabilityResult,
        TierResult,
        TypingTool,
        TypingToolResult,
        age_bands,
        associations,
        churn_risk,
        city_tier_bands,
        clv,
        clv_summary,
        income_bands,
        personas,
        profile,
        rfm,
        segment_rules,
        tie_scores,
        tier_migration,
        value_tiers,
    )
    from needlab.tables import (
        BannerResult,
        ComparisonResult,
        CrosstabResult,
        CSATResult,
        FreqResult,
        MeansResult,
        NPSResult,
        RakeResult,
        TopBoxResult,
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
