"""The needlab command line: --version, sample, check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import needlab
from needlab.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"needlab {needlab.__version__}"


def test_no_command_prints_help(capsys) -> None:
    assert main([]) == 2
    assert "check" in capsys.readouterr().out


def test_sample_writes_the_committed_files(tmp_path, capsys) -> None:
    assert main(["sample", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert len(printed) == 8
    for name in ("survey_wave1.csv", "codebook.yaml", "transactions.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes()


def test_check_sample_is_clean_but_reports_quality(capsys) -> None:
    code = main(
        ["check", str(SAMPLE / "survey_wave1.csv"), "--codebook", str(SAMPLE / "codebook.yaml")]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "2000 rows" in out
    assert "straight" in out.lower() and "No errors found." in out


def test_check_finds_duplicate_ids_and_exits_1(tmp_path, capsys) -> None:
    df = pd.read_csv(SAMPLE / "survey_wave1.csv")
    df.loc[5, "resp_id"] = df.loc[4, "resp_id"]
    bad = tmp_path / "dup.csv"
    df.to_csv(bad, index=False)
    code = main(["check", str(bad), "--codebook", str(SAMPLE / "codebook.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert str(df.loc[4, "resp_id"]) in out
    assert "1 error(s) found." in out  # reported by validation and quality, counted once


def test_check_missing_file_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["check", str(tmp_path / "nope.csv")]) == 1
    err = capsys.readouterr().err
    assert "nope.csv" in err and err.startswith("needlab: error:")


def test_console_script_entry_point_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "needlab", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"needlab {needlab.__version__}"


def test_init_copies_the_templates_and_the_sample(tmp_path, capsys) -> None:
    nb_src = Path(__file__).resolve().parents[1] / "notebooks"
    assert main(["init", str(tmp_path)]) == 0
    copied = sorted(p.name for p in (tmp_path / "notebooks").glob("*.ipynb"))
    assert copied == sorted(p.name for p in nb_src.glob("[0-9][0-9]_*.ipynb"))
    assert (tmp_path / "notebooks" / "04_kano.ipynb").read_bytes() == (
        nb_src / "04_kano.ipynb"
    ).read_bytes()
    assert (tmp_path / "data" / "sample" / "survey_wave1.csv").read_bytes() == (
        SAMPLE / "survey_wave1.csv"
    ).read_bytes()
    # A second init would overwrite the user's notebooks: refused without --force.
    assert main(["init", str(tmp_path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["init", str(tmp_path), "--force"]) == 0
