"""Target customers: rule segments, RFM and value tiers, lifetime value, clustering, profiles
and personas.

Modules import scipy and scikit-learn inside their functions, so importing this package is light.
"""

from needlab.segment.associations import AssociationResult, associations
from needlab.segment.churn import ChurnResult, churn_risk
from needlab.segment.cluster import Segmenter
from needlab.segment.clv import BetaGeo, GammaGamma, clv, clv_summary
from needlab.segment.personas import PersonaResult, personas
from needlab.segment.profile import ProfileResult, profile
from needlab.segment.rfm import RFMResult, rfm, tie_scores
from needlab.segment.rules import (
    RuleSegments,
    age_bands,
    city_tier_bands,
    income_bands,
    segment_rules,
)
from needlab.segment.stability import StabilityResult
from needlab.segment.tiers import MigrationResult, TierResult, tier_migration, value_tiers
from needlab.segment.typing_tool import TypingTool, TypingToolResult

__all__ = [
    "AssociationResult",
    "BetaGeo",
    "ChurnResult",
    "GammaGamma",
    "MigrationResult",
    "PersonaResult",
    "ProfileResult",
    "RFMResult",
    "RuleSegments",
    "Segmenter",
    "StabilityResult",
    "TierResult",
    "TypingTool",
    "TypingToolResult",
    "age_bands",
    "associations",
    "churn_risk",
    "city_tier_bands",
    "clv",
    "clv_summary",
    "income_bands",
    "personas",
    "profile",
    "rfm",
    "segment_rules",
    "tie_scores",
    "tier_migration",
    "value_tiers",
]
