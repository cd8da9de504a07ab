from __future__ import annotations

import dataclasses

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, SchemaError
from needlab.io import Codebook, QualityReport, quality

ITEMS = [f"sat_{k}" for k in range(1, 6)]
STRAIGHT = [3, 17, 50]
SPEEDERS = [5, 99]
JUNK = {7: "repeated_char", 8: "no_letters", 9: "one_char", 10: "empty", 11: "repeated_char"}
DUP = (20, 21)


def planted(n: int = 200, seed: int = 0) -> tuple[pd.DataFrame, Codebook]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"rid": np.arange(1, n + 1)})
    first = rng.integers(1, 6, n)
    df[ITEMS[0]] = first
    df[ITEMS[1]] = first % 5 + 1  # never equal to the first item: no accidental straight-lining
    for it in ITEMS[2:]:
        df[it] = rng.integers(1, 6, n)
    for r in STRAIGHT:
        df.loc[r, ITEMS] = 4
    df.loc[60, ITEMS] = [4, 4, 4, 4, np.nan]  # not all answered: not a straight-liner
    df["duration"] = rng.uniform(300, 900, n).round()
    df.loc[SPEEDERS, "duration"] = [30, 60]
    df["comment"] = rng.choice(
        ["配送太慢了", "price is too high", "服务很好", "app crashes 2 times"], n
    )
    df.loc[list(JUNK), "comment"] = ["aaaa", "1234 !!", "x", "   ", "好好好好"]
    df.loc[12, "comment"] = None  # missing is not junk
    df.loc[DUP[1], "rid"] = df.loc[DUP[0], "rid"]
    df["ltr"] = rng.integers(0, 11, n)
    df.loc[30, "ltr"] = 15
    df.loc[31, "sat_3"] = 7
    cb = Codebook.from_dict(
        {
            "needlab_codebook": 1,
            "columns": {
                "rid": {"type": "id"},
                **{
                    it: {
                        "type": "likert",
                        "group": "sat",
                        "values": {1: "Bad", 5: "Good"},
                        "missing": [99],
                    }
                    for it in ITEMS
                },
                "duration": {"type": "numeric"},
                "comment": {"type": "text"},
                "ltr": {"type": "numeric", "range": [0, 10]},
            },
        }
    )
    return df, cb


def test_finds_exactly_the_planted_rows() -> None:
    df, cb = planted()
    rep = quality(df, codebook=cb)
    assert isinstance(rep, QualityReport)
    assert rep.straightliners["row"].tolist() == STRAIGHT
    assert rep.straightliners["id"].tolist() == [r + 1 for r in STRAIGHT]
    assert set(rep.straightliners["value"]) == {4.0} and set(rep.straightliners["n_items"]) == {5}
    assert rep.speeders["row"].tolist() == SPEEDERS
    median = df["duration"].median()
    assert rep.speeders["threshold"].iloc[0] == pytest.approx(median / 3)
    assert dict(zip(rep.junk_text["row"], rep.junk_text["reason"], strict=True)) == JUNK
    assert rep.duplicates.values.tolist() == [[DUP[0] + 1, 2, "20, 21"]]
    oor = rep.out_of_range
    assert oor[["row", "column", "problem"]].values.tolist() == [
        [31, "sat_3", "not_in_labels"],
        [30, "ltr", "out_of_range"],
    ]
    errors = rep.table[rep.table["severity"] == "error"]
    assert errors[["check", "column", "n"]].values.tolist() == [
        ["duplicate_id", "rid", 2],
        ["out_of_range", "sat_3", 1],
        ["out_of_range", "ltr", 1],
    ]
    assert rep.n_errors == 3
    missing = rep.missing.set_index("column")
    assert missing.loc["comment", "n_missing"] == 2  # None and the blank answer
    assert missing.loc["sat_5", "n_missing"] == 1
    assert missing.loc["sat_5", "share_missing"] == pytest.approx(1 / 200)
    s = rep.summary()
    assert s["straight-liners"] == 3 and s["speeders"] == 2 and s["errors"] == 3
    assert set(rep.tables()) >= {"findings", "straightliners", "speeders", "junk_text"}


def test_user_missing_breaks_straightlining_and_counts_as_missing() -> None:
    df, cb = planted()
    df.loc[3, "sat_2"] = 99
    rep = quality(df, codebook=cb)
    assert rep.straightliners["row"].tolist() == [17, 50]
    assert rep.missing.set_index("column").loc["sat_2", "n_missing"] == 1


