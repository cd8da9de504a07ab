"""The KPI vocabulary (needlab.plan.kpis): the table, parsing, labels and every error."""

from __future__ import annotations

import pytest

from needlab.errors import ConfigError
from needlab.plan.kpis import KPI_FAMILIES, KpiName, kpi_label, parse_kpi

# The families issue 15 and issue 16 name, with the unit, natural direction and argument rule
# each must have (written out by hand, not read from the table).
EXPECTED = {
    "csat": ("%", "increase", "optional"),
    "csat_mean": ("points", "increase", "optional"),
    "nps": ("points", "increase", "optional"),
    "top2": ("%", "increase", "required"),
    "bottom2": ("%", "decrease", "required"),
    "mean": ("points", "increase", "required"),
    "retention_rate": ("%", "increase", "none"),
    "repeat_rate": ("%", "increase", "none"),
    "churn_rate": ("%", "decrease", "none"),
    "complaint_rate": ("%", "decrease", "optional"),
    "share": ("%", "increase", "optional"),
    "first_response_time": ("hours", "decrease", "none"),
    "resolution_time": ("hours", "decrease", "none"),
    "response_within": ("%", "increase", "required"),
    "within_standard": ("%", "increase", "required"),
}


def test_the_table_has_every_family_with_unit_direction_and_argument_rule() -> None:
    assert set(KPI_FAMILIES) == set(EXPECTED)
    for name, (unit, direction, argument) in EXPECTED.items():
        spec = KPI_FAMILIES[name]
        assert (spec.unit, spec.direction, spec.argument) == (unit, direction, argument), name
        # every family has an English and a Chinese label for the forms it allows
        if argument != "required":
            assert spec.label_en and spec.label_zh
        if argument != "none":
            assert "{arg}" in spec.label_arg_en and "{arg}" in spec.label_arg_zh
    assert KPI_FAMILIES["nps"].lower == -100 and KPI_FAMILIES["nps"].upper == 100
    assert KPI_FAMILIES["resolution_time"].lower == 0
    assert KPI_FAMILIES["resolution_time"].upper is None


def test_the_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        KPI_FAMILIES["new"] = KPI_FAMILIES["csat"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "family", "argument", "name"),
    [
        ("csat", "csat", None, "csat"),
        ("csat:sat_overall", "csat", "sat_overall", "csat:sat_overall"),
        ("  top2 : sat_de_speed ", "top2", "sat_de_speed", "top2:sat_de_speed"),
        ("nps", "nps", None, "nps"),
        ("within_standard:48", "within_standard", "48", "within_standard:48"),
        ("within_standard:48.0", "within_standard", "48", "within_standard:48"),
        ("response_within:0.5", "response_within", "0.5", "response_within:0.5"),
        ("complaint_rate:app_pairing", "complaint_rate", "app_pairing", None),
        ("share:Lumo", "share", "Lumo", None),
        ("churn_rate", "churn_rate", None, None),
    ],
)
def test_parse_splits_family_and_argument(
    text: str, family: str, argument: str | None, name: str | None
) -> None:
    k = parse_kpi(text)
    assert (k.family, k.argument) == (family, argument)
    assert k.name == (name or text.strip())
    assert str(k) == k.name
    assert parse_kpi(k) == k  # a parsed name parses to itself


def test_labels_in_both_languages() -> None:
    assert kpi_label("top2:sat_de_speed") == "sat_de_speed, % top two boxes"
    assert kpi_label("top2:sat_de_speed", lang="zh") == "sat_de_speed 前两项占比 (%)"
    assert kpi_label("nps") == "Net Promoter Score"
    assert kpi_label("nps", lang="zh") == "净推荐值 NPS"
    assert kpi_label("within_standard:48") == "Resolved within 48 h, %"
    assert kpi_label("within_standard:48", lang="zh") == "48 小时内解决占比 (%)"
    assert kpi_label("churn_rate", lang="zh") == "流失率"
    k = parse_kpi("bottom2:sat_as_solve")
    assert (k.unit, k.direction) == ("%", "decrease")
    assert isinstance(k, KpiName)


def _error(text: object) -> str:
    with pytest.raises(ConfigError) as e:
        parse_kpi(text)  # type: ignore[arg-type]
    return str(e.value)


def test_unknown_family_suggests_the_nearest() -> None:
    msg = _error("cast")
    assert "unknown KPI family 'cast'" in msg and "did you mean 'csat'" in msg
    assert "within_standard" in msg  # the valid families are listed
    msg = _error("resolution_tme")
    assert "did you mean 'resolution_time'" in msg


def test_version_1_names_get_the_family_argument_form() -> None:
    msg = _error("top2_sat_de_speed")
    assert "did you mean 'top2:sat_de_speed'" in msg


def test_missing_required_argument() -> None:
    msg = _error("top2")
    assert "'top2' needs an argument (the item)" in msg and "'top2:<item>'" in msg
    assert "needs an argument (the hours)" in _error("within_standard")


def test_forbidden_argument() -> None:
    msg = _error("churn_rate:north")
    assert "'churn_rate' takes no argument, got 'north'" in msg and "Write 'churn_rate'" in msg


def test_empty_argument() -> None:
    msg = _error("csat:")
    assert "argument after ':' is empty" in msg and "'csat:<item>'" in msg


@pytest.mark.parametrize("hours", ["abc", "-5", "0", "inf", "nan", "48h"])
def test_hours_must_be_a_positive_number(hours: str) -> None:
    msg = _error(f"within_standard:{hours}")
    assert f"the standard {hours!r} must be a positive number of hours" in msg
    assert "within_standard:48" in msg


def test_not_text_and_empty() -> None:
    assert "must be text" in _error(3)
    assert "is empty" in _error("  ")


def test_kpi_label_refuses_an_unknown_lang() -> None:
    with pytest.raises(ConfigError, match="lang='fr'.*'en' or 'zh'"):
        kpi_label("csat", lang="fr")  # type: ignore[arg-type]
