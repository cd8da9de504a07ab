"""Result-contract case of the control chart (collected with the other plan cases).

``ControlChartResult``: a p chart of the monthly share of feedback records not resolved within
48 hours (still open, or resolved later) in the sample's feedback; one row per month, so the rows
given are the months.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from needlab.plan.control import control_chart


def _monthly_late_share(sample: Any) -> pd.DataFrame:
    fb = sample.feedback
    month = pd.to_datetime(fb["date"]).dt.to_period("M").dt.to_timestamp()
    late = ~(fb["resolution_hours"] <= 48)  # open (missing) or later than 48 h
    return (
        pd.DataFrame({"month": month, "late": late.astype(int)})
        .groupby("month", as_index=False)
        .agg(late=("late", "sum"), records=("late", "size"))
    )


def _control(sample: Any) -> tuple[Any, int]:
    monthly = _monthly_late_share(sample)
    res = control_chart(monthly, "late", kind="p", n="records", date="month", baseline=12)
    return res, len(monthly)


CASES = {"ControlChartResult": _control}
