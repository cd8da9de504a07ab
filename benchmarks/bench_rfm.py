"""Speed of ``needlab.segment.rfm.rfm`` and ``needlab.segment.clv.clv_summary`` against peers.

On 10,000,000 seeded synthetic transactions (about 1,000,000 customers, string ids, dates over
two years, prices from a short list so that spend, frequency and recency are heavily tied, half
of the customers buying once):

- ``needlab rfm``: validation (dates, amounts, refunds, exact duplicates), recency / frequency /
  monetary, tie-safe scores and segments;
- ``pandas rfm``: a plain ``groupby`` computing the same recency, frequency, monetary and
  ``rank(method="min")`` scores, with no checks (the floor a user starts from);
- ``needlab clv_summary`` vs ``pandas clv``: repeat frequency, recency, age and mean repeat
  spend with a plain two-level ``groupby``;
- ``lifetimes``: ``summary_data_from_transaction_data`` run in a throwaway venv
  (``/tmp/benchvenv``, ``pip install lifetimes``); skipped with the reason when it can not run.

Targets (issue 6): needlab within 2x of the plain pandas groupby; faster than lifetimes; values
identical (spend compared to 1e-9 relative, since summation orders differ).
Run: ``python benchmarks/bench_rfm.py [--n 1000000]``. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from needlab.segment.clv import clv_summary
from needlab.segment.rfm import rfm

LIFETIMES_PY = Path("/tmp/benchvenv/bin/python")


def make(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_cust = max(n // 10, 1)
    # half of the customers buy once; the rest share the remaining rows (Zipf-like skew)
    one = n_cust // 2
    weights = rng.pareto(1.5, n_cust - one) + 1.0
    rest = n - one
    extra = rng.multinomial(rest - (n_cust - one), weights / weights.sum()) + 1
    per = np.concatenate([np.ones(one, dtype=np.int64), extra])
    cust = np.repeat(np.arange(n_cust), per)
    rng.shuffle(cust)
    ids = pd.array(np.char.add("C", np.char.zfill(cust.astype(str), 7)), dtype="str")
    day = rng.integers(0, 730, n)
    prices = np.array([9.9, 19.9, 29.0, 49.0, 99.0, 199.0, 399.0, 1299.0])
    amount = prices[rng.integers(0, len(prices), n)]
    return pd.DataFrame(
        {
            "customer_id": ids,
            "order_date": (np.datetime64("2023-01-01") + day.astype("timedelta64[D]")).astype(
                "datetime64[ns]"
            ),
            "amount": amount,
        }
    )


def pandas_rfm(df: pd.DataFrame, asof: pd.Timestamp) -> pd.DataFrame:
    g = df.groupby("customer_id", sort=True)
    out = pd.DataFrame(
        {
            "recency": (asof - g["order_date"].max()).dt.days,
            "frequency": g["order_date"].nunique(),
            "monetary": g["amount"].sum(),
        }
    )
    n = len(out)
    for col, v in (("r", -out["recency"]), ("f", out["frequency"]), ("m", out["monetary"])):
        out[col] = np.ceil(5 * v.rank(method="min").to_numpy() / n - 1e-12).astype(np.int64)
    return out


def pandas_clv(df: pd.DataFrame, asof: pd.Timestamp) -> pd.DataFrame:
    occ = (
        df.groupby(["customer_id", df["order_date"].dt.floor("D")], sort=True)["amount"]
        .sum()
        .reset_index()
    )
    g = occ.groupby("customer_id", sort=True)
    first = g["order_date"].min()
    last = g["order_date"].max()
    n = g.size()
    total = g["amount"].sum()
    first_v = g["amount"].first()
    f = n - 1
    return pd.DataFrame(
        {
            "frequency": f,
            "recency": (last - first).dt.days,
            "age": (asof - first).dt.days,
            "monetary": np.where(f > 0, (total - first_v) / f.clip(lower=1), 0.0),
        }
    )


LIFETIMES_SCRIPT = """
import sys, time, json
import numpy as np, pandas as pd
from lifetimes.utils import summary_data_from_transaction_data
d = np.load(sys.argv[1])
df = pd.DataFrame({"customer_id": d["c"], "order_date": d["d"], "amount": d["a"]})
t0 = time.perf_counter()
s = summary_data_from_transaction_data(df, "customer_id", "order_date", monetary_value_col="amount",
                                       observation_period_end=sys.argv[2], freq="D")
t = time.perf_counter() - t0
s = s.sort_index()
np.savez(sys.argv[3], f=s["frequency"].to_numpy(), r=s["recency"].to_numpy(),
         T=s["T"].to_numpy(), m=s["monetary_value"].to_numpy())
