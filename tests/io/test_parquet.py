"""read_survey on Parquet: the same Survey as from the CSV export, and a damaged file refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import needlab as nl
from needlab.errors import DataError

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_parquet_reads_as_the_csv_export(tmp_path: Path) -> None:
    csv = nl.read_survey(SAMPLE / "survey_wave1.csv", codebook=SAMPLE / "codebook.yaml")
    raw = pd.read_csv(SAMPLE / "survey_wave1.csv")
    path = tmp_path / "wave1.parquet"
    raw.to_parquet(path)
    pq = nl.read_survey(path, codebook=SAMPLE / "codebook.yaml")
    assert pq.format == "parquet"
    pd.testing.assert_frame_equal(pq.data, csv.data, check_dtype=False)
    # the analyses agree
    a = nl.nps(pq, "ltr").table
    b = nl.nps(csv, "ltr").table
    pd.testing.assert_frame_equal(a, b)


def test_damaged_parquet_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not a parquet file")
    with pytest.raises(DataError, match="not a readable Parquet file"):
        nl.read_survey(path)
