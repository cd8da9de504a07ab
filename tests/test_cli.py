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
    from needlab.datasets._generate import FILES

    printed = capsys.readouterr().out.split()
    assert len(printed) == len(FILES) == 18
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


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


# --- intake: structural problems exit 1 with a clear report, never a traceback
def test_check_whitespace_separated_file_gives_the_columns(tmp_path, capsys) -> None:
    p = tmp_path / "ws.txt"
    p.write_bytes(b"rid   sat   city\n1     5     Paris\n2     4     Lyon\n3     3     Nice\n")
    code = main(["check", str(p)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "3 rows x 3 columns" in out and "whitespace-aligned" in out


def test_check_ragged_file_exits_1_naming_the_lines(tmp_path, capsys) -> None:
    p = tmp_path / "r.csv"
    p.write_bytes(b"rid,sat,city\n1,5,A,\n2,4,B,\n3,3,C,\n")
    assert main(["check", str(p)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("needlab: error:") and "Traceback" not in err
    assert "lines 2 (4 fields), 3 (4 fields), 4 (4 fields)" in err and "ragged='keep'" in err
    # the fix the message names works from the command line too
    assert main(["check", str(p), "--ragged", "keep"]) == 0
    assert "ragged_rows_kept" in capsys.readouterr().out


def test_check_latin1_file_gives_the_right_text(tmp_path, capsys) -> None:
    p = tmp_path / "l.csv"
    p.write_bytes("rid,cat\n1,Décor\n2,Café\n3,Home\n".encode("latin-1"))
    code = main(["check", str(p)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "cp1252 (confidence" in out and "閏" not in out


def test_check_one_column_read_exits_1(tmp_path, capsys) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(b"rid sat city\n1,5,A\n2,4,B\n")
    assert main(["check", str(p), "--sep", "|"]) == 1
    out = capsys.readouterr().out
    assert "structural problem: only one column was read" in out and "1 error(s) found." in out


def test_check_undecodable_text_exits_1(tmp_path, capsys) -> None:
    p = tmp_path / "d.csv"
    p.write_bytes("rid,city\n1,北京\n2,上海\n".encode() + b"3,\xff\n")
    assert main(["check", str(p)]) == 1
    err = capsys.readouterr().err
    assert "byte offset" in err and "encoding=" in err and "Traceback" not in err


def test_check_unreadable_file_is_a_message_not_a_traceback(tmp_path, capsys) -> None:
    p = tmp_path / "locked.csv"
    p.write_bytes(b"a,b\n1,2\n")
    p.chmod(0)
    try:
        if _can_read(p):  # running as root: reading still works
            pytest.skip("permissions are not enforced for this user")
        assert main(["check", str(p)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("needlab: error:") and "locked.csv" in err
    finally:
        p.chmod(0o644)


def _can_read(p: Path) -> bool:
    try:
        p.read_bytes()
        return True
    except OSError:
        return False


def test_os_errors_become_messages(monkeypatch, tmp_path, capsys) -> None:
    import needlab.datasets

    def boom(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "x"))

    monkeypatch.setattr(needlab.datasets, "write_sample", boom)
    assert main(["sample", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert err == f"needlab: error: Permission denied: {tmp_path / 'x'}\n"


def test_sample_into_a_folder_it_cannot_create(tmp_path, capsys) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    assert main(["sample", str(blocker / "sub")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("needlab: error:") and "sub" in err and "Traceback" not in err
