"""The KPI vocabulary: the names a plan's goals may measure, as data (a table, nothing executed).

A KPI name is ``family`` or ``family:argument``: ``csat``, ``nps:nps_brand``, ``top2:sat_de_speed``,
``within_standard:48``. Each family (:data:`KPI_FAMILIES`) has a bilingual label, a unit, a
natural direction (the direction in which the KPI gets better), the range its values can take and
whether an argument is required, allowed or forbidden. :func:`parse_kpi` checks a name against the
table and returns a :class:`KpiName`; :func:`kpi_label` gives its label. The monitoring functions
compute exactly these families.

======================  ========  =========  ==========  ==============================================
family                  argument  unit       direction   meaning
======================  ========  =========  ==========  ==============================================
``csat[:item]``         optional  %          increase    % satisfied (top two boxes) of the overall
                                                         satisfaction item, or of *item*
``csat_mean[:item]``    optional  points     increase    mean satisfaction score (same item rule)
``nps[:item]``          optional  points     increase    Net Promoter Score (-100..100)
``top2:<item>``         required  %          increase    % answering the top two boxes of *item*
``bottom2:<item>``      required  %          decrease    % answering the bottom two boxes of *item*
``mean:<item>``         required  points     increase    mean score of *item*
``retention_rate``      none      %          increase    % of a cohort's customers still buying
``repeat_rate``         none      %          increase    % of customers with a repeat purchase
``churn_rate``          none      %          decrease    % of customers lost
``complaint_rate[:c]``  optional  %          decrease    % of feedback records with a complaint (code c)
``share[:brand]``       optional  %          increase    market share of the own brand (or *brand*)
``first_response_time`` none      hours      decrease    median hours from request to first response
``resolution_time``     none      hours      decrease    median hours from request to resolution
``response_within:<h>`` required  %          increase    % of requests first answered within *h* hours
``within_standard:<h>`` required  %          increase    % of requests resolved within *h* hours
======================  ========  =========  ==========  ==============================================
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from needlab._types import Lang
from needlab.errors import ConfigError

__all__ = ["KPI_FAMILIES", "KpiFamily", "KpiName", "kpi_label", "parse_kpi"]

Direction = Literal["increase", "decrease"]
ArgumentRule = Literal["required", "optional", "none"]


@dataclass(frozen=True)
class KpiFamily:
    """One family of the KPI vocabulary (a row of :data:`KPI_FAMILIES`).

    Attributes
    ----------
    name : str
        The family name written in a plan (``"top2"``).
    label_en, label_zh : str
        Label without an argument.
    label_arg_en, label_arg_zh : str
        Label template with an argument (``{arg}`` is replaced); empty when no argument is allowed.
    unit : str
        ``"%"``, ``"points"`` or ``"hours"``.
    direction : {"increase", "decrease"}
        The natural direction: the way the KPI gets better.
    argument : {"required", "optional", "none"}
        Whether ``family:argument`` needs, allows or forbids an argument.
    argument_kind : str
        What the argument names: ``"item"`` (a survey column), ``"code"`` (a pain-point code),
        ``"brand"``, ``"hours"`` (a positive number) or ``""``.
    lower, upper : float or None
        The range of the values (``None``: unbounded on that side).
    """

    name: str
    label_en: str
    label_zh: str
    label_arg_en: str
    label_arg_zh: str
    unit: str
    direction: Direction
    argument: ArgumentRule
    argument_kind: str
    lower: float | None
    upper: float | None


def _f(
    name: str,
    labels: tuple[str, str, str, str],
    unit: str,
    direction: Direction,
    argument: ArgumentRule,
    kind: str,
    bounds: tuple[float | None, float | None],
) -> KpiFamily:
    return KpiFamily(name, *labels, unit, direction, argument, kind, *bounds)


_PCT = (0.0, 100.0)
_TABLE = (
    _f(
        "csat",
        (
            "Customer satisfaction (CSAT), % satisfied",
            "客户满意度 (CSAT，满意占比 %)",
            "Satisfaction with {arg}, % satisfied",
            "{arg} 满意度 (满意占比 %)",
        ),
        "%",
        "increase",
        "optional",
        "item",
        _PCT,
    ),
    _f(
        "csat_mean",
        (
            "Customer satisfaction, mean score",
            "客户满意度均值",
            "Satisfaction with {arg}, mean score",
            "{arg} 满意度均值",
        ),
        "points",
        "increase",
        "optional",
        "item",
        (None, None),
    ),
    _f(
        "nps",
        (
            "Net Promoter Score",
            "净推荐值 NPS",
            "Net Promoter Score ({arg})",
            "净推荐值 NPS ({arg})",
        ),
        "points",
        "increase",
        "optional",
        "item",
        (-100.0, 100.0),
    ),
    _f(
        "top2",
        ("", "", "{arg}, % top two boxes", "{arg} 前两项占比 (%)"),
        "%",
        "increase",
        "required",
        "item",
        _PCT,
    ),
    _f(
        "bottom2",
        ("", "", "{arg}, % bottom two boxes", "{arg} 后两项占比 (%)"),
        "%",
        "decrease",
        "required",
        "item",
        _PCT,
    ),
    _f(
        "mean",
        ("", "", "{arg}, mean score", "{arg} 均值"),
        "points",
        "increase",
        "required",
        "item",
        (None, None),
    ),
    _f("retention_rate", ("Retention rate", "留存率", "", ""), "%", "increase", "none", "", _PCT),
    _f(
        "repeat_rate", ("Repeat-purchase rate", "复购率", "", ""), "%", "increase", "none", "", _PCT
    ),
    _f("churn_rate", ("Churn rate", "流失率", "", ""), "%", "decrease", "none", "", _PCT),
    _f(
        "complaint_rate",
        ("Complaint rate", "投诉率", "Complaint rate: {arg}", "投诉率：{arg}"),
        "%",
        "decrease",
        "optional",
        "code",
        _PCT,
    ),
    _f(
        "share",
        ("Market share", "市场份额", "Market share of {arg}", "{arg} 市场份额"),
        "%",
        "increase",
        "optional",
        "brand",
        _PCT,
    ),
    _f(
        "first_response_time",
        ("Median time to first response", "首次响应时长中位数", "", ""),
        "hours",
        "decrease",
        "none",
        "",
        (0.0, None),
    ),
    _f(
        "resolution_time",
        ("Median time to resolution", "解决时长中位数", "", ""),
        "hours",
        "decrease",
        "none",
        "",
        (0.0, None),
    ),
    _f(
        "response_within",
        ("", "", "First response within {arg} h, %", "{arg} 小时内首次响应占比 (%)"),
        "%",
        "increase",
        "required",
        "hours",
        _PCT,
    ),
    _f(
        "within_standard",
        ("", "", "Resolved within {arg} h, %", "{arg} 小时内解决占比 (%)"),
        "%",
        "increase",
        "required",
        "hours",
        _PCT,
    ),
)

KPI_FAMILIES: Mapping[str, KpiFamily] = MappingProxyType({f.name: f for f in _TABLE})
"""The KPI families by name (read-only): the vocabulary a plan may use."""

_EXAMPLE_ARG = {"item": "sat_de_speed", "code": "app_pairing", "brand": "Lumo", "hours": "48"}


@dataclass(frozen=True)
class KpiName:
    """A parsed KPI name: a family of :data:`KPI_FAMILIES` and its argument.

    Attributes
    ----------
    family : str
        The family name.
    argument : str or None
        The argument after ``:`` (hours are written canonically: ``48``, ``0.5``).
    """

    family: str
    argument: str | None = None

    @property
    def name(self) -> str:
        """The canonical written name, ``family`` or ``family:argument``."""
        return self.family if self.argument is None else f"{self.family}:{self.argument}"

    @property
    def spec(self) -> KpiFamily:
        """The family's row of the vocabulary."""
        return KPI_FAMILIES[self.family]

    @property
    def unit(self) -> str:
        """The family's unit."""
        return self.spec.unit

    @property
    def direction(self) -> Direction:
        """The family's natural direction (``"increase"`` or ``"decrease"``)."""
        return self.spec.direction

    def label(self, lang: Lang = "en") -> str:
        """The label in *lang* (``"en"`` or ``"zh"``)."""
        spec = self.spec
        if self.argument is None:
            return spec.label_zh if lang == "zh" else spec.label_en
        template = spec.label_arg_zh if lang == "zh" else spec.label_arg_en
        return template.replace("{arg}", self.argument)

    def __str__(self) -> str:
        return self.name


