"""Counting where the data lives: one integration layer on narwhals, DuckDB as the embedded default.

Every heavy step of a table is a *counting* step whose output is small (the cells of a crosstab,
the rows of a frequency table); the statistics that follow run on that small table in numpy.
This module runs the counting on the engine that holds the data and returns the cells as a
small pandas table:

- a pandas DataFrame (or a :class:`~needlab.Survey`) is counted by pandas/numpy, or by DuckDB
  reading the frame in place when it has more than :data:`AUTO_DUCKDB_ROWS` rows
  (``engine="auto"``) or when ``engine="duckdb"``;
- a Parquet or CSV file path is counted by DuckDB in place (``engine="auto"`` or ``"duckdb"``;
  ``engine="pandas"`` reads the whole file into pandas first);
- a Polars DataFrame or LazyFrame, a DuckDB relation, a SQLFrame or PySpark DataFrame, or any
  other frame that narwhals supports is counted on its own backend through narwhals' lazy API
  (``engine="auto"``); ``engine="pandas"`` collects it first (size-checked by
  :func:`collect_rows`).

DuckDB runs on one in-process connection owned by needlab, whose memory limit, threads and spill
folder are set with :func:`set_engine_options`. A DuckDB relation passed by the user runs on the
user's own connection and keeps its settings.

``duckdb`` and ``narwhals`` are imported inside the functions that need them, so that ``import
needlab`` stays light.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from needlab.errors import ConfigError, DataError, SchemaError

__all__ = [
    "AUTO_DUCKDB_ROWS",
    "ENGINES",
    "MAX_COLLECT_ROWS",
    "Engine",
    "EngineOptions",
    "collect_rows",
    "count_answered",
    "count_cells",
    "describe",
    "get_engine_options",
    "grouped_moments",
    "grouped_sums",
    "is_engine_input",
    "resolve_engine",
    "set_engine_options",
    "to_pandas_input",
]

Engine: TypeAlias = Literal["auto", "pandas", "duckdb"]
"""Where a counting step runs: ``"auto"`` (the default: see :func:`resolve_engine`),
``"pandas"`` (pandas/numpy in memory) or ``"duckdb"`` (DuckDB, reading a pandas frame or a file
in place)."""

ENGINES: tuple[str, ...] = ("auto", "pandas", "duckdb")

AUTO_DUCKDB_ROWS = 2_000_000
"""With ``engine="auto"``, a pandas frame with more rows than this is counted by DuckDB reading
the frame in place (on a 2-core machine a weighted crosstab of 10^7 rows takes about 2.3 s in
pandas and 0.3 s in DuckDB; below about 10^6 rows the difference is a few milliseconds)."""

MAX_COLLECT_ROWS = 5_000_000
"""Default largest number of rows :func:`collect_rows` brings into pandas for a method that
needs row-level data."""

FILE_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "csv"}


@dataclass(frozen=True)
class EngineOptions:
    """Settings of needlab's own DuckDB connection (see :func:`set_engine_options`).

    Attributes
    ----------
    memory_limit : str or None
        DuckDB's ``memory_limit`` (e.g. ``"8GB"``); None keeps DuckDB's default (80% of RAM).
    threads : int or None
        Worker threads; None keeps DuckDB's default (all cores).
    temp_directory : str or None
        Folder where DuckDB spills to disk when the memory limit is reached; None keeps
        DuckDB's default (``.tmp`` beside a database file, none for in-memory).
    """

    memory_limit: str | None = None
    threads: int | None = None
    temp_directory: str | None = None

    def config(self) -> dict[str, Any]:
        """The options as a ``duckdb.connect(config=...)`` mapping (unset ones left out)."""
        out: dict[str, Any] = {}
        if self.memory_limit is not None:
            out["memory_limit"] = self.memory_limit
        if self.threads is not None:
            out["threads"] = self.threads
        if self.temp_directory is not None:
            out["temp_directory"] = self.temp_directory
        return out


_OPTIONS = EngineOptions()
_CONNECTION: Any = None
_LOCK = threading.Lock()


def get_engine_options() -> EngineOptions:
    """The DuckDB settings in force (see :func:`set_engine_options`)."""
    return _OPTIONS


def set_engine_options(
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: str | Path | None = None,
) -> EngineOptions:
    """Set the memory limit, threads and spill folder of needlab's DuckDB connection.

    Options not given keep their current value. The connection is reopened with the new
    settings at the next counting step. DuckDB relations passed by the user run on their own
    connection and are not affected.

    Parameters
    ----------
    memory_limit : str, optional
        E.g. ``"4GB"`` or ``"500MB"``: beyond it DuckDB spills to ``temp_directory``.
    threads : int, optional
        Number of worker threads (at least 1).
    temp_directory : str or Path, optional
        Spill folder for data larger than memory.

    Returns
    -------
    EngineOptions
        The settings now in force.

    Raises
    ------
    ConfigError
        ``threads`` not a positive integer, or ``memory_limit`` not a string like ``"4GB"``.

    Examples
    --------
    >>> old = get_engine_options()
    >>> set_engine_options(threads=1, memory_limit="1GB").threads
    1
    >>> _ = set_engine_options(**vars(old))
    """
    global _OPTIONS, _CONNECTION
    changes: dict[str, Any] = {}
    if threads is not None:
        if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
            raise ConfigError(f"threads={threads!r} is not valid; pass a positive integer.")
        changes["threads"] = int(threads)
    if memory_limit is not None:
        if not isinstance(memory_limit, str) or not memory_limit.strip()[:1].isdigit():
            raise ConfigError(
                f"memory_limit={memory_limit!r} is not valid; pass a size such as '4GB' or '500MB'."
            )
        changes["memory_limit"] = memory_limit.strip()
    if temp_directory is not None:
        changes["temp_directory"] = str(temp_directory)
    with _LOCK:
        _OPTIONS = replace(_OPTIONS, **changes)
        if _CONNECTION is not None:
            _CONNECTION.close()
            _CONNECTION = None
    return _OPTIONS


def _duckdb_cursor() -> Any:
    """A cursor on needlab's DuckDB connection (opened with the options on first use)."""
    global _CONNECTION
    import duckdb

    with _LOCK:
        if _CONNECTION is None:
            _CONNECTION = duckdb.connect(":memory:", config=_OPTIONS.config())
        return _CONNECTION.cursor()


