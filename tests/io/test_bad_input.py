"""The bad-input catalogue of needlab.io, one case at a time.

Each case asserts the exception type and the words of the message that name the problem (the
file, the lines or columns, the fix), or the correct result and its load-report entry. Test
files are built in ``tmp_path``.
"""

from __future__ import annotations

import re
import shutil
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pytest

from needlab._yaml import load_yaml
from needlab.datasets import load_sample, write_sample
from needlab.errors import ConfigError, DataError, NeedlabWarning, SchemaError
from needlab.io import Codebook, Survey, neutralise, quality, read_survey, to_csv, to_excel
from needlab.io.codebook import Column


def _entry(survey: Survey, action: str, column: str = "") -> pd.Series:
    r = survey.load_report
    hit = r[(r["action"] == action) & (r["column"] == column)]
    assert len(hit) == 1, r.to_string()
    return hit.iloc[0]


def _write(tmp_path, name: str, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- intake
# Delimiters: whitespace-aligned files and sep=r"\s+"
WS = b"rid   sat   city\n1     5     Paris\n2     4     Lyon\n3     3     Nice\n"


def test_whitespace_aligned_txt_is_sniffed(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "ws.txt", WS))
    assert list(s.data.columns) == ["rid", "sat", "city"]
    assert s.data["sat"].tolist() == [5, 4, 3] and s.data["city"].tolist()[2] == "Nice"
    assert "whitespace" in _entry(s, "delimiter_detected")["detail"]


def test_tab_aligned_with_runs_of_tabs_is_whitespace(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "ws.txt", b"rid sat\n1 \t 5\n2  4\n"), sep=r"\s+")
    assert s.data["sat"].tolist() == [5, 4]


def test_sep_whitespace_regex_is_accepted(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "ws.csv", WS), sep=r"\s+")
    assert s.data.shape == (3, 3)
    assert s.load_report["action"].eq("delimiter_detected").sum() == 0  # given, not sniffed


@pytest.mark.parametrize("sep", ["", ";;", r"\t+"])
def test_other_multi_character_sep_is_a_config_error(tmp_path, sep) -> None:
    with pytest.raises(ConfigError, match=r"sep=.*single character.*\\s\+"):
        read_survey(_write(tmp_path, "s.csv", b"a,b\n1,2\n"), sep=sep)


def test_single_text_column_with_spaces_is_not_whitespace_split(tmp_path) -> None:
    # a one-question file whose answers have different numbers of words stays one column
    p = _write(tmp_path, "c.txt", b"comment\nvery good service\nslow\nok I guess\n")
    s = read_survey(p)
    assert list(s.data.columns) == ["comment"] and s.data["comment"].iloc[0] == "very good service"


def test_one_column_read_of_a_multi_column_header_is_reported(tmp_path) -> None:
    # words separated by single spaces in the header but ragged below: read as one column
    p = _write(tmp_path, "x.txt", b"rid sat city\n1,5,A\n2,4,B\n")
    s = read_survey(p, sep="|")
    row = _entry(s, "one_column", "rid sat city")
    assert row["n"] == 2 and "pass sep=" in row["detail"]


# Ragged rows
def test_trailing_delimiter_is_an_error_naming_the_lines(tmp_path) -> None:
    p = _write(tmp_path, "r.csv", b"rid,sat,city\n1,5,A,\n2,4,B,\n3,3,C,\n")
    with pytest.raises(SchemaError) as e:
        read_survey(p)
    msg = str(e.value)
    assert "3 rows have more fields than the header (3: 'rid', 'sat', 'city')" in msg
    assert "lines 2 (4 fields), 3 (4 fields), 4 (4 fields)" in msg
    assert "trailing delimiter" in msg and "ragged='keep'" in msg


def test_one_long_row_in_the_middle_names_its_line(tmp_path) -> None:
    p = _write(tmp_path, "r.csv", b"rid,sat,city\n1,5,A\n2,4,B,x\n3,3,C\n4,2,D,,\n")
    with pytest.raises(
        SchemaError, match=r"2 rows have more.*lines 3 \(4 fields\), 5 \(5 fields\)"
    ):
        read_survey(p)


