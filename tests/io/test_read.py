from __future__ import annotations

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.io import Codebook, Survey, read_survey
from tests.io.iohelpers import SAT, normalise, survey_codebook, survey_frame, with_blanks


def _action(survey: Survey, action: str, column: str = "") -> pd.DataFrame:
    r = survey.load_report
    return r[(r["action"] == action) & (r["column"] == column)]


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_round_trip(tmp_path, encoding, sep) -> None:
    df = survey_frame()
    path = tmp_path / ("s.tsv" if sep == "\t" else "s.csv")
    with_blanks(df).to_csv(path, sep=sep, encoding=encoding, index=False)
    s = read_survey(path)
    pd.testing.assert_frame_equal(normalise(s.data), normalise(df))
    assert s.data["income"].dtype == float and s.data["rid"].dtype == np.int64
    assert _action(s, "encoding_detected")["detail"].item().split(" ")[0] == encoding
    assert _action(s, "delimiter_detected")["detail"].item() == repr(sep)
    assert _action(s, "blank_to_nan", "income")["n"].item() == 2
    assert (len(_action(s, "bom_stripped")) == 1) == (encoding == "utf-8-sig")
    assert s.format == "csv" and s.path == path
    assert s.codebook.id == "rid" and s.codebook["sat"].type == "likert"
    assert "非常满意" in s.codebook.value_labels("overall", "zh").values()
    assert list(s.data.columns) == list(df.columns)


def test_csv_with_codebook_keeps_codes_and_labels(tmp_path) -> None:
    df = survey_frame()
    df.loc[2, "sat"] = 99
    path = tmp_path / "s.csv"
    with_blanks(df).to_csv(path, index=False, encoding="gb18030")
    s = read_survey(path, codebook=survey_codebook())
    assert s.data["sat"].isna().tolist() == [False, False, True, False, False, False]
    assert _action(s, "user_missing_to_nan", "sat")["n"].item() == 1
    assert s.data["overall"].tolist() == df["overall"].tolist()  # labels stay as in the file
    assert s.validate().empty
    lab = s.labelled("zh")
    assert lab["sat"].tolist()[:2] == ["非常满意", "满意"]
    assert lab["overall"].cat.ordered


def test_codebook_as_yaml_path_and_dict(tmp_path) -> None:
    path = tmp_path / "s.csv"
    survey_frame().to_csv(path, index=False)
    yml = survey_codebook().to_yaml(tmp_path / "cb.yaml")
    assert read_survey(path, codebook=yml).codebook == survey_codebook()
    assert read_survey(path, codebook=str(yml)).codebook == survey_codebook()
    assert read_survey(path, codebook=survey_codebook().to_dict()).codebook == survey_codebook()


def test_xlsx_round_trip(tmp_path) -> None:
    df = survey_frame()
    path = tmp_path / "s.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as w:
        pd.DataFrame({"x": [1]}).to_excel(w, sheet_name="other", index=False)
        with_blanks(df).to_excel(w, sheet_name="answers", index=False)
    s = read_survey(path, sheet="answers")
    pd.testing.assert_frame_equal(normalise(s.data), normalise(df))
    assert _action(s, "blank_to_nan", "income")["n"].item() == 2
    assert s.format == "xlsx"
    assert read_survey(path, sheet=1).data.shape == df.shape
    with pytest.raises(ConfigError, match="nope.*answers"):
        read_survey(path, sheet="nope")


def _write_sav(path, df: pd.DataFrame) -> None:
    pyreadstat.write_sav(
        df,
        str(path),
        column_labels={"rid": "Respondent ID", "sat": "满意度", "income": "Monthly income"},
        variable_value_labels={
            "sat": {float(k): v["zh"] for k, v in SAT.items()},
            "city": {1.0: "北京", 2.0: "上海"},
        },
        missing_ranges={"sat": [99], "income": [{"lo": -9, "hi": -1}]},
        variable_measure={"sat": "ordinal", "city": "nominal", "income": "scale"},
    )


