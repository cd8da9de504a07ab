from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError
from needlab.io import Codebook, Column
from tests.io.iohelpers import KANO, SAT, survey_codebook, survey_frame


def _yaml(tmp_path, text: str):
    p = tmp_path / "cb.yaml"
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------ (de)serialisation
def test_yaml_round_trip_exact_and_readable(tmp_path) -> None:
    cb = survey_codebook()
    cb["comment"].meta["note"] = "free metadata"
    cb["sat"].stage = "delivery"
    p = cb.to_yaml(tmp_path / "cb.yaml")
    text = p.read_text(encoding="utf-8")
    assert "非常满意" in text and "\\u" not in text
    back = Codebook.from_yaml(p)
    assert back.to_dict() == cb.to_dict()
    assert back["comment"].meta == {"note": "free metadata"}
    assert back.title == {"en": "Test survey", "zh": "测试调研"}
    assert back.id == "rid" and back.weight == "weight"
    assert back["sat"].missing == [99] and back["sat"].ordered is True
    assert list(back.columns) == list(cb.columns)


def test_from_yaml_documented_example(tmp_path) -> None:
    p = _yaml(
        tmp_path,
        """
needlab_codebook: 1
columns:
  resp_id: {type: id}
  sat_delivery:
    type: likert
    label: {en: Satisfaction with delivery, zh: 对配送的满意度}
    values: {1: {en: Very dissatisfied, zh: 非常不满意}, 5: 非常满意}
    missing: [99]
  ltr: {type: numeric, range: [0, 10]}
  channels: {type: multi, delimiter: ";", values: {1: Online store, 2: {en: Retail shop}}}
  kano_app_f: {type: kano_functional, feature: app_control}
  kano_app_d: {type: kano_dysfunctional, feature: app_control}
""",
    )
    cb = Codebook.from_yaml(p)
    assert cb["sat_delivery"].values[5] == {"zh": "非常满意"}
    assert cb["ltr"].range == (0, 10)
    assert cb.id == "resp_id" and cb.weight is None
    assert cb.names("kano_functional") == ["kano_app_f"]
    assert cb.kano_pairs().values.tolist() == [["app_control", "kano_app_f", "kano_app_d"]]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("columns: {a: {type: single}}", "missing 'needlab_codebook: 1'"),
        (
            "needlab_codebook: 2\ncolumns: {a: {type: single}}",
            "needlab_codebook: 2 is not supported",
        ),
        (
            "needlab_codebook: 1\ncolumns: {sat: {type: likret}}",
            r"'sat'.*unknown type 'likret' \(did you mean 'likert'\?\)",
        ),
        (
            "needlab_codebook: 1\ncolumns: {q: {type: single, values: [1, 2]}}",
            "'q'.*'values' must be a mapping",
        ),
        (
            "needlab_codebook: 1\ncolumns: {q: {type: single, values: {1: [a]}}}",
            "'q'.*label must be a text",
        ),
        ("needlab_codebook: 1\ncolumns: {q: {type: numeric, range: [5, 1]}}", "'q'.*'range'"),
        ("needlab_codebook: 1\ncolumns: {q: {label: x}}", "'q'.*'type' is required"),
        (
            "needlab_codebook: 1\ncolumns: {q: {type: single, values: {1: {fr: oui}}}}",
            "unknown label language 'fr'",
        ),
        (
            "needlab_codebook: 1\nid: rid\ncolumns: {q: {type: single}}",
            "id: 'rid' is not one of its columns",
        ),
        ("needlab_codebook: 1\ncolumns: [a, b]", "'columns' must be a non-empty mapping"),
        ("needlab_codebook: 1\ncolumns: {a: {type: single}\n", "not valid YAML"),
    ],
)
def test_from_yaml_errors_name_file_and_problem(tmp_path, text, match) -> None:
    p = _yaml(tmp_path, text)
    with pytest.raises(ConfigError, match=match) as e:
        Codebook.from_yaml(p)
    assert "cb.yaml" in str(e.value)