def test_long_first_row_does_not_move_ids_into_the_index(tmp_path) -> None:
    p = _write(tmp_path, "r.csv", b"rid,sat,city\n1,5,A,\n2,4,B\n3,3,C\n")
    with pytest.raises(SchemaError, match=r"1 row has more fields.*line|lines 2 \(4 fields\)"):
        read_survey(p)


def test_ragged_keep_drops_empty_trailing_fields_and_counts_rows(tmp_path) -> None:
    p = _write(tmp_path, "r.csv", b"rid,sat,city\n1,5,A,\n2,4,B,\n3,3,C,\n")
    s = read_survey(p, ragged="keep")
    assert list(s.data.columns) == ["rid", "sat", "city"]
    assert s.data["rid"].tolist() == [1, 2, 3] and s.data["city"].tolist() == ["A", "B", "C"]
    assert isinstance(s.data.index, pd.RangeIndex)
    row = _entry(s, "ragged_rows_kept")
    assert (
        row["n"] == 3 and "trailing delimiters" in row["detail"] and "2 (4 fields)" in row["detail"]
    )


def test_ragged_keep_keeps_non_empty_extra_fields_in_new_columns(tmp_path) -> None:
    p = _write(tmp_path, "r.csv", b"rid,sat,city\n1,5,A\n2,4,B,late\n3,3,C\n")
    s = read_survey(p, ragged="keep")
    assert list(s.data.columns) == ["rid", "sat", "city", "extra_1"]
    assert s.data["extra_1"].isna().tolist() == [True, False, True]
    assert s.data["extra_1"].iloc[1] == "late" and s.data["city"].tolist() == ["A", "B", "C"]
    assert "extra_1" in _entry(s, "ragged_rows_kept")["detail"]


def test_bad_ragged_option(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"ragged='pad'.*'error', 'keep'"):
        read_survey(_write(tmp_path, "s.csv", b"a,b\n1,2\n"), ragged="pad")  # type: ignore[arg-type]


def test_short_rows_are_padded_and_reported_with_lines(tmp_path) -> None:
    p = _write(tmp_path, "s.csv", b"rid,sat,city\n1,5,A\n2,4\n3,3,C\n4\n")
    s = read_survey(p)
    assert s.data["city"].isna().tolist() == [False, True, False, True]
    assert s.data["sat"].isna().tolist() == [False, False, False, True]
    row = _entry(s, "short_rows_padded")
    assert row["n"] == 2 and "lines 3 (2 fields), 5 (1 fields)" in row["detail"]


def test_empty_last_field_is_not_a_short_row(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "s.csv", b"rid,sat,note\n1,5,\n2,4,x\n3,3,\n"))
    assert "short_rows_padded" not in s.load_report["action"].tolist()
    assert s.data["note"].isna().sum() == 2


def test_quoted_delimiters_do_not_count_as_fields(tmp_path) -> None:
    p = _write(tmp_path, "q.csv", b'rid,note\n1,"a, b, c"\n2,"say ""x, y"""\n3,plain\n')
    s = read_survey(p)
    assert s.data["note"].tolist() == ["a, b, c", 'say "x, y"', "plain"]
    assert not s.load_report["action"].isin(["short_rows_padded", "ragged_rows_kept"]).any()


def test_short_row_in_a_whitespace_file_is_an_error(tmp_path) -> None:
    p = _write(tmp_path, "w.txt", b"rid  sat  city\n1    5    A\n2         B\n3    3    C\n")
    with pytest.raises(SchemaError) as e:
        read_survey(p)
    msg = str(e.value)
    assert "1 row has fewer fields than the header (3" in msg and "lines 3 (2 fields)" in msg
    assert "NA" in msg and "ragged='keep'" in msg
    s = read_survey(p, ragged="keep")
    assert _entry(s, "short_rows_padded")["n"] == 1


# Encodings
def test_latin1_is_not_decoded_as_gb18030(tmp_path) -> None:
    p = _write(tmp_path, "l.csv", "rid,cat\n1,Décor\n2,Home\n3,Café\n".encode("latin-1"))
    s = read_survey(p)
    assert s.data["cat"].tolist() == ["Décor", "Home", "Café"]
    detail = _entry(s, "encoding_detected")["detail"]
    assert detail.startswith("cp1252 (confidence ") and "charset-normalizer" in detail


