"""Shared test configuration."""

from __future__ import annotations

import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# CI runs the property tests on a fixed sequence of examples (a red CI must be reproducible);
# locally they draw new examples on every run, so that they keep looking for bugs.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