def _usage(spec: KpiFamily) -> str:
    example = _EXAMPLE_ARG.get(spec.argument_kind, "")
    if spec.argument == "none":
        return f"'{spec.name}'"
    if spec.argument == "required":
        return f"'{spec.name}:<{spec.argument_kind}>' (e.g. '{spec.name}:{example}')"
    return f"'{spec.name}' or '{spec.name}:<{spec.argument_kind}>' (e.g. '{spec.name}:{example}')"


def _unknown(text: str, family: str) -> ConfigError:
    names = list(KPI_FAMILIES)
    hint = ""
    # Version-1 plans wrote 'top2_sat_de_speed': a family, an underscore and an argument.
    for spec in _TABLE:
        if spec.argument != "none" and family.startswith(spec.name + "_"):
            rest = family[len(spec.name) + 1 :]
            if rest:
                hint = f" (did you mean '{spec.name}:{rest}'?)"
                break
    if not hint:
        close = difflib.get_close_matches(family, names, n=1, cutoff=0.6)
        if close:
            hint = f" (did you mean {_usage(KPI_FAMILIES[close[0]])}?)"
    return ConfigError(
        f"KPI {text!r}: unknown KPI family {family!r}{hint}. Write 'family' or "
        f"'family:argument' with a family of the vocabulary: {', '.join(names)}."
    )