def test_single_latin1_word_decor(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "l.csv", "id,cat\n1,Décor\n".encode("latin-1")))
    assert s.data["cat"].item() == "Décor"


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_chinese_gbk_files_still_read(tmp_path, codec) -> None:
    text = "rid,城市,评价\n1,北京,配送太慢\n2,上海,服务很好\n3,广州,价格偏高\n"
    s = read_survey(_write(tmp_path, "g.csv", text.encode(codec)))
    assert list(s.data.columns) == ["rid", "城市", "评价"]
    assert s.data["评价"].tolist() == ["配送太慢", "服务很好", "价格偏高"]
    assert _entry(s, "encoding_detected")["detail"].startswith("gb18030")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_and_without_bom(tmp_path, codec) -> None:
    text = "rid,cat\n1,Décor\n2,北京\n"
    s = read_survey(_write(tmp_path, "u.csv", text.encode(codec)))
    assert s.data["cat"].tolist() == ["Décor", "北京"]
    assert not s.data["cat"].str.contains("\x00").any()
    detail = _entry(s, "encoding_detected")["detail"]
    assert detail.startswith(codec) and "confidence 1.00" in detail


def test_non_utf8_after_the_sample_is_detected_from_the_failing_bytes(tmp_path) -> None:
    rows = "".join(f"{i},plain\n" for i in range(9000))  # > 64 KiB of ASCII first
    p = _write(tmp_path, "late.csv", f"rid,cat\n{rows}9000,Décor\n".encode("latin-1"))
    s = read_survey(p)
    assert s.data["cat"].iloc[-1] == "Décor" and len(s.data) == 9001
    assert _entry(s, "encoding_detected")["detail"].startswith("cp1252")


def test_explicit_encoding_wins(tmp_path) -> None:
    p = _write(tmp_path, "l.csv", "rid,cat\n1,Décor\n".encode("latin-1"))
    s = read_survey(p, encoding="latin-1")
    assert s.data["cat"].item() == "Décor"
    assert _entry(s, "encoding_detected")["detail"] == "latin-1 (given)"
    with pytest.raises(DataError, match=r"cannot decode as utf-16.*encoding="):
        read_survey(_write(tmp_path, "odd.csv", b"a,b\n1,2\n3"), encoding="utf-16")


def test_ambiguous_short_sample_reports_low_confidence(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "a.csv", "a,b\n1,北京\n".encode("gbk")))
    assert s.data["b"].item() == "北京"  # the tie is broken towards GB18030
    assert "also possible" in _entry(s, "encoding_detected")["detail"]
    assert "pass encoding=" in _entry(s, "encoding_uncertain")["detail"]


def test_damaged_utf8_is_an_error_not_a_guess(tmp_path) -> None:
    good = "rid,city\n1,北京\n2,上海\n".encode()
    p = _write(tmp_path, "d.csv", good + b"3,\xff\n")
    with pytest.raises(DataError) as e:
        read_survey(p)
    msg = str(e.value)
    assert "mostly UTF-8" in msg and f"byte offset {len(good) + 2}" in msg and "encoding=" in msg


# NUL bytes, line endings, byte-order marks, header spaces
def test_nul_bytes_are_removed_and_reported(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "n.csv", b"rid,cat\n1,ab\x00c\n2,d\n3,\x00e\x00\n"))
    assert s.data["cat"].tolist() == ["abc", "d", "e"]
    row = _entry(s, "nul_removed")
    assert row["n"] == 3 and "lines 2, 4" in row["detail"]


def test_cr_only_line_endings(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "cr.csv", b"rid,cat\r1,a\r2,b\r3,c\r"))
    assert s.data.shape == (3, 2) and s.data["cat"].tolist() == ["a", "b", "c"]
    assert "CR-only" in _entry(s, "line_endings")["detail"]


def test_crlf_is_not_reported(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "crlf.csv", b"rid,cat\r\n1,a\r\n2,b\r\n"))
    assert s.data["cat"].tolist() == ["a", "b"] and "line_endings" not in set(
        s.load_report["action"]
    )