def test_from_yaml_missing_file_and_no_unsafe_tags(tmp_path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        Codebook.from_yaml(tmp_path / "none.yaml")
    p = _yaml(
        tmp_path, "needlab_codebook: 1\ncolumns: !!python/object/apply:os.system ['echo hi']\n"
    )
    with pytest.raises(ConfigError, match="not valid YAML"):
        Codebook.from_yaml(p)


def test_codes_normalised() -> None:
    c = Column.from_dict(
        "q", {"type": "single", "values": {"1": "a", 2.0: "b", "x": "c"}, "missing": ["99"]}
    )
    assert list(c.values) == [1, 2, "x"] and c.missing == [99]
    with pytest.raises(ConfigError, match="declared twice"):
        Column.from_dict("q", {"type": "single", "values": {1: "a", "1": "b"}})


# ------------------------------------------------------------------ accessors
def test_accessors_and_fallbacks() -> None:
    cb = survey_codebook()
    assert len(cb) == 7 and "sat" in cb and "nope" not in cb
    assert [c.name for c in cb] == list(survey_frame().columns)
    assert cb.names("likert") == ["sat", "overall"]
    assert cb.names(["id", "weight"]) == ["rid", "weight"]
    assert cb.groups() == {"sat": ["sat"]}
    assert cb.label("overall", "en") == "总体满意度"  # falls back to zh
    assert cb.label("income") == "income"  # falls back to the name
    assert cb.value_labels("kano_app_f", "zh")[1] == "我喜欢"
    with pytest.raises(ConfigError, match="did you mean 'sat'"):
        cb["sta"]
    with pytest.raises(ConfigError):
        cb.names("likret")  # type: ignore[arg-type]


def test_likert_gaps_filled() -> None:
    c = Column(
        "s", "likert", values={1: {"en": "Bad"}, 5: {"en": "Good"}, 9: {"en": "DK"}}, missing=[9]
    )
    assert c.value_labels() == {1: "Bad", 2: "2", 3: "3", 4: "4", 5: "Good", 9: "DK"}


def test_kano_pairs_errors() -> None:
    cb = Codebook(
        [
            Column("a_f", "kano_functional", feature="a"),
            Column("b_f", "kano_functional", feature="b"),
            Column("a_d", "kano_dysfunctional", feature="a"),
        ]
    )
    with pytest.raises(ConfigError, match="'b' has no dysfunctional column"):
        cb.kano_pairs()
    with pytest.raises(ConfigError, match="has no 'feature'"):
        Codebook([Column("x", "kano_functional")]).kano_pairs()


def test_table() -> None:
    t = survey_codebook().table(lang="zh")
    assert list(t.columns) == [
        "column",
        "type",
        "label",
        "group",
        "stage",
        "n_values",
        "values",
        "missing",
    ]
    row = t.set_index("column").loc["sat"]
    assert row["label"] == "满意度" and row["n_values"] == 6 and row["missing"] == "99"
    assert row["values"].startswith("1=非常不满意; 2=不满意")


# ------------------------------------------------------------------ infer
def test_infer_planted_types() -> None:
    rng = np.random.default_rng(1)
    n = 40
    df = pd.DataFrame(
        {
            "resp_id": np.arange(1000, 1000 + n),
            "sat_price": rng.integers(1, 6, n),
            "sat_service": rng.integers(1, 6, n),
            "region": rng.choice(["华北", "华东", "华南"], n),
            "age": rng.integers(18, 80, n),
            "spend": rng.gamma(2, 100, n),
            "comment": [f"评论 number {i} about delivery" for i in range(n)],
            "signup": pd.date_range("2025-01-01", periods=n).strftime("%Y-%m-%d"),
            "weight": rng.uniform(0.5, 2, n),
            "gender": rng.choice([1, 2], n),
        }
    )
    df.loc[0, "sat_price"], df.loc[1, "sat_price"] = 1, 5
    df.loc[0, "sat_service"], df.loc[1, "sat_service"] = 1, 5
    cb = Codebook.infer(df)
    types = {c.name: c.type for c in cb}
    assert types == {
        "resp_id": "id",
        "sat_price": "likert",
        "sat_service": "likert",
        "region": "single",
        "age": "numeric",
        "spend": "numeric",
        "comment": "text",
        "signup": "date",
        "weight": "weight",
        "gender": "single",
    }
    assert cb.groups() == {"sat": ["sat_price", "sat_service"]}
    assert cb.value_labels("region", "zh") == {1: "华东", 2: "华北", 3: "华南"}
    assert cb.value_labels("gender") == {1: "1", 2: "2"}
    assert cb.validate(df).empty
    assert cb.id == "resp_id" and cb.weight == "weight"


# ------------------------------------------------------------------ validate
def _problem_frame() -> tuple[Codebook, pd.DataFrame]:
    cb = Codebook.from_dict(
        {
            "needlab_codebook": 1,
            "columns": {
                "rid": {"type": "id"},
                "sat": {"type": "likert", "values": SAT, "missing": [99]},
                "kano": {"type": "kano_functional", "feature": "f", "values": KANO},
                "ltr": {"type": "numeric", "range": [0, 10]},
                "channels": {
                    "type": "multi",
                    "delimiter": ";",
                    "values": {1: "Online", 2: {"zh": "门店"}},
                },
                "weight": {"type": "weight"},
                "absent": {"type": "text"},
            },
        }
    )
    df = pd.DataFrame(
        {
            "rid": [1, 2, 2, 4, 5, 6],
            "sat": [5, "非常满意", " very SATISFIED ", 99, 7, "５"],
            "kano": ["我喜欢", 2, "meh", None, "I dislike it", "I like it"],
            "ltr": [0, 10, 11, "abc", -1, None],
            "channels": ["1;2", "online; 门店", "3", None, "1;x;2", "2"],
            "weight": [1.0, -1.0, 0.5, 1.0, 1.0, 1.0],
            "extra": [1, 2, 3, 4, 5, 6],
        }
    )
    return cb, df


def test_validate_finds_every_planted_problem() -> None:
    cb, df = _problem_frame()
    v = cb.validate(df)
    assert list(v.columns) == ["column", "problem", "n", "examples", "rows"]
    got = {(r.column, r.problem): (r.n, r.rows) for r in v.itertuples()}
    assert got == {
        ("rid", "duplicate_id"): (2, "1, 2"),
        ("sat", "not_in_labels"): (1, "4"),
        ("kano", "not_in_labels"): (1, "2"),
        ("ltr", "wrong_type"): (1, "3"),
        ("ltr", "out_of_range"): (2, "2, 4"),
        ("channels", "not_in_labels"): (2, "2, 4"),
        ("weight", "bad_weight"): (1, "1"),
        ("absent", "missing_column"): (6, ""),
    }
    assert v.loc[v["column"] == "channels", "examples"].item() == "'3', 'x'"
    assert v.loc[v["column"] == "ltr", "examples"].tolist() == ["'abc'", "11, -1"]


def test_validate_clean_is_empty_with_columns() -> None:
    v = survey_codebook().validate(survey_frame())
    assert v.empty and list(v.columns) == ["column", "problem", "n", "examples", "rows"]


# ------------------------------------------------------------------ apply / to_codes
def test_apply_codes_and_labels_both_languages() -> None:
    cb = survey_codebook()
    df = survey_frame()
    df.loc[0, "sat"] = 99
    out = cb.apply(df, lang="en")
    assert out["sat"].isna().tolist() == [True] + [False] * 5
    assert out["sat"].tolist()[1:] == [
        "Satisfied",
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Very satisfied",
    ]
    assert list(out["sat"].cat.categories) == [
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ]
    assert out["sat"].cat.ordered and not out["kano_app_f"].cat.ordered
    assert out["overall"].tolist() == [
        "Very satisfied",
        "Satisfied",
        "Neutral",
        "Dissatisfied",
        "Very satisfied",
        "Satisfied",
    ]
    zh = cb.apply(df, lang="zh")
    assert zh["kano_app_f"].tolist() == df["kano_app_f"].tolist()
    assert out["comment"].tolist() == df["comment"].tolist()  # untouched
    assert df["sat"].iloc[0] == 99  # input not modified
    codes = cb.to_codes(zh)
    assert codes["sat"].tolist()[1:] == [4, 1, 2, 3, 5] and codes["sat"].isna().iloc[0]
    assert codes["overall"].tolist() == [5, 4, 3, 2, 5, 4]
    assert str(codes["overall"].dtype) == "Int64"


def test_apply_raises_on_unknown_values() -> None:
    cb = survey_codebook()
    df = survey_frame()
    df["overall"] = df["overall"].astype(object)
    df.loc[[2, 4], "overall"] = ["超级满意", "bad"]
    with pytest.raises(DataError) as e:
        cb.apply(df)
    msg = str(e.value)
    assert "'overall'" in msg and "'超级满意', 'bad'" in msg and "rows 2, 4" in msg
