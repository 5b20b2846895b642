#!/usr/bin/env python3
"""Checks a `quire profile` JSON against pandas on the same file, column by column.

    python3 engine/tests/compare_pandas.py DATA_FILE QUIRE_PROFILE.json

The profile is what `public_datasets.rs` writes to $TMPDIR/quire-<name>.json. pandas reads
`.json` (an array of objects) and `.jsonl` (one object per line) with `json_normalize`, so nested
keys become dotted names as in quire, and anything else with `read_csv` and the delimiter quire
sniffed. Compared within 1e-9 relative: count, missing, distinct (nunique), mean, std, min,
max, p25/p50/p75 (numpy's linear interpolation; a sketched quantile within its stated relative
error instead), skewness and kurtosis of numeric columns, and the Pearson matrix (pandas' `corr`,
over the rows each pair shares).
Prints one line per difference, then a summary; pandas' own dtype is shown beside quire's type.
"""
import json
import math
import sys

import pandas as pd

TOL = 1e-9


def close(a, b, tol=TOL):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None) == (b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(a - b) <= tol * max(abs(a), abs(b)) + 1e-12


def main(data, profile_path):
    profile = json.load(open(profile_path, encoding="utf-8"))
    if data.endswith(".jsonl"):
        lines = open(data, encoding="utf-8").read().splitlines()
        df = pd.json_normalize([json.loads(line) for line in lines if line.strip()])
    elif data.endswith(".json"):
        df = pd.json_normalize(json.load(open(data, encoding="utf-8")))
    else:
        # The delimiter quire sniffed (a tab-separated file, say); a wrong guess would show as
        # columns that do not match.
        df = pd.read_csv(data, sep=profile["table"].get("delimiter") or ",")
    diffs, checked = [], 0
    assert profile["rows"] == len(df), (profile["rows"], len(df))
    for col in profile["columns"]:
        name = col["name"]
        s = df[name]
        present = s.dropna()
        facts = [("count", col["count"], int(present.shape[0])),
                 ("missing", col["missing"], int(s.isna().sum()))]
        if col["type"] in ("integer", "float"):
            x = pd.to_numeric(present, errors="coerce").dropna().astype(float)
            q = col["quantiles"] or {}
            qtol = q.get("error") or TOL
            facts += [
                ("distinct", col["distinct"], int(x.nunique())),
                ("mean", col["mean"], x.mean()),
                ("std", col["std"], x.std()),
                ("min", col["min"], x.min()),
                ("max", col["max"], x.max()),
                ("p25", q.get("p25"), x.quantile(0.25), qtol),
                ("p50", q.get("p50"), x.quantile(0.5), qtol),
                ("p75", q.get("p75"), x.quantile(0.75), qtol),
                ("skewness", col["skewness"], x.skew()),
                ("kurtosis", col["kurtosis"], x.kurt()),
            ]
        else:
            facts.append(("distinct", col["distinct"], int(present.astype(str).nunique())))
        for what, got, want, *tol in facts:
            checked += 1
            ok = got == want if isinstance(want, int) else close(got, want, *tol)
            if not ok:
                diffs.append(f"{name}.{what}: quire {got!r}, pandas {want!r}")
        print(f"  {name}: quire {col['type']}, pandas {s.dtype}")
    # Pearson over the rows each pair shares, as pandas' `corr` computes it.
    corr = profile.get("correlations")
    if corr:
        names = corr["columns"]
        ref = df[names].apply(pd.to_numeric, errors="coerce").corr(method="pearson")
        for i, a in enumerate(names):
            for j, b in enumerate(names):
                checked += 1
                got, want = corr["pearson"][i][j], ref.loc[a, b]
                if not close(got, None if pd.isna(want) else float(want)):
                    diffs.append(f"pearson({a}, {b}): quire {got!r}, pandas {want!r}")
    for d in diffs:
        print("DIFF", d)
    print(f"{data}: {checked} figures compared, {len(diffs)} differ")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