def test_bom_inside_a_data_cell_is_stripped_and_reported(tmp_path) -> None:
    p = _write(tmp_path, "b.csv", "rid,cat\n1,\ufeffab\n2,c\n3,d\ufeff\n".encode())
    s = read_survey(p)
    assert s.data["cat"].tolist() == ["ab", "c", "d"]
    row = _entry(s, "bom_stripped")
    assert row["n"] == 2 and "data cells (lines 2, 4)" in row["detail"]


def test_header_spaces_are_stripped_and_reported(tmp_path) -> None:
    s = read_survey(_write(tmp_path, "h.csv", b" rid,sat \n1,2\n2,3\n"))
    assert list(s.data.columns) == ["rid", "sat"]
    row = _entry(s, "header_stripped")
    assert row["n"] == 2 and "'sat ' -> 'sat'" in row["detail"]


def test_names_differing_only_by_spaces_are_a_schema_error(tmp_path) -> None:
    with pytest.raises(SchemaError, match=r"differ only by spaces: 'sat' and 'sat '.*rename"):
        read_survey(_write(tmp_path, "h.csv", b"rid,sat,sat \n1,2,3\n2,3,4\n"))


def test_names_differing_only_by_spaces_in_xlsx(tmp_path) -> None:
    p = tmp_path / "h.xlsx"
    pd.DataFrame([[1, 2, 3], [2, 3, 4]], columns=["rid", "sat", " sat"]).to_excel(p, index=False)
    with pytest.raises(SchemaError, match=r"'sat' and ' sat'"):
        read_survey(p)


# Excel formulas without cached values
def test_xlsx_formula_cells_without_cached_values_are_reported(tmp_path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["rid", "a", "total"])
    for i in range(2, 9):
        ws.append([i - 1, i, i * 2])
    ws["C4"] = "=B4*2"  # openpyxl writes the formula without a value
    ws["C7"] = "=B7*2"
    p = tmp_path / "f.xlsx"
    wb.save(p)
    s = read_survey(p)
    assert s.data["total"].isna().tolist() == [False, False, True, False, False, True, False]
    row = _entry(s, "formula_no_value")
    assert row["n"] == 2 and "'C4', 'C7'" in row["detail"] and "save it in Excel" in row["detail"]


def test_xlsx_without_formulas_has_no_formula_entry(tmp_path) -> None:
    p = tmp_path / "v.xlsx"
    pd.DataFrame({"rid": [1, 2], "x": [3, 4]}).to_excel(p, index=False)
    assert "formula_no_value" not in set(read_survey(p).load_report["action"])


# Respondent ids without a codebook
@pytest.mark.parametrize(
    "ids",
    [
        list(range(1, 21)),  # numeric
        [f"R{i:03d}" for i in range(1, 21)],  # text
    ],
)
def test_duplicate_ids_are_flagged_numeric_like_text(tmp_path, ids) -> None:
    ids = list(ids)
    ids[7] = ids[3]
    df = pd.DataFrame({"resp_id": ids, "sat": np.arange(20) % 5 + 1})
    p = tmp_path / "d.csv"
    df.to_csv(p, index=False)
    s = read_survey(p)
    row = _entry(s, "id_duplicates", "resp_id")
    assert row["n"] == 2 and "rows 3, 7" in row["detail"] and str(ids[3]) in row["detail"]
    assert s.codebook.id == "resp_id"
    v = s.validate()
    assert v.loc[v["problem"] == "duplicate_id", "rows"].item() == "3, 7"


def test_a_grouping_code_named_like_an_id_is_not_an_id(tmp_path) -> None:
    df = pd.DataFrame({"store_id": [1, 2, 3, 1, 2, 3] * 3, "sat": [1, 2, 3, 4, 5, 1] * 3})
    p = tmp_path / "g.csv"
    df.to_csv(p, index=False)
    s = read_survey(p)
    assert s.codebook.id is None and "id_duplicates" not in set(s.load_report["action"])