def test_sav_round_trip_with_user_missing(tmp_path) -> None:
    df = pd.DataFrame(
        {
            "rid": [1, 2, 3, 4, 5],
            "sat": [5.0, 99.0, 1.0, 99.0, 3.0],
            "city": [1.0, 2.0, 2.0, 1.0, 1.0],
            "income": [1200.5, -9.0, 800.0, -5.0, np.nan],
            "comment": ["配送太慢", "非常满意", "", "ok", "服务很好"],
        }
    )
    path = tmp_path / "s.sav"
    _write_sav(path, df)
    s = read_survey(path)
    expected = df.copy()
    expected.loc[[1, 3], "sat"] = np.nan
    expected.loc[[1, 3], "income"] = np.nan
    pd.testing.assert_frame_equal(normalise(s.data), normalise(expected))
    assert _action(s, "user_missing_to_nan", "sat")["n"].item() == 2
    assert _action(s, "user_missing_to_nan", "income")["n"].item() == 2
    cb = s.codebook
    assert cb["sat"].type == "likert" and cb["sat"].missing == [99]
    assert cb["sat"].label == {"zh": "满意度"}
    assert cb["rid"].label == {"en": "Respondent ID"}
    assert cb.value_labels("sat", "zh") == {k: v["zh"] for k, v in SAT.items()}
    assert cb["city"].type == "single" and cb.value_labels("city") == {1: "北京", 2: "上海"}
    assert set(cb["income"].missing) == {-9, -5}
    assert cb["income"].type == "numeric"
    assert s.data["rid"].dtype == np.int64
    assert s.format == "sav"


def test_sav_given_codebook_wins(tmp_path) -> None:
    df = pd.DataFrame(
        {
            "rid": [1, 2],
            "sat": [5.0, 99.0],
            "city": [1.0, 2.0],
            "income": [1.0, 2.0],
            "comment": ["a", "b"],
        }
    )
    path = tmp_path / "s.sav"
    _write_sav(path, df)
    cb = Codebook.from_dict({"needlab_codebook": 1, "columns": {"sat": {"type": "numeric"}}})
    assert read_survey(path, codebook=cb).codebook is cb


# ------------------------------------------------------------------ bad input
def test_missing_file(tmp_path) -> None:
    p = tmp_path / "nope.csv"
    with pytest.raises(ConfigError, match="No such file") as e:
        read_survey(p)
    assert str(p) in str(e.value)


def test_unknown_extension(tmp_path) -> None:
    p = tmp_path / "s.json"
    p.write_text("{}")
    with pytest.raises(ConfigError, match=r"'\.json'.*\.csv.*\.xlsx.*\.sav"):
        read_survey(p)


def test_undecodable_bytes_name_file_and_offset(tmp_path) -> None:
    p = tmp_path / "bad.csv"
    good = "rid,city\n1,北京\n".encode()
    p.write_bytes(good + b"2,\xff\xfe\n")
    with pytest.raises(DataError) as e:
        read_survey(p)
    msg = str(e.value)
    assert "bad.csv" in msg and f"byte offset {len(good) + 2}" in msg and "encoding=" in msg


def test_given_encoding_error(tmp_path) -> None:
    p = tmp_path / "s.csv"
    p.write_bytes("a,b\n1,北京\n".encode("gb18030"))
    with pytest.raises(DataError, match="utf-8 at byte offset 6"):
        read_survey(p, encoding="utf-8")
    assert read_survey(p, encoding="gb18030").data["b"].tolist() == ["北京"]
    with pytest.raises(ConfigError, match="not a known text encoding"):
        read_survey(p, encoding="klingon")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \n\n"])
def test_empty_file(tmp_path, content) -> None:
    p = tmp_path / "e.csv"
    p.write_bytes(content)
    with pytest.raises(DataError, match="e.csv is empty"):
        read_survey(p)


def test_header_only(tmp_path) -> None:
    p = tmp_path / "h.csv"
    p.write_text("rid,sat,city\n", encoding="utf-8")
    with pytest.raises(DataError, match="has a header but no rows"):
        read_survey(p)
    x = tmp_path / "h.xlsx"
    pd.DataFrame(columns=["rid", "sat"]).to_excel(x, index=False)
    with pytest.raises(DataError, match="has a header but no rows"):
        read_survey(x)


