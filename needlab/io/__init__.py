"""Survey intake: reading files, codebooks, data quality and safe export."""

from needlab.io.codebook import Codebook, Column
from needlab.io.export import neutralise, neutralise_frame, to_csv, to_excel
from needlab.io.quality import QualityReport, quality
from needlab.io.read import Survey, read_survey

__all__ = [
    "Codebook",
    "Column",
    "QualityReport",
    "Survey",
    "neutralise",
    "neutralise_frame",
    "quality",
    "read_survey",
    "to_csv",
    "to_excel",
]