# --- exports, codebook, sample
def _cells(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    return [c for row in ws.iter_rows() for c in row]


def _texts(path):
    return [c.value for c in _cells(path) if isinstance(c.value, str)]


def test_export_multiindex_level_names_are_not_formulas(tmp_path) -> None:
    idx = pd.MultiIndex.from_tuples([("a", "b")], names=["=SUM(A1)", "@x"])
    cols = pd.MultiIndex.from_tuples([("-1+1", "q")], names=["+lvl", "ok"])
    path = to_excel(pd.DataFrame([[1]], index=idx, columns=cols), tmp_path / "m.xlsx")
    texts = _texts(path)
    assert {"'=SUM(A1)", "'@x", "'+lvl", "'-1+1", "ok"} <= set(texts)
    assert all(c.data_type != "f" for c in _cells(path))


def test_export_numpy_str_cells_and_labels_are_neutralised(tmp_path) -> None:
    df = pd.DataFrame({np.str_("=col"): [np.str_("=1+1"), np.str_("plain")]})
    path = to_excel(df, tmp_path / "s.xlsx", index=False)
    assert _texts(path) == ["'=col", "'=1+1", "plain"]
    assert type(neutralise(np.str_("=a"))) is str


def test_export_categorical_cells_are_neutralised(tmp_path) -> None:
    df = pd.DataFrame({"c": pd.Categorical(["=cmd|' /C calc'!A0", "ok"])})
    path = to_csv(df, tmp_path / "c.csv")
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == "'=cmd|' /C calc'!A0"


def test_export_control_characters_stripped_and_counted(tmp_path) -> None:
    df = pd.DataFrame({"a\x0bb": ["x\x01y", "fine", "\x1fz"]})
    with pytest.warns(NeedlabWarning, match=r"3 cell\(s\) held control characters"):
        path = to_excel(df, tmp_path / "ctl.xlsx", index=False)
    assert _texts(path) == ["ab", "xy", "fine", "z"]


def test_export_control_character_then_formula_is_neutralised(tmp_path) -> None:
    with pytest.warns(NeedlabWarning, match="1 cell"):
        path = to_excel(pd.DataFrame({"a": ["\x01=HYPERLINK(1)"]}), tmp_path / "x.xlsx")
    assert "'=HYPERLINK(1)" in _texts(path)


def test_export_csv_keeps_control_characters(tmp_path) -> None:
    path = to_csv(pd.DataFrame({"a": ["x\x01y"]}), tmp_path / "c.csv")
    assert "x\x01y" in path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([1, 2], "got list"),
        (pd.Series([1]), "to_frame()"),
        ({}, "mapping of sheets is empty"),
        ({"kpi": [1, 2]}, "sheet 'kpi' holds a list"),
        ({"kpi": pd.Series([1])}, "sheet 'kpi' holds a Series"),
    ],
)
def test_to_excel_non_frame_is_a_config_error(tmp_path, value, words) -> None:
    with pytest.raises(ConfigError, match=re.escape(words)):
        to_excel(value, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_to_excel_multiindex_columns_without_index(tmp_path) -> None:
    df = pd.DataFrame([[1]], columns=pd.MultiIndex.from_tuples([("a", "b")]))
    with pytest.raises(ConfigError, match="MultiIndex columns needs index=True"):
        to_excel(df, tmp_path / "x.xlsx", index=False)


@pytest.mark.parametrize("writer", ["csv", "xlsx"])
def test_export_into_missing_folder_names_it(tmp_path, writer) -> None:
    target = tmp_path / "no" / "such" / f"out.{writer}"
    fn = to_csv if writer == "csv" else to_excel
    with pytest.raises(ConfigError) as e:
        fn(pd.DataFrame({"a": [1]}), target)
    assert str(target.parent) in str(e.value) and "create it first" in str(e.value)


def test_to_csv_into_a_folder_path(tmp_path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        to_csv(pd.DataFrame({"a": [1]}), tmp_path)


def test_to_csv_non_frame(tmp_path) -> None:
    with pytest.raises(ConfigError, match="got a Series"):
        to_csv(pd.Series([1]), tmp_path / "a.csv")


# not-applicable codes ------------------------------------------------------------------------
@pytest.fixture
def na_csv(tmp_path):
    p = tmp_path / "na.csv"
    p.write_text(
        "rid,sat_a,sat_b,city\n1,1,2,a\n2,5,9,b\n3,9,3,a\n4,3,4,b\n5,2,5,a\n6,4,1,b\n",
        encoding="utf-8",
    )
    return p


def test_read_survey_reports_suspect_not_applicable_code(na_csv) -> None:
    s = read_survey(na_csv)
    rep = s.load_report.set_index("column")
    assert rep.loc["sat_a", "action"] == "suspect_missing_code"
    assert rep.loc["sat_a", "n"] == 1
    assert "missing={'sat_a': [9]}" in rep.loc["sat_a", "detail"]


def test_read_survey_missing_by_pattern(na_csv) -> None:
    s = read_survey(na_csv, missing={"sat_*": [9]})
    assert s.data["sat_a"].isna().sum() == 1 and s.data["sat_b"].isna().sum() == 1
    assert s.codebook["sat_a"].missing == [9]
    assert list(s.codebook["sat_b"].values) == [1, 2, 3, 4, 5]
    assert "suspect_missing_code" not in set(s.load_report["action"])
    assert (s.load_report["action"] == "user_missing_to_nan").sum() == 2
    assert s.data["sat_a"].mean() == pytest.approx(3.0)


def test_read_survey_missing_key_matching_nothing(na_csv) -> None:
    with pytest.raises(ConfigError, match=r"'sta_\*'.*matches no column"):
        read_survey(na_csv, missing={"sta_*": [9]})


def test_read_survey_missing_not_a_mapping(na_csv) -> None:
    with pytest.raises(ConfigError, match="must be a mapping"):
        read_survey(na_csv, missing=[9])


def test_set_missing_by_pattern_returns_a_new_codebook() -> None:
    cb = Codebook([Column("sat_a", "likert"), Column("sat_b", "likert"), Column("age", "numeric")])
    cb2 = cb.set_missing("sat_*", [0, 99])
    assert cb2["sat_a"].missing == [0, 99] and cb2["age"].missing == []
    assert cb["sat_a"].missing == []
    assert cb2.set_missing({"sat_a": 98})["sat_a"].missing == [0, 99, 98]
    assert cb2.set_missing("sat_a", [7], replace=True)["sat_a"].missing == [7]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("sta_a", [9]), "did you mean 'sat_a'"),
        (("sat_a",), "codes are missing"),
        (("sat_a", [None]), "not valid"),
        (("sat_a", []), "lists no codes"),
    ],
)
def test_set_missing_bad_arguments(args, words) -> None:
    cb = Codebook([Column("sat_a", "likert")])
    with pytest.raises(ConfigError, match=re.escape(words)):
        cb.set_missing(*args)