def test_duplicate_column_names(tmp_path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("rid,q1,q2,q1\n1,2,3,4\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"duplicate column names: 'q1' \(2 times\)"):
        read_survey(p)
    x = tmp_path / "d.xlsx"
    pd.DataFrame([[1, 2, 3]], columns=["a", "b", "c"]).set_axis(
        ["a", "满意", "满意"], axis=1
    ).to_excel(x, index=False)
    with pytest.raises(SchemaError, match="'满意' \\(2 times\\)"):
        read_survey(x)


def test_bom_inside_first_field(tmp_path) -> None:
    p = tmp_path / "b.csv"
    p.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbfrid,sat\n1,2\n2,3\n")
    s = read_survey(p)
    assert list(s.data.columns) == ["rid", "sat"]
    assert len(_action(s, "bom_stripped", "rid")) == 1
    q = tmp_path / "q.csv"
    q.write_bytes('"\ufeffrid",sat\n1,2\n2,3\n'.encode())
    s = read_survey(q)
    assert list(s.data.columns) == ["rid", "sat"] and len(_action(s, "bom_stripped", "rid")) == 1


def test_duplicate_ids(tmp_path) -> None:
    df = survey_frame()
    df.loc[4, "rid"] = 102
    p = tmp_path / "s.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataError) as e:
        read_survey(p, codebook=survey_codebook())
    assert "'rid'" in str(e.value) and "102" in str(e.value) and "rows 1, 4" in str(e.value)
    s = read_survey(p, codebook=survey_codebook(), strict=False)
    row = _action(s, "id_duplicates", "rid")
    assert row["n"].item() == 2 and "102" in row["detail"].item()
    v = s.validate()
    assert v.loc[v["problem"] == "duplicate_id", "rows"].item() == "1, 4"


def test_codebook_names_absent_columns(tmp_path) -> None:
    df = survey_frame().rename(columns={"overall": "overal"})
    p = tmp_path / "s.csv"
    df.to_csv(p, index=False)
    with pytest.raises(SchemaError, match=r"'overall' \(did you mean 'overal'\?\)"):
        read_survey(p, codebook=survey_codebook())
    s = read_survey(p, codebook=survey_codebook(), strict=False)
    assert "did you mean 'overal'" in _action(s, "missing_column", "overall")["detail"].item()
    v = s.validate()
    assert v.loc[v["column"] == "overall", "problem"].tolist() == ["missing_column"]


def test_values_outside_labels_in_validate(tmp_path) -> None:
    df = survey_frame()
    df["sat"] = df["sat"].astype(object)
    df.loc[1, "sat"] = 7
    df.loc[3, "overall"] = "超级满意"
    p = tmp_path / "s.csv"
    df.to_csv(p, index=False)
    v = read_survey(p, codebook=survey_codebook()).validate()
    assert v[["column", "problem", "n", "rows"]].values.tolist() == [
        ["sat", "not_in_labels", 1, "1"],
        ["overall", "not_in_labels", 1, "3"],
    ]
    assert "超级满意" in v.loc[v["column"] == "overall", "examples"].item()


@pytest.mark.parametrize(
    ("weights", "what"),
    [
        ([1.0, -0.5, 1, 1, 1, 1], "negative"),
        ([1.0, np.nan, 1, 1, 1, 1], "missing"),
        ([0.0] * 6, "sum to zero"),
    ],
)
def test_bad_weights(tmp_path, weights, what) -> None:
    df = survey_frame()
    df["weight"] = weights
    p = tmp_path / "s.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match=what) as e:
        read_survey(p, codebook=survey_codebook())
    assert "'weight'" in str(e.value)
    s = read_survey(p, codebook=survey_codebook(), strict=False)
    assert what in _action(s, "bad_weight", "weight")["detail"].item()
    assert "bad_weight" in s.validate()["problem"].tolist()


def test_text_column_with_a_blank_stays_text_and_rows_are_kept(tmp_path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("rid,x,y\n1, ,a\n2,3,\n3,abc,c\n4,5, \n", encoding="utf-8")
    s = read_survey(p)
    assert len(s.data) == 4
    assert s.data["x"].tolist() == [" ", "3", "abc", "5"]
    assert s.load_report["action"].isin(["blank_to_nan", "text_to_number"]).sum() == 0


def test_parse_error_is_data_error(tmp_path) -> None:
    p = tmp_path / "s.csv"
    p.write_text('a,b\n1,"2\n3,4\n', encoding="utf-8")  # a quote never closed
    with pytest.raises(DataError, match="s.csv: cannot parse.*EOF inside string"):
        read_survey(p)
    p.write_text("a,b\n1,2\n3,4,5,6\n", encoding="utf-8")  # a long row: see test_bad_input
    with pytest.raises(SchemaError, match="line 3|lines 3"):
        read_survey(p)


def test_survey_repr(tmp_path) -> None:
    p = tmp_path / "s.csv"
    survey_frame().to_csv(p, index=False)
    s = read_survey(p)
    assert repr(s).startswith("Survey('s.csv', format='csv'): 6 rows x 7 columns")
    html = s._repr_html_()
    assert "encoding_detected" in html and "配送太慢" in html
    with pytest.raises(ConfigError):
        read_survey(p, lang="fr")  # type: ignore[arg-type]
