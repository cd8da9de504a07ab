"""Text inputs of the pain-point functions: the texts from ``data`` and their language.

Every text function (:func:`~needlab.painpoints.coding.code_text`,
:func:`~needlab.painpoints.sentiment.sentiment`, :func:`~needlab.painpoints.topics.discover_topics`)
takes ``data`` as a list or Series of texts, or a DataFrame or :class:`~needlab.Survey` with the
texts in column ``text``; :func:`text_column` resolves the three forms the same way, and
:func:`text_langs` the ``text_lang`` option.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from needlab._i18n import detect_lang
from needlab._types import TextLang
from needlab._validate import Design, as_design, check_columns, preview
from needlab.errors import ConfigError, DataError, SchemaError

__all__ = ["Texts", "text_column", "text_langs"]


@dataclass(frozen=True)
class Texts:
    """The texts of a call and where they came from.

    Attributes
    ----------
    values : Series
        The texts (object dtype; missing and non-string values as given).
    frame : DataFrame or None
        The frame holding them (``None`` for a list or Series).
    design : Design or None
        The resolved design of a DataFrame or Survey (weights and id of a Survey's codebook).
    """

    values: pd.Series
    frame: pd.DataFrame | None
    design: Design | None


def text_column(data: Any, text: Hashable | None = None, *, name: str = "data") -> Texts:
    """Resolve *data* (texts, or a DataFrame / Survey with column *text*) to :class:`Texts`.

    Raises
    ------
    SchemaError
        A frame without ``text=``, a *text* that is not a column, a single string, or something
        that is not a sequence of texts.

    Examples
    --------
    >>> text_column(pd.DataFrame({"t": ["ok", "fine"]}), "t").values.tolist()
    ['ok', 'fine']
    >>> text_column(["a", "b"]).frame is None
    True
    """
    from needlab.io.read import Survey

    if isinstance(data, (pd.DataFrame, Survey)):
        design = as_design(data, name=name, min_rows=0)
        if text is None:
            raise SchemaError(
                f"text= is required when {name} is a DataFrame or Survey: name the column with "
                "the texts, e.g. text='comment'."
            )
        check_columns(design.data, text, what="text column")
        return Texts(design.data[text].astype(object), design.data, design)
    if text is not None:
        raise SchemaError(
            f"text={text!r} names a column, but {name} is not a DataFrame or Survey; pass the "
            "frame, or the texts without text=."
        )
    if isinstance(data, str):
        raise SchemaError(
            f"{name} must be a list or Series of texts, got one string; wrap it: [text]."
        )
    if isinstance(data, pd.Series):
        return Texts(data.astype(object), None, None)
    if not hasattr(data, "__iter__"):
        raise SchemaError(
            f"{name} must be a list or Series of texts, or a DataFrame with text=; "
            f"got {type(data).__name__}."
        )
    return Texts(pd.Series(list(data), dtype=object), None, None)


def text_langs(values: pd.Series, text_lang: TextLang, frame: pd.DataFrame | None) -> np.ndarray:
    """Language of each text, ``"zh"``, ``"en"`` or ``""`` (missing or empty), by *text_lang*.

    ``"auto"`` detects per text (:func:`needlab._i18n.detect_lang`); ``"zh"`` / ``"en"`` set
    every non-empty text (no detection pass); a column of *frame* gives ``zh``/``en`` per row (missing values are
    detected).

    Raises
    ------
    ConfigError
        *text_lang* is neither ``"auto"``, ``"zh"``, ``"en"`` nor a column of *frame*.
    DataError
        The language column has values other than ``zh``/``en``.

    Examples
    --------
    >>> text_langs(pd.Series(["很好", "good", ""]), "auto", None).tolist()
    ['zh', 'en', '']
    >>> text_langs(pd.Series(["很好", None, " "]), "en", None).tolist()
    ['en', '', '']
    """
    if isinstance(text_lang, str) and text_lang in ("zh", "en"):
        # the language is given: only missing, non-text and blank texts (detect_lang's "") differ
        vals = values.to_numpy(dtype=object)
        blank = np.fromiter((not (isinstance(v, str) and v.strip()) for v in vals), bool, len(vals))
        return np.where(blank, "", text_lang).astype(object)
    auto = detect_lang(values.reset_index(drop=True))
    if isinstance(text_lang, str) and text_lang == "auto":
        return auto
    if frame is not None and isinstance(text_lang, Hashable) and text_lang in frame.columns:
        given = frame[text_lang].astype(object)
        bad = given.notna() & ~given.isin(["zh", "en"])
        if bad.any():
            raise DataError(
                f"language column {text_lang!r} has values other than 'zh'/'en': "
                f"{preview(given[bad])}; recode them or use text_lang='auto'."
            )
        out = np.where(given.isna().to_numpy(), auto, given.to_numpy()).astype(object)
        return np.where(auto == "", "", out).astype(object)
    raise ConfigError(
        f"text_lang={text_lang!r} is neither 'auto', 'zh', 'en' nor a column of data; "
        "pass one of those or the name of a column holding zh/en."
    )