def _file_kind(data: Any) -> str | None:
    """``"parquet"`` or ``"csv"`` for a path to such a file, else None."""
    if isinstance(data, (str, Path)):
        return FILE_SUFFIXES.get(Path(data).suffix.lower())
    return None


def is_engine_input(data: Any) -> bool:
    """True for input that is not pandas: a file path or a frame that narwhals supports."""
    from needlab.io.read import Survey

    if isinstance(data, (pd.DataFrame, pd.Series, Survey)):
        return False
    if isinstance(data, (str, Path)):
        return True
    return type(data).__module__.split(".")[0] in {
        "polars",
        "duckdb",
        "_duckdb",
        "sqlframe",
        "pyspark",
        "ibis",
        "narwhals",
        "pyarrow",
        "dask",
        "modin",
        "cudf",
    }


def describe(data: Any) -> str:
    """A short name of the input's kind for messages (``"polars LazyFrame"``)."""
    if isinstance(data, (str, Path)):
        return f"file {str(data)!r}"
    mod = type(data).__module__.split(".")[0].lstrip("_")
    return f"{mod} {type(data).__name__}"


def resolve_engine(data: Any, engine: Any) -> Literal["pandas", "duckdb", "native"]:
    """Decide where *data* is counted.

    ============================  ==============================  ==========================
    input                         ``engine="auto"``                ``"duckdb"`` / ``"pandas"``
    ============================  ==============================  ==========================
    pandas DataFrame, Survey      pandas; DuckDB above             DuckDB in place / pandas
                                  :data:`AUTO_DUCKDB_ROWS` rows
    Parquet / CSV path            DuckDB in place                  DuckDB / read into pandas
    DuckDB relation               DuckDB (the user's connection)   same / collected
    Polars, SQLFrame, PySpark...  its own backend (narwhals)       refused / collected
    ============================  ==============================  ==========================

    Returns
    -------
    {"pandas", "duckdb", "native"}
        ``"native"``: the frame's own backend through narwhals.

    Raises
    ------
    ConfigError
        An unknown ``engine``, or ``engine="duckdb"`` for a frame of another backend.

    Examples
    --------
    >>> resolve_engine(pd.DataFrame({"a": [1]}), "auto")
    'pandas'
    >>> resolve_engine(pd.DataFrame({"a": [1]}), "duckdb")
    'duckdb'
    """
    if engine not in ENGINES:
        raise ConfigError(f"engine={engine!r} is not valid; choose one of {list(ENGINES)}.")
    if not is_engine_input(data):
        if engine == "auto":
            from needlab.io.read import Survey

            n = len(data.data) if isinstance(data, Survey) else len(data)
            return "duckdb" if n > AUTO_DUCKDB_ROWS else "pandas"
        return "duckdb" if engine == "duckdb" else "pandas"
    if isinstance(data, (str, Path)):
        if _file_kind(data) is None:
            raise DataError(
                f"data={str(data)!r} is a path but not a Parquet or CSV file (suffixes "
                f"{sorted(FILE_SUFFIXES)}); convert it, or read it with needlab.read_survey."
            )
        if not Path(data).exists():
            raise DataError(f"file {str(data)!r} does not exist; check the path.")
        return "pandas" if engine == "pandas" else "duckdb"
    if engine == "pandas":
        return "pandas"
    kind = describe(data)
    if engine == "duckdb" and not kind.startswith("duckdb"):
        raise ConfigError(
            f"engine='duckdb' counts pandas frames, Parquet/CSV files and DuckDB relations; a "
            f"{kind} is counted on its own backend: pass engine='auto' (or engine='pandas' to "
            "collect it first)."
        )
    return "duckdb" if kind.startswith("duckdb") else "native"