def test_infer_warns_on_nine_after_a_gap() -> None:
    df = pd.DataFrame({"sat": [1, 2, 3, 4, 5, 9, 9]})
    with pytest.warns(
        NeedlabWarning, match=r"'sat': code 9 \(2 answers\).*missing=\{'sat': \[9\]\}"
    ):
        Codebook.infer(df)


def test_infer_with_missing_drafts_the_scale_without_them() -> None:
    df = pd.DataFrame({"sat": [1, 2, 3, 4, 5, 9, 9]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cb = Codebook.infer(df, missing={"sat": [9]})
    assert cb["sat"].type == "likert" and list(cb["sat"].scale()) == [1, 2, 3, 4, 5]
    assert cb["sat"].missing == [9]


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ([0, 1, 2, 3, 4, 5, 0], 0),
        ([1, 2, 3, 4, 5, 6, 7, 99], 99),
        ([1, 2, 3, 4, 98, 98], 98),
        ([1, 2, 3, 4, 5, 6, 7, 9], 9),
    ],
)
def test_quality_flags_not_applicable_codes(values, code) -> None:
    rep = quality(pd.DataFrame({"q": values}))
    row = rep.table[rep.table["check"] == "suspect_missing_code"]
    assert len(row) == 1 and row["severity"].item() == "warning"
    assert row["n"].item() == values.count(code)
    assert f"set_missing('q', [{code}])" in row["detail"].item()


@pytest.mark.parametrize("values", [list(range(11)), [1, 2, 3, 4, 5], [0, 1, 2, 3, 4]])
def test_quality_does_not_flag_real_scales(values) -> None:
    rep = quality(pd.DataFrame({"q": values * 2}))
    assert "suspect_missing_code" not in set(rep.table["check"])


