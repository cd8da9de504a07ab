"""Survey intake: reading files, codebooks, data quality and safe export."""

from needlab.io.export import neutralise, neutralise_frame, to_csv, to_excel

__all__ = ["neutralise", "neutralise_frame", "to_csv", "to_excel"]
