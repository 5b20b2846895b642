#!/usr/bin/env python3
"""The comparison for docs/BENCHMARKS.md: polars and pandas on the file the Rust bench wrote.

    python3 engine/benches/profile_polars.py target/bench-data/profile-1000000.csv polars
    python3 engine/benches/profile_polars.py target/bench-data/profile-1000000.csv pandas

Each run does read_csv + describe + corr (numeric columns) + one group_by, and prints wall time,
MB/s and peak RSS (ru_maxrss). Run one library per process so the RSS is its own.
"""
import os
import resource
import sys
import time

NUMERIC = ["id", "normal", "lognormal", "uniform", "exponential", "bimodal", "quantity", "discount"]


def run_polars(path):
    df = pl.read_csv(path)
    df.describe()
    df.select(NUMERIC).corr()
    df.group_by("category").agg(
        [pl.col(c).sum().alias(c + "_sum") for c in NUMERIC]
        + [pl.col(c).mean().alias(c + "_mean") for c in NUMERIC]
    )
    return df.height


def run_pandas(path):
    df = pd.read_csv(path)
    df.describe(include="all")
    df[NUMERIC].corr()
    df.groupby("category")[NUMERIC].agg(["count", "sum", "mean", "min", "max"])
    return len(df)


if __name__ == "__main__":
    path, lib = sys.argv[1], sys.argv[2]
    # Imported before the clock starts: the figure is the work, not the interpreter's start-up.
    if lib == "polars":
        import polars as pl
    else:
        import pandas as pd
    start = time.perf_counter()
    rows = {"polars": run_polars, "pandas": run_pandas}[lib](path)
    secs = time.perf_counter() - start
    mb = os.path.getsize(path) / 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {lib} | {rows} | {mb:.1f} | {secs:.3f} | {mb / secs:.1f} | {rss:.0f} |")