def test_quality_flags_label_reading_dont_know_not_declared_missing() -> None:
    cb = Codebook(
        [Column("q", "single", values={1: {"en": "Yes"}, 2: {"en": "No"}, 8: {"en": "Don't know"}})]
    )
    rep = quality(pd.DataFrame({"q": [1, 2, 8, 8, 1]}), codebook=cb)
    row = rep.table[rep.table["check"] == "suspect_missing_code"]
    assert row["n"].item() == 2 and "Don't know" in row["detail"].item()
    rep2 = quality(pd.DataFrame({"q": [1, 2, 8, 8, 1]}), codebook=cb.set_missing("q", 8))
    assert "suspect_missing_code" not in set(rep2.table["check"])


def test_quality_flags_label_variants() -> None:
    df = pd.DataFrame(
        {"reason": ["Price", "price ", "\uff30rice", "Price", "Delivery", "delivery"]}
    )
    rep = quality(df)
    row = rep.table[rep.table["check"] == "label_variants"]
    assert row["n"].item() == 3 and row["column"].item() == "reason"
    assert "'price '" in row["detail"].item()


# duplicate keys in YAML ----------------------------------------------------------------------
def test_codebook_yaml_duplicate_column_is_refused(tmp_path) -> None:
    p = tmp_path / "cb.yaml"
    p.write_text(
        "needlab_codebook: 1\ncolumns:\n  sat: {type: likert}\n  age: {type: numeric}\n"
        "  sat: {type: single}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError, match=r"cb\.yaml.*duplicate key 'sat' at line 5 \(first at line 3\)"
    ):
        Codebook.from_yaml(p)


def test_taxonomy_yaml_duplicate_key_is_refused() -> None:
    from needlab.painpoints.taxonomy import Taxonomy

    text = "needlab_taxonomy: 1\nname: t\nname: u\ncodes: []\n"
    with pytest.raises(ConfigError, match="duplicate key 'name' at line 3"):
        Taxonomy.from_yaml(text)


def test_yaml_merge_key_override_is_not_a_duplicate() -> None:
    assert load_yaml("a: &x {p: 1}\nb:\n  <<: *x\n  p: 2\n") == {"a": {"p": 1}, "b": {"p": 2}}


def test_codebook_path_is_a_folder(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        Codebook.from_yaml(tmp_path)


# damaged sample folder -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("sample")
    write_sample(d)
    return d


@pytest.fixture
def damaged(sample_dir, tmp_path):
    d = tmp_path / "s"
    shutil.copytree(sample_dir, d)
    return d


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("goals: [a\n", ConfigError, "not valid YAML"),
        ("- a\n- b\n", ConfigError, "a mapping was expected, got list"),
        ("source: {seed: abc}\n", ConfigError, "must be an integer, got 'abc'"),
        ("source: {seed: 0}\nsource: {seed: 1}\n", ConfigError, "duplicate key 'source'"),
    ],
)
def test_load_sample_damaged_plan(damaged, text, error, words) -> None:
    (damaged / "plan.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(error) as e:
        load_sample(damaged)
    assert "plan.yaml" in str(e.value) and words in str(e.value)
    assert "write_sample" in str(e.value)


def test_load_sample_customers_wrong_columns(damaged) -> None:
    (damaged / "customers.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"customers\.csv' is damaged: columns missing") as e:
        load_sample(damaged)
    assert "write_sample" in str(e.value)


def test_load_sample_customers_not_utf8(damaged) -> None:
    (damaged / "customers.csv").write_bytes(b"customer_id\n\xff\xfe\n")
    with pytest.raises(DataError, match=r"customers\.csv' is damaged: not UTF-8 text \(byte 12\)"):
        load_sample(damaged)


def test_load_sample_customers_empty(damaged) -> None:
    (damaged / "customers.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"customers\.csv' is damaged: not a readable CSV"):
        load_sample(damaged)


def test_write_sample_into_a_file_path(tmp_path) -> None:
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot create the sample folder"):
        write_sample(f / "sub")