def _lazy(data: Any, how: str) -> Any:
    """A narwhals LazyFrame over *data* (pandas frames and files through DuckDB when asked)."""
    import narwhals as nw

    if isinstance(data, pd.DataFrame) and how == "duckdb":
        return nw.from_native(_duckdb_cursor().from_df(data)).lazy()
    kind = _file_kind(data)
    if kind is not None:
        cur = _duckdb_cursor()
        rel = cur.read_parquet(str(data)) if kind == "parquet" else cur.read_csv(str(data))
        return nw.from_native(rel).lazy()
    try:
        frame = nw.from_native(data)
    except TypeError as exc:
        raise SchemaError(
            f"data is a {type(data).__name__}, which needlab cannot count; pass a pandas or "
            "Polars frame, a DuckDB relation, a SQLFrame/PySpark DataFrame or a Parquet/CSV path."
        ) from exc
    return frame.lazy()


def columns_of(lf: Any) -> list[str]:
    """Column names of a narwhals LazyFrame (read from its schema, no data scanned)."""
    return list(lf.collect_schema().names())


def check_engine_columns(lf: Any, names: Sequence[Hashable], data: Any) -> None:
    """SchemaError naming the columns that *lf* lacks, the closest names and the engine."""
    import difflib

    have = columns_of(lf)
    missing = [c for c in names if c not in have]
    if missing:
        hints = []
        for m in missing:
            close = difflib.get_close_matches(str(m), have, n=1)
            hints.append(f"{m!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise SchemaError(
            f"column{'s' if len(missing) > 1 else ''} {', '.join(hints)} not found in the "
            f"{describe(data)}. Available columns: {have[:12]}."
        )