def parse_kpi(data: str | KpiName) -> KpiName:
    """Check a KPI name against the vocabulary and split it into family and argument.

    Parameters
    ----------
    data : str or KpiName
        ``family`` or ``family:argument`` (surrounding spaces are ignored; family names are
        lower case). Arguments of the ``hours`` kind must be positive numbers and are written
        canonically (``within_standard:48.0`` becomes ``within_standard:48``).

    Returns
    -------
    KpiName

    Raises
    ------
    ConfigError
        An unknown family (the message suggests the nearest family with difflib, and
        ``family:argument`` for version-1 names such as ``top2_sat_de_speed``), a missing
        required argument, an argument the family forbids, an empty argument, or hours that are
        not a positive number; each message shows the valid form.

    Examples
    --------
    >>> parse_kpi("top2:sat_de_speed")
    KpiName(family='top2', argument='sat_de_speed')
    >>> parse_kpi("within_standard:48.0").name
    'within_standard:48'
    >>> parse_kpi("cast")
    Traceback (most recent call last):
    ...
    needlab.errors.ConfigError: KPI 'cast': unknown KPI family 'cast' (did you mean 'csat' or ...
    """
    if isinstance(data, KpiName):
        data = data.name
    if not isinstance(data, str):
        raise ConfigError(
            f"a KPI name must be text such as 'csat' or 'top2:sat_de_speed', got {data!r}."
        )
    text = data.strip()
    if not text:
        raise ConfigError(
            "a KPI name is empty: write a family of the vocabulary, e.g. 'csat' or "
            "'top2:sat_de_speed'."
        )
    family, sep, arg = text.partition(":")
    family = family.strip()
    spec = KPI_FAMILIES.get(family)
    if spec is None:
        raise _unknown(text, family)
    argument: str | None = arg.strip() if sep else None
    if argument is None or argument == "":
        if sep:
            raise ConfigError(
                f"KPI {text!r}: the argument after ':' is empty. Write {_usage(spec)}."
            )
        if spec.argument == "required":
            raise ConfigError(
                f"KPI {text!r}: family {family!r} needs an argument (the {spec.argument_kind}). "
                f"Write {_usage(spec)}."
            )
        return KpiName(family, None)
    if spec.argument == "none":
        raise ConfigError(
            f"KPI {text!r}: family {family!r} takes no argument, got {argument!r}. "
            f"Write {_usage(spec)}."
        )
    if spec.argument_kind == "hours":
        try:
            hours = float(argument)
        except ValueError:
            hours = math.nan
        if not (math.isfinite(hours) and hours > 0):
            raise ConfigError(
                f"KPI {text!r}: the standard {argument!r} must be a positive number of hours. "
                f"Write {_usage(spec)}."
            )
        argument = f"{hours:g}"
    return KpiName(family, argument)


def kpi_label(data: str | KpiName, *, lang: Lang = "en") -> str:
    """The label of a KPI name in English or Chinese.

    Parameters
    ----------
    data : str or KpiName
        A KPI name of the vocabulary (see :func:`parse_kpi`).
    lang : {"en", "zh"}, default "en"
        Language of the label.

    Returns
    -------
    str

    Raises
    ------
    ConfigError
        *data* is not a name of the vocabulary (see :func:`parse_kpi`), or *lang* is not
        ``"en"`` or ``"zh"``.

    Examples
    --------
    >>> kpi_label("top2:sat_de_speed")
    'sat_de_speed, % top two boxes'
    >>> kpi_label("nps", lang="zh")
    '净推荐值 NPS'
    >>> kpi_label("within_standard:48")
    'Resolved within 48 h, %'
    """
    if lang not in ("en", "zh"):
        raise ConfigError(f"lang={lang!r} is not an option; choose 'en' or 'zh'.")
    return parse_kpi(data).label(lang)
