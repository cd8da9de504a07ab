"""Pain points: a bilingual taxonomy, rule coding of Chinese and English text, a supervised coder,
topics for what the codebook misses, sentiment, the frequency x severity matrix and agreement.

scikit-learn and jieba are imported inside the functions that need them.
"""

from needlab.painpoints.agreement import AgreementResult, agreement, cohen_kappa, krippendorff_alpha
from needlab.painpoints.coding import CodingResult, Coverage, code_text
from needlab.painpoints.matrix import PainMatrixResult, pain_matrix
from needlab.painpoints.sentiment import (
    SentimentModel,
    SentimentResult,
    calibrate_threshold,
    implicit_needs,
    sentiment,
)
from needlab.painpoints.taxonomy import Code, Taxonomy
from needlab.painpoints.textcoder import CrossValidationResult, TextCoder
from needlab.painpoints.topics import TopicResult, discover_topics

__all__ = [
    "AgreementResult",
    "Code",
    "CodingResult",
    "Coverage",
    "CrossValidationResult",
    "PainMatrixResult",
    "SentimentModel",
    "SentimentResult",
    "TextCoder",
    "Taxonomy",
    "TopicResult",
    "agreement",
    "calibrate_threshold",
    "code_text",
    "cohen_kappa",
    "discover_topics",
    "implicit_needs",
    "krippendorff_alpha",
    "pain_matrix",
    "sentiment",
]