def grouped_sums(
    data: Any,
    by: Sequence[Hashable],
    *,
    weights: Hashable | None = None,
    y: Hashable | None = None,
    engine: Engine = "auto",
    checked: bool = False,
) -> pd.DataFrame:
    """Per-group counting sums on any backend, returned as a small pandas table.

    Per group of the ``by`` columns (missing values form their own groups: null, and NaN in a
    float column, are both shown as missing): ``n`` (rows), ``sum_w``, ``sum_w2`` (sums of w and
    w^2, the Kish base ``(sum w)^2 / sum w^2`` of any union of groups follows), ``n_pos`` (rows
    with w > 0) and, when ``y`` is given, ``n_y`` (rows with a non-missing y), ``sum_wy`` and
    ``sum_wy2`` (sums of w*y and w*y^2 over those rows: the weighted mean and variance follow)
    and ``sum_w_y`` (sum of w over those rows). Without weights w = 1.

    Each backend's integer sums (DuckDB's HUGEINT, Polars' UInt32 lengths, Spark's LongType) are
    made ``int64`` and the weighted sums ``float64``; the order of the groups is not defined
    (callers order them). Floats may differ from numpy's sums in the last bits (another
    summation order).

    Parameters
    ----------
    data : DataFrame, file path or engine frame
        See :func:`resolve_engine`.
    by : sequence of column names
        The grouping columns.
    weights : column name, optional
        A weight column (finite, >= 0, positive total; checked in the engine).
    y : column name, optional
        A numeric column whose weighted sums are wanted.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the counting runs (:func:`resolve_engine`).
    checked : bool, default False
        The weights were already checked (a pandas array handed to DuckDB): the engine does
        not count invalid weights again.

    Returns
    -------
    DataFrame
        The ``by`` columns and the sums, one row per group.

    Raises
    ------
    SchemaError
        A column absent from the frame (naming the engine and the columns it has).
    DataError
        Missing, non-finite or negative weights, or weights that sum to zero.
    ConfigError
        An unknown ``engine``.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "b", "a", None], "w": [1.0, 2.0, 3.0, 1.0]})
    >>> t = grouped_sums(df, ["g"], weights="w", engine="duckdb")
    >>> t.sort_values("sum_w")[["n", "sum_w", "sum_w2"]].to_numpy().tolist()
    [[1.0, 1.0, 1.0], [1.0, 2.0, 4.0], [2.0, 4.0, 10.0]]
    """
    how = resolve_engine(data, engine)
    by = list(by)
    needed = [*by, *(c for c in (weights, y) if c is not None)]
    if how == "pandas":
        frame = to_pandas_input(data)
        frame = frame if isinstance(frame, pd.DataFrame) else frame.data  # a Survey's codes
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            from needlab._validate import check_columns

            check_columns(frame, missing)
        return _grouped_sums_pandas(frame, by, weights, y)
    import narwhals as nw

    lf = _lazy(data, how)
    check_engine_columns(lf, needed, data)
    one = nw.lit(1.0, nw.Float64)
    w = nw.col(str(weights)).cast(nw.Float64) if weights is not None else one
    cols = [
        w.alias("__w"),
        (w * w).alias("__w2"),
        (w > 0).cast(nw.Float64).alias("__pos"),
    ]
    aggs = [
        nw.len().alias("n"),
        nw.col("__w").sum().alias("sum_w"),
        nw.col("__w2").sum().alias("sum_w2"),
        nw.col("__pos").sum().alias("n_pos"),
    ]
    check_w = weights is not None and not checked
    if check_w:
        cols += [
            w.is_null().cast(nw.Float64).alias("__null"),
            (~w.is_finite()).cast(nw.Float64).alias("__nonfinite"),
            (w < 0).cast(nw.Float64).alias("__neg"),
        ]
        aggs += [nw.col(c).sum().alias(c) for c in ("__null", "__nonfinite", "__neg")]
    if y is not None:
        yv = nw.col(str(y)).cast(nw.Float64)
        ok = ~yv.is_null()
        cols += [
            ok.cast(nw.Float64).alias("__ny"),
            nw.when(ok).then(w).otherwise(0.0).alias("__wy0"),
            (w * yv).alias("__wy"),
            (w * yv * yv).alias("__wy2"),
        ]
        aggs += [
            nw.col("__ny").sum().alias("n_y"),
            nw.col("__wy0").sum().alias("sum_w_y"),
            nw.col("__wy").sum().alias("sum_wy"),
            nw.col("__wy2").sum().alias("sum_wy2"),
        ]
    keys = [str(b) for b in by]
    out = (
        lf.with_columns(*cols)
        .group_by(*keys, drop_null_keys=False)
        .agg(*aggs)
        .collect()
        .to_pandas()
    )
    if check_w:
        bad = {
            "missing": float(out.pop("__null").sum()),
            "non-finite": float(out.pop("__nonfinite").sum()),
            "negative": float(out.pop("__neg").sum()),
        }
        for what, k in bad.items():
            if k:
                raise DataError(
                    f"weights {weights!r} has {int(k)} {what} values in the {describe(data)}; "
                    "weights must be finite and >= 0 (set them or filter those rows)."
                )
        if float(out["sum_w"].sum()) <= 0:
            raise DataError(
                f"weights {weights!r} sum to zero in the {describe(data)}; at least one weight "
                "must be positive."
            )
    return _tidy_sums(out)