print(json.dumps({"seconds": t}))
"""


def run_lifetimes(df: pd.DataFrame, asof: pd.Timestamp) -> tuple[float | None, str, dict | None]:
    if not LIFETIMES_PY.exists():
        return (
            None,
            f"{LIFETIMES_PY} not found (python -m venv /tmp/benchvenv && "
            "/tmp/benchvenv/bin/pip install lifetimes)",
            None,
        )
    with tempfile.TemporaryDirectory() as tmp:
        src, out, script = Path(tmp) / "tx.npz", Path(tmp) / "out.npz", Path(tmp) / "lt.py"
        codes, uniq = pd.factorize(df["customer_id"], sort=True)
        np.savez(src, c=codes, d=df["order_date"].to_numpy(), a=df["amount"].to_numpy())
        script.write_text(LIFETIMES_SCRIPT)
        proc = subprocess.run(
            [str(LIFETIMES_PY), str(script), str(src), str(asof.date()), str(out)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            return None, "lifetimes failed: " + proc.stderr.strip().splitlines()[-1][:200], None
        secs = json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]
        res = dict(np.load(out))
    return secs, "", res


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000, help="transactions (default 10,000,000)")
    ap.add_argument("--no-lifetimes", action="store_true")
    args = ap.parse_args()

    df = make(args.n)
    n_cust = df["customer_id"].nunique()
    print(f"{len(df):,} transactions, {n_cust:,} customers")
    asof = df["order_date"].max() + pd.Timedelta(days=1)

    t_nl, res = timed(
        lambda: rfm(df, customer="customer_id", date="order_date", amount="amount", asof=asof)
    )
    t_pd, ref = timed(lambda: pandas_rfm(df, asof))
    tab = res.table.set_index("customer_id")
    same_rfm = (
        tab.index.equals(ref.index)
        and all(
            np.array_equal(tab[c].to_numpy(), ref[c].to_numpy())
            for c in ("recency", "frequency", "r", "f", "m")
        )
        and np.allclose(tab["monetary"], ref["monetary"], rtol=1e-9, atol=0)
    )
    mdiff = float(np.max(np.abs(tab["monetary"].to_numpy() - ref["monetary"].to_numpy())))

    t_cs, cs = timed(
        lambda: clv_summary(
            df, customer="customer_id", date="order_date", amount="amount", asof=asof
        )
    )
    t_pc, pc = timed(lambda: pandas_clv(df, asof))
    same_clv = (
        cs.index.equals(pc.index)
        and all(
            np.array_equal(cs[c].to_numpy(), pc[c].to_numpy())
            for c in ("frequency", "recency", "age")
        )
        and np.allclose(cs["monetary"], pc["monetary"], rtol=1e-9, atol=1e-9)
    )

    print(f"\n{'task':<14}{'needlab':>10}{'pandas':>10}{'ratio':>8}  values")
    print(
        f"{'rfm':<14}{t_nl:>9.2f}s{t_pd:>9.2f}s{t_nl / t_pd:>7.2f}x  "
        f"{'identical' if same_rfm else 'DIFFERENT'} (max |monetary diff| {mdiff:.2g})"
    )
    print(
        f"{'clv_summary':<14}{t_cs:>9.2f}s{t_pc:>9.2f}s{t_cs / t_pc:>7.2f}x  "
        f"{'identical' if same_clv else 'DIFFERENT'}"
    )
    print(f"rfm score levels used: {res.levels}")

    if args.no_lifetimes:
        print("lifetimes: skipped (--no-lifetimes)")
        return
    t_lt, why, lt = run_lifetimes(df, asof.normalize() - pd.Timedelta(days=1))
    if t_lt is None:
        print(f"lifetimes: skipped: {why}")
        return
    # lifetimes' observation_period_end is inclusive: age = end - first, as clv_summary with the
    # same asof
    cs2 = clv_summary(
        df,
        customer="customer_id",
        date="order_date",
        amount="amount",
        asof=asof.normalize() - pd.Timedelta(days=1),
    )
    same_lt = (
        np.array_equal(cs2["frequency"].to_numpy(), lt["f"])
        and np.array_equal(cs2["recency"].to_numpy(), lt["r"])
        and np.array_equal(cs2["age"].to_numpy(), lt["T"])
        and np.allclose(cs2["monetary"].to_numpy(), lt["m"], rtol=1e-9, atol=1e-9)
    )
    print(
        f"{'lifetimes':<14}{t_cs:>9.2f}s{t_lt:>9.2f}s{t_cs / t_lt:>7.2f}x  "
        f"{'identical' if same_lt else 'DIFFERENT'} (needlab clv_summary vs "
        "summary_data_from_transaction_data)"
    )


if __name__ == "__main__":
    sys.exit(main())