def test_options() -> None:
    df, cb = planted()
    rep = quality(df, codebook=cb, min_duration=400, straightline_min_items=6, id="rid")
    assert rep.straightliners.empty
    assert rep.speeders["row"].tolist() == np.flatnonzero(df["duration"].to_numpy() < 400).tolist()
    df2 = df.rename(columns={"duration": "用时"})
    assert quality(df2, codebook=cb).speeders["row"].tolist() == SPEEDERS
    assert (
        quality(df, codebook=cb, duration="ltr", min_duration=1).speeders["row"].tolist()
        == np.flatnonzero(df["ltr"].to_numpy() < 1).tolist()
    )
    with pytest.raises(ConfigError):
        quality(df, codebook=cb, straightline_min_items=1)
    with pytest.raises(SchemaError, match="'durationx'"):
        quality(df, codebook=cb, duration="durationx")


def test_without_codebook_infers_batteries() -> None:
    df, _ = planted()
    df = df.drop(columns=["sat_3"])
    rep = quality(df)
    assert rep.straightliners["row"].tolist() == STRAIGHT
    assert rep.speeders["row"].tolist() == SPEEDERS


def test_clean_frame_has_no_errors_and_plot() -> None:
    df = pd.DataFrame({"rid": [1, 2, 3], "x": [1.0, np.nan, 3.0]})
    rep = quality(df)
    assert rep.n_errors == 0 and rep.table["check"].tolist() == ["missing"]
    ax = rep.plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["missing: x"]
    assert [p.get_width() for p in ax.patches] == pytest.approx([1 / 3])
    plt.close("all")
    assert "Data quality" in repr(rep) and "<h4>" in rep._repr_html_()
    assert (rep.n_used, rep.n_excluded) == (3, 0)


def test_counts_every_row_as_used() -> None:
    df, cb = planted()
    rep = quality(df, codebook=cb)
    assert (rep.n_used, rep.n_excluded) == (200, 0)
    assert "n_rows" not in {f.name for f in dataclasses.fields(rep)}


def test_plot_draws_one_bar_per_finding_coloured_by_severity() -> None:
    from needlab.io.plot import SEVERITY_COLOURS

    df, cb = planted()
    rep = quality(df, codebook=cb)
    ax = rep.plot()
    try:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert len(ax.patches) == len(rep.table) == len(labels)
        # errors on top (the last bar is drawn highest)
        assert labels[-1] == "duplicate_id: rid"
        assert ax.patches[-1].get_width() == pytest.approx(2 / 200)
        from matplotlib.colors import to_hex

        assert to_hex(ax.patches[-1].get_facecolor()) == SEVERITY_COLOURS["error"]
        speed = labels.index("speeding: duration")
        assert ax.patches[speed].get_width() == pytest.approx(2 / 200)
        assert to_hex(ax.patches[speed].get_facecolor()) == SEVERITY_COLOURS["warning"]
    finally:
        plt.close("all")


def test_no_findings_says_so() -> None:
    rep = quality(pd.DataFrame({"rid": [1, 2, 3], "x": [1.0, 2.0, 3.0]}))
    ax = rep.plot()
    assert [t.get_text() for t in ax.texts] == ["no findings"]
    plt.close("all")


def test_survey_brings_its_codebook_and_id(tmp_path) -> None:
    from needlab.io import read_survey

    df, cb = planted()
    df = df.drop(columns=["sat_3"]).assign(sat_3=df["sat_3"].where(df.index != 31, 3))
    path = tmp_path / "s.csv"
    df.to_csv(path, index=False)
    survey = read_survey(path, codebook=cb, strict=False)
    by_hand = quality(survey.data, codebook=survey.codebook)
    rep = quality(survey)
    pd.testing.assert_frame_equal(rep.table, by_hand.table)
    assert rep.duplicates["id"].tolist() == [DUP[0] + 1]  # the codebook's id column
    assert rep.straightliners["id"].tolist() == [r + 1 for r in STRAIGHT]
    # an explicit codebook or id overrides the Survey's
    other = quality(survey, id="ltr")
    assert other.table.loc[other.table["check"] == "duplicate_id", "column"].tolist() == ["ltr"]
