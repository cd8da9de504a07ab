"""Sample data: a seeded, bilingual customer-needs study with planted ground truth.

The study is fictional: *Lumo 智家* (Lumo Home), a smart home appliance brand (robot vacuums, air
purifiers, smart locks, humidifiers, plugs and consumables) selling in six Chinese regions. The
generator plants true customer segments, Kano categories, driver weights of overall satisfaction,
pain-point rates by segment and journey stage, churners, value tiers and a real change between two
survey waves on some KPIs but not on others, a need structure (a worst basic need, a delighter, costs,
feasibility, a MaxDiff block), a third wave with a panel, service tickets with planted response and
resolution times (some still open), a monthly KPI series with a planted shift and the churn model's
retention by cohort, a competitor block (brand funnel, brand x attribute ratings with a price, a
service and a design leader, brand image counts with a 2-D structure, a switching flow, stated
spend shares) with half-yearly market data, and returns that truth with the data, so that every
analysis in needlab can be tested by recovering it. ``data/sample/`` in the repository is the
committed rendering of ``make_sample(0)`` (a test keeps them equal); ``data/sample/README.md``
documents every file column by column.

Examples
--------
>>> from needlab.datasets import make_sample
>>> s = make_sample(0)
>>> s.survey_wave1.shape[0], s.truth.kano.loc[0, "category"]
(2000, 'O')
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from needlab._yaml import load_yaml
from needlab.datasets._generate import FILES, MarketTruth, Truth, render

__all__ = ["FILES", "MarketTruth", "Sample", "Truth", "load_sample", "make_sample", "write_sample"]

_FRAMES = (
    "customers",
    "transactions",
    "survey_wave1",
    "survey_wave2",
    "feedback",
    "competitors",
    "needs",
    "needs_mapping",
    "maxdiff",
    "survey_wave3",
    "tickets",
    "kpi_monthly",
    "brand_survey",
    "brand_ratings",
    "brand_image",
    "market",
)


@dataclass(frozen=True, repr=False, eq=False)
class Sample:
    """The sample study: sixteen tables, the survey codebook, an example plan and the planted truth.

    Attributes
    ----------
    customers, transactions, survey_wave1, survey_wave2, feedback, competitors : DataFrame
        Exactly what the CSV files hold when read back with ``pandas.read_csv``.
    needs : DataFrame
        ``needs.csv``: one row per need (need, label_en, label_zh, cost, feasibility, effort,
        reach, confidence).
    needs_mapping : DataFrame
        ``needs_mapping.csv``: source, key, need, label_en, label_zh, explicit (Kano features,
        survey items, pain codes and MaxDiff items linked to needs).
    maxdiff : DataFrame
        ``maxdiff.csv``: resp_id, task, item (need id), choice (1 best, -1 worst, 0 neither).
    survey_wave3 : DataFrame
        ``survey_wave3.csv``: wave 3 (April 2025), the columns of waves 1-2; 40% of its
        respondents also answered wave 2 (linked by customer_id).
    tickets : DataFrame
        ``tickets.csv``: ticket_id, customer_id, channel, opened, first_response, resolved
        (naive local ``YYYY-MM-DD HH:MM`` text; empty first_response / resolved: not yet at the
        cut-off 2025-07-01 00:00), category.
    kpi_monthly : DataFrame
        ``kpi_monthly.csv``: month (``YYYY-MM``), kpi, events, n, value (100 events / n, %).
    brand_survey : DataFrame
        ``brand_survey.csv``: the brand block of 60% of the wave-1 respondents: resp_id,
        customer_id, weight, ``aware_<brand>`` and ``consider_<brand>`` (0/1), current_brand,
        preferred_brand, previous_brand (NaN: none), ``spend_<brand>`` (% of category spend,
        summing to 100; NaN: no spend in the category).
    brand_ratings : DataFrame
        ``brand_ratings.csv``: resp_id, brand, weight and ten 1-10 attribute ratings (one row per
        respondent and brand they are aware of; NaN: don't know).
    brand_image : DataFrame
        ``brand_image.csv``: brand and eight image-attribute counts (for a perceptual map).
    market : DataFrame
        ``market.csv``: period (2021H1..2024H2), brand (five brands and Others), kpi (units,
        revenue), value, unit, source.
    codebook : dict
        The survey codebook (``codebook.yaml``) as a plain dict in the docs/codebook.md format.
    plan : dict
        The example needs development plan (``plan.yaml``, Plan YAML v2: needs, goals, actions).
    truth : Truth
        The planted ground truth (see :class:`Truth`).
    seed : int
        The generator seed.
    """

    customers: pd.DataFrame
    transactions: pd.DataFrame
    survey_wave1: pd.DataFrame
    survey_wave2: pd.DataFrame
    feedback: pd.DataFrame
    competitors: pd.DataFrame
    needs: pd.DataFrame
    needs_mapping: pd.DataFrame
    maxdiff: pd.DataFrame
    survey_wave3: pd.DataFrame
    tickets: pd.DataFrame
    kpi_monthly: pd.DataFrame
    brand_survey: pd.DataFrame
    brand_ratings: pd.DataFrame
    brand_image: pd.DataFrame
    market: pd.DataFrame
    codebook: dict[str, Any]
    plan: dict[str, Any]
    truth: Truth
    seed: int = 0

    @property
    def codebook_dict(self) -> dict[str, Any]:
        """The codebook as a plain dict (same as :attr:`codebook`)."""
        return self.codebook

    def codebook_obj(self) -> Any:
        """The codebook as a :class:`needlab.io.codebook.Codebook` (``Codebook.from_dict``)."""
        from needlab.io.codebook import Codebook  # lazy: io is optional for the generator

        return Codebook.from_dict(self.codebook)

    @property
    def survey(self) -> pd.DataFrame:
        """Waves 1 and 2 stacked (wave 1 then wave 2; the rows of ``truth.respondents``)."""
        return pd.concat([self.survey_wave1, self.survey_wave2], ignore_index=True)

    @property
    def waves(self) -> dict[int, pd.DataFrame]:
        """The three survey waves by wave number: ``{1: survey_wave1, 2: ..., 3: survey_wave3}``."""
        return {1: self.survey_wave1, 2: self.survey_wave2, 3: self.survey_wave3}

    def __repr__(self) -> str:
        lines = [f"Sample(seed={self.seed})"]
        for name in _FRAMES:
            df = getattr(self, name)
            lines.append(f"  {name:<13} {df.shape[0]:>6} rows x {df.shape[1]:>3} columns")
        lines.append(
            f"  codebook      {len(self.codebook.get('columns', {})):>6} columns described"
        )
        lines.append(f"  plan          {len(self.plan.get('goals', [])):>6} goals")
        lines.append(f"  truth         {self.truth!r}")
        return "\n".join(lines)


_FIX = "regenerate the folder with needlab.datasets.write_sample(DIR) or `needlab sample DIR`"


def _damaged(where: str, what: str, exc_type: type[Exception]) -> Exception:
    return exc_type(f"sample file {where} is damaged: {what}; {_FIX}.")


def _read_frame(text: str, where: str, expected: str | None) -> pd.DataFrame:
    """One sample CSV, checked against the header the generator writes (*expected*)."""
    from needlab.errors import DataError, SchemaError

    try:
        df = pd.read_csv(io.StringIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise _damaged(where, f"not a readable CSV table ({exc})".rstrip(), DataError) from None
    if expected is not None:
        want = expected.split("\n", 1)[0].split(",")
        got = [str(c) for c in df.columns]
        if got != want:
            lost = [c for c in want if c not in got]
            extra = [c for c in got if c not in want]
            what = (
                f"columns missing {lost[:5]}, unexpected {extra[:5]}"
                if lost or extra
                else "columns in another order"
            )
            raise _damaged(where, what, SchemaError)
    return df


def _read_mapping(text: str, where: str) -> dict[str, Any]:
    """One sample YAML file (codebook or plan): a mapping, duplicate keys refused."""
    import yaml

    from needlab.errors import ConfigError

    try:
        doc = load_yaml(text)
    except yaml.YAMLError as exc:
        raise _damaged(where, f"not valid YAML ({exc})", ConfigError) from None
    if not isinstance(doc, dict):
        raise _damaged(where, f"a mapping was expected, got {type(doc).__name__}", ConfigError)
    return doc


def _from_texts(
    texts: dict[str, str],
    truth: Truth,
    seed: int,
    *,
    where: Path | None = None,
    expected: dict[str, str] | None = None,
) -> Sample:
    def name(f: str) -> str:
        return repr(str(where / f)) if where is not None else repr(f)

    frames = {
        f: _read_frame(texts[f"{f}.csv"], name(f"{f}.csv"), (expected or {}).get(f"{f}.csv"))
        for f in _FRAMES
    }
    return Sample(
        **frames,
        codebook=_read_mapping(texts["codebook.yaml"], name("codebook.yaml")),
        plan=_read_mapping(texts["plan.yaml"], name("plan.yaml")),
        truth=truth,
        seed=seed,
    )


def make_sample(
    seed: int = 0,
    *,
    n_customers: int = 6000,
    n_respondents: int = 2000,
    n_feedback: int = 3600,
    n_tickets: int = 4000,
) -> Sample:
    """Generate the sample study in memory.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same data on every machine.
    n_customers : int
        Customers in ``customers.csv`` (the survey population).
    n_respondents : int
        Respondents per survey wave (40% of wave 2 also answered wave 1, 40% of wave 3 wave 2).
    n_feedback : int
        Texts in ``feedback.csv``.
    n_tickets : int
        Service tickets in ``tickets.csv`` (opened 2024-01 .. 2025-06).

    Returns
    -------
    Sample
        Tables identical to the CSV files that :func:`write_sample` writes (parsed back with
        ``pandas.read_csv``), the codebook and plan dicts and the planted :class:`Truth`.

    Examples
    --------
    >>> s = make_sample(1, n_customers=800, n_respondents=300, n_feedback=200)
    >>> s.survey_wave2.shape[0], len(s.truth.segments), s.survey_wave3.shape[0]
    (300, 800, 300)
    """
    texts, truth = render(
        seed,
        n_customers=n_customers,
        n_respondents=n_respondents,
        n_feedback=n_feedback,
        n_tickets=n_tickets,
    )
    return _from_texts(texts, truth, seed)


def write_sample(directory: str | Path, *, seed: int = 0) -> list[Path]:
    """Write the eighteen sample files to *directory* (created when missing); return their paths.

    CSV files are UTF-8 without BOM with ``\\n`` line endings; YAML is written with
    ``yaml.safe_dump(allow_unicode=True, sort_keys=False)``. The bytes depend only on *seed*.
    ``data/sample/README.md`` is hand-written and not touched.

    Parameters
    ----------
    directory : str or Path
        The target folder.
    seed : int, default 0
        Seed of the generator (see :func:`make_sample`).

    Returns
    -------
    list of Path
        The files written, in the order of :data:`FILES`.

    Raises
    ------
    ConfigError
        *directory* cannot be created or written (a file of that name exists, no permission);
        the message names the folder.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_sample(tempfile.mkdtemp())][:2]
    ['customers.csv', 'transactions.csv']
    """
    from needlab.errors import ConfigError

    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the sample folder {str(directory)!r}: {exc.strerror or exc}; "
            "choose a folder you can write to."
        ) from None
    texts, _ = render(seed)
    paths = []
    for name in FILES:
        path = directory / name
        try:
            path.write_bytes(texts[name].encode("utf-8"))
        except OSError as exc:
            raise ConfigError(
                f"cannot write {str(path)!r}: {exc.strerror or exc}; "
                "choose a folder you can write to."
            ) from None
        paths.append(path)
    return paths


def _default_dir() -> Path | None:
    import needlab

    d = Path(needlab.__file__).resolve().parents[1] / "data" / "sample"
    return d if all((d / f).exists() for f in FILES) else None


def load_sample(directory: str | Path | None = None) -> Sample:
    """Load the sample study from *directory*, or generate it when there are no files.

    Parameters
    ----------
    directory : path, optional
        A folder written by :func:`write_sample`. Default: the repository's ``data/sample/`` when it
        exists, otherwise the data are generated in memory with seed 0 (so an installed wheel works).

    Returns
    -------
    Sample
        The truth always comes from the generator, with the seed recorded in ``plan.yaml``.

    Raises
    ------
    SchemaError
        *directory* is given but a sample file is missing, or a CSV file lacks the columns
        the generator writes.
    DataError
        A CSV file is not readable as a table or not UTF-8 text.
    ConfigError
        ``plan.yaml`` or ``codebook.yaml`` is not valid YAML, not a mapping, repeats a key, or
        ``plan.yaml`` records a seed that is not an integer.

    Every message names the damaged file and says how to fix it (write the folder again with
    :func:`write_sample`).
    """
    from needlab.errors import ConfigError, DataError, SchemaError

    if directory is None:
        directory = _default_dir()
        if directory is None:
            return make_sample(0)
    directory = Path(directory)
    missing = [f for f in FILES if not (directory / f).exists()]
    if missing:
        raise SchemaError(
            f"sample folder {str(directory)!r} lacks {', '.join(missing)}; "
            "write it with needlab.datasets.write_sample(DIR) or `needlab sample DIR`."
        )
    texts = {}
    for f in FILES:
        try:
            texts[f] = (directory / f).read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _damaged(
                repr(str(directory / f)), f"not UTF-8 text (byte {exc.start})", DataError
            ) from None
        except OSError as exc:
            raise _damaged(repr(str(directory / f)), str(exc.strerror or exc), DataError) from None
    plan = _read_mapping(texts["plan.yaml"], repr(str(directory / "plan.yaml")))
    source = plan.get("source") or {}
    raw_seed = source.get("seed", 0) if isinstance(source, dict) else None
    if isinstance(raw_seed, bool) or not isinstance(raw_seed, int):
        raise _damaged(
            repr(str(directory / "plan.yaml")),
            f"'source: seed:' must be an integer, got {raw_seed!r}",
            ConfigError,
        )
    expected, truth = render(raw_seed)
    return _from_texts(texts, truth, raw_seed, where=directory, expected=expected)
