"""Result-contract cases of the retention and service-time results (issue 16).

Each builder takes the sample and returns ``(result, rows given)``: transaction rows for
:func:`retention_cohorts` (one row loses its customer id, so it is excluded and counted), feedback
rows for :func:`service_times` (``resolution_hours`` NaN = not resolved: censored at the cut-off).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from needlab.plan.retention import retention_cohorts
from needlab.plan.service import service_times


def _retention(sample: Any) -> tuple[Any, int]:
    tx = sample.transactions.copy()
    tx.loc[tx.index[0], "customer_id"] = np.nan
    return retention_cohorts(tx, asof="2024-12-15"), len(tx)


def _service(sample: Any) -> tuple[Any, int]:
    fb = sample.feedback
    res = service_times(fb, opened="date", resolved="resolution_hours", times="hours", by="channel")
    return res, len(fb)


CASES = {"RetentionResult": _retention, "ServiceTimeResult": _service}