def _tidy_sums(out: pd.DataFrame) -> pd.DataFrame:
    """Integer counts as int64, weighted sums as float64, whatever the backend returned."""
    for c in ("n", "n_pos", "n_y"):
        if c in out:
            out[c] = np.rint(out[c].to_numpy(dtype=float)).astype(np.int64)
    for c in ("sum_w", "sum_w2", "sum_w_y", "sum_wy", "sum_wy2"):
        if c in out:
            out[c] = out[c].to_numpy(dtype=float)
    return out.reset_index(drop=True)


def _grouped_sums_pandas(
    frame: pd.DataFrame, by: list[Hashable], weights: Hashable | None, y: Hashable | None
) -> pd.DataFrame:
    from needlab._validate import check_weights

    w_in = check_weights(frame, weights)
    w = np.ones(len(frame)) if w_in is None else w_in
    parts: dict[Hashable, Any] = {b: frame[b] for b in by}
    parts.update({"n": np.ones(len(frame)), "sum_w": w, "sum_w2": w * w, "n_pos": w > 0})
    if y is not None:
        yv = pd.to_numeric(frame[y], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(yv)
        yz = np.where(ok, yv, 0.0)
        parts.update({"n_y": ok, "sum_w_y": w * ok, "sum_wy": w * yz, "sum_wy2": w * yz * yz})
    tab = pd.DataFrame(parts, index=frame.index)
    out = tab.groupby(by, dropna=False, sort=False, observed=True).sum().reset_index()
    return _tidy_sums(out)


def to_pandas_input(data: Any) -> Any:
    """A pandas frame from pandas input, a path read by pandas, or an engine frame collected
    by :func:`collect_rows` (``engine="pandas"``). A Survey is returned as it is."""
    from needlab.io.read import Survey

    if isinstance(data, (pd.DataFrame, Survey)):
        return data
    kind = _file_kind(data)
    if kind == "parquet":
        return pd.read_parquet(data)
    if kind == "csv":
        return pd.read_csv(data, sep="\t" if str(data).lower().endswith(".tsv") else ",")
    return collect_rows(data)


def collect_rows(
    data: Any,
    columns: Sequence[Hashable] | None = None,
    *,
    max_rows: int = MAX_COLLECT_ROWS,
    sample: float | None = None,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Bring an engine frame into pandas for a method that needs row-level data, size-checked.

    The rows are counted in the engine first; more than ``max_rows`` is refused with the size
    and the fixes, unless ``sample`` asks for a random fraction (a Bernoulli sample: each row
    kept with probability ``sample``, so the size is ``sample * n`` on average; DuckDB and
    Polars input only). pandas input is returned as it is.

    Parameters
    ----------
    data : DataFrame, file path or engine frame
    columns : sequence of column names, optional
        Only these columns are collected.
    max_rows : int, default :data:`MAX_COLLECT_ROWS`
        The largest number of rows collected.
    sample : float in (0, 1], optional
        Collect a random fraction of the rows instead (the result's ``attrs["sample"]`` states
        it).
    random_state : int, optional
        Seed of the sample.

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        More rows than ``max_rows`` (the message gives the count, the engine and the fixes).
    ConfigError
        ``sample`` outside (0, 1], or a sample on a backend that cannot draw one here.
    SchemaError
        A column absent from the frame.

    Examples
    --------
    >>> import polars as pl
    >>> collect_rows(pl.DataFrame({"a": [1, 2, 3]}), max_rows=2)
    Traceback (most recent call last):
    ...
    needlab.errors.DataError: the polars DataFrame has 3 rows, more than max_rows=2 ...
    """
    if isinstance(data, pd.DataFrame):
        return data if columns is None else data[list(columns)]
    if sample is not None and not (0 < float(sample) <= 1):
        raise ConfigError(f"sample={sample!r} is not valid; pass a fraction in (0, 1].")
    import narwhals as nw

    how = "duckdb" if _file_kind(data) is not None else "native"
    lf = _lazy(data, how)
    if columns is not None:
        check_engine_columns(lf, list(columns), data)
        lf = lf.select(*[str(c) for c in columns])
    n = int(lf.select(nw.len()).collect().to_pandas().iloc[0, 0])
    if sample is None:
        if n > max_rows:
            raise DataError(
                f"the {describe(data)} has {n:,} rows, more than max_rows={max_rows:,} that a "
                "row-level method collects into memory; filter or aggregate it in the engine "
                f"first, pass sample= (e.g. sample={max(max_rows / n, 1e-6):.2g}) to analyse a "
                "random fraction, or raise max_rows if the machine has the memory."
            )
        return lf.collect().to_pandas()
    native = lf.to_native()
    frac = float(sample)
    mod = type(native).__module__.split(".")[0].lstrip("_")
    if mod == "duckdb":
        seed = 0 if random_state is None else int(random_state)
        # SQL built only from two validated numbers (a float in (0, 1] and an int): no user text
        out = native.query(
            "t", f"select * from t using sample bernoulli({100 * frac}%) repeatable({seed})"
        ).df()
    elif mod == "polars":
        eager = native.collect() if hasattr(native, "collect") else native
        out = eager.sample(fraction=frac, seed=random_state).to_pandas()
    else:
        raise ConfigError(
            f"sample= is available for DuckDB and Polars input, not a {describe(data)}; "
            "sample it in its own engine first (e.g. Spark's DataFrame.sample)."
        )
    out.attrs["sample"] = frac
    return out


def count_cells(
    data: Any,
    keys: Sequence[Hashable],
    *,
    weights: Any = None,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """The cells of a table (per combination of *keys*: ``n``, ``sum_w``, ``sum_w2``,
    ``n_pos``) counted by the engine, keys under their own names.

    A pandas frame (already resolved from a Survey) is handed to DuckDB with only the key
    columns and the weights (a checked array, or None); a categorical key goes as its integer
    codes and comes back as the same categorical (category order and unused categories kept,
    as on the pandas path). Any other input is counted where it lives; ``weights`` must then
    be a column name (or None).

    Raises
    ------
    ConfigError
        Weights given as an array for an engine frame.
    """
    keys = list(keys)
    if isinstance(data, pd.DataFrame):
        src: dict[str, Any] = {}
        dtypes: dict[str, Any] = {}
        for i, k in enumerate(keys):
            s = data[k]
            if isinstance(s.dtype, pd.CategoricalDtype):
                dtypes[f"k{i}"] = s.dtype
                src[f"k{i}"] = s.cat.codes.to_numpy().astype(np.int64)
            else:
                src[f"k{i}"] = s.to_numpy() if s.dtype == object else s.array
        if weights is not None:
            src["__w"] = np.asarray(weights, dtype=float)
        frame = pd.DataFrame(src, copy=False)
        out = grouped_sums(
            frame,
            list(src)[: len(keys)],
            weights="__w" if weights is not None else None,
            engine="duckdb",
            checked=True,
        )
        for name, dtype in dtypes.items():
            out[name] = pd.Categorical.from_codes(out[name].to_numpy(dtype=np.int64), dtype=dtype)
        return out.rename(columns={f"k{i}": k for i, k in enumerate(keys)})
    if weights is not None and not isinstance(weights, str):
        raise ConfigError(
            f"weights for a {describe(data)} must name one of its columns (got a "
            f"{type(weights).__name__}); add the weights as a column in the engine."
        )
    return grouped_sums(data, keys, weights=weights, engine=engine)


def _missing_expr(lf: Any, name: str) -> Any:
    """A narwhals expression true where column *name* is missing (null, or NaN in a float
    column: both are a missing answer, as in pandas)."""
    import narwhals as nw

    c = nw.col(name)
    dtype = lf.collect_schema()[name]
    return (c.is_null() | c.is_nan()) if dtype.is_float() else c.is_null()


def grouped_moments(
    data: Any,
    by: Sequence[Hashable],
    y: Hashable,
    *,
    weights: Hashable | None = None,
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Per group of *by*, the sums behind a weighted mean of *y*, counted in the engine.

    Per group (missing keys form their own groups): ``n`` (all rows) and, over the rows with
    a *y* value (null, and NaN in a float column, are missing): ``n_y``, ``n_pos_y`` (those
    with w > 0), ``sum_w_y``, ``sum_w2_y``, ``sum_wy`` and ``sum_wy2`` (sums of w, w^2, w*y
    and w*y^2). The weighted mean is ``sum_wy / sum_w_y`` and the weighted sum of squared
    deviations from any centre c is ``sum_wy2 - 2 c sum_wy + c^2 sum_w_y``. Without weights
    w = 1. For engine input (and pandas frames with ``engine="duckdb"``); the weights are
    checked as in :func:`grouped_sums`.

    Raises
    ------
    SchemaError
        A column absent from the frame.
    DataError
        *y* not numeric in the engine, or invalid weights.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "a", "b"], "y": [1.0, None, 3.0], "w": [2.0, 1.0, 1.0]})
    >>> t = grouped_moments(df, ["g"], "y", weights="w", engine="duckdb").sort_values("g")
    >>> t[["n", "n_y", "sum_w_y", "sum_wy", "sum_wy2"]].to_numpy().tolist()
    [[2.0, 1.0, 2.0, 2.0, 2.0], [1.0, 1.0, 1.0, 3.0, 9.0]]
    """
    import narwhals as nw

    how = resolve_engine(data, engine)
    if how == "pandas":
        how = "duckdb"  # a pandas frame handed here is counted by DuckDB
    lf = _lazy(data, how)
    by = [str(b) for b in by]
    check_engine_columns(lf, [*by, y, *([weights] if weights is not None else [])], data)
    if not lf.collect_schema()[str(y)].is_numeric():
        raise DataError(
            f"column {y!r} must be numeric in the {describe(data)} (it is "
            f"{lf.collect_schema()[str(y)]}); cast it in the engine or pass another column."
        )
    one = nw.lit(1.0, nw.Float64)
    w = nw.col(str(weights)).cast(nw.Float64) if weights is not None else one
    ok = ~_missing_expr(lf, str(y))
    yv = nw.when(ok).then(nw.col(str(y)).cast(nw.Float64)).otherwise(0.0)
    wy = nw.when(ok).then(w).otherwise(0.0)
    cols = [
        ok.cast(nw.Float64).alias("__ny"),
        (ok & (w > 0)).cast(nw.Float64).alias("__pos"),
        wy.alias("__w"),
        (wy * wy).alias("__w2"),
        (wy * yv).alias("__wy"),
        (wy * yv * yv).alias("__wy2"),
    ]
    aggs = [
        nw.len().alias("n"),
        nw.col("__ny").sum().alias("n_y"),
        nw.col("__pos").sum().alias("n_pos_y"),
        nw.col("__w").sum().alias("sum_w_y"),
        nw.col("__w2").sum().alias("sum_w2_y"),
        nw.col("__wy").sum().alias("sum_wy"),
        nw.col("__wy2").sum().alias("sum_wy2"),
    ]
    if weights is not None:
        cols += [
            w.is_null().cast(nw.Float64).alias("__null"),
            (~w.is_finite()).cast(nw.Float64).alias("__nonfinite"),
            (w < 0).cast(nw.Float64).alias("__neg"),
        ]
        aggs += [nw.col(c).sum().alias(c) for c in ("__null", "__nonfinite", "__neg")]
    out = (
        lf.with_columns(*cols).group_by(*by, drop_null_keys=False).agg(*aggs).collect().to_pandas()
    )
    if weights is not None:
        for what, c in (
            ("missing", "__null"),
            ("non-finite", "__nonfinite"),
            ("negative", "__neg"),
        ):
            k = float(out.pop(c).sum())
            if k:
                raise DataError(
                    f"weights {weights!r} has {int(k)} {what} values in the {describe(data)}; "
                    "weights must be finite and >= 0 (set them or filter those rows)."
                )
    for c in ("n", "n_y", "n_pos_y"):
        out[c] = np.rint(out[c].to_numpy(dtype=float)).astype(np.int64)
    for c in ("sum_w_y", "sum_w2_y", "sum_wy", "sum_wy2"):
        out[c] = out[c].to_numpy(dtype=float)
    return out.reset_index(drop=True)


def count_answered(
    data: Any,
    columns: Sequence[Hashable],
    *,
    weights: Hashable | None = None,
    engine: Engine = "auto",
) -> tuple[int, int, int]:
    """Rows, rows with a value in at least one of *columns* (null and float NaN missing), and
    those of them with w > 0, counted in the engine (one scan).

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, None, None], "b": [None, 2.0, None], "w": [1.0, 0.0, 1.0]})
    >>> count_answered(df, ["a", "b"], weights="w", engine="duckdb")
    (3, 2, 1)
    """
    import narwhals as nw

    how = resolve_engine(data, engine)
    if how == "pandas":
        how = "duckdb"
    lf = _lazy(data, how)
    names = [str(c) for c in columns]
    check_engine_columns(lf, [*names, *([weights] if weights is not None else [])], data)
    answered = ~_missing_expr(lf, names[0])
    for c in names[1:]:
        answered = answered | ~_missing_expr(lf, c)
    w = nw.col(str(weights)).cast(nw.Float64) if weights is not None else nw.lit(1.0, nw.Float64)
    out = (
        lf.select(
            nw.len().alias("n"),
            answered.cast(nw.Float64).sum().alias("a"),
            (answered & (w > 0)).cast(nw.Float64).sum().alias("p"),
        )
        .collect()
        .to_pandas()
    )
    n, a, p = (int(round(float(out[c].iloc[0]))) for c in ("n", "a", "p"))
    return n, a, p
