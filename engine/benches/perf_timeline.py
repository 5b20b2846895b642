#!/usr/bin/env python3
"""CPU samples per thread over time, from `perf script`: which thread holds the others back.

    PROFILE_BENCH_NO_SPEARMAN=1 PROFILE_BENCH_RUNS=1 \
        perf record -e cpu-clock -F 4000 -o /tmp/run.data target/release/deps/profile-HASH 1000000
    perf script -i /tmp/run.data -F comm,tid,time,sym > /tmp/run.txt
    python3 engine/benches/perf_timeline.py /tmp/run.txt [bucket seconds, default 0.02]

Prints one line per bucket with each thread's samples (busiest thread first); at 4000 Hz a
thread that ran through a 20 ms bucket has 80.
"""
import collections
import sys


def main(path, bucket):
    samples = []
    for line in open(path):
        parts = line.split(None, 3)
        if len(parts) < 3:
            continue
        try:
            tid, at = int(parts[1]), float(parts[2].rstrip(":"))
        except ValueError:
            continue
        samples.append((at, tid))
    if not samples:
        sys.exit("no samples")
    start = min(at for at, _ in samples)
    per_bucket = collections.defaultdict(collections.Counter)
    per_thread = collections.Counter(tid for _, tid in samples)
    for at, tid in samples:
        per_bucket[int((at - start) / bucket)][tid] += 1
    threads = [tid for tid, _ in per_thread.most_common()]
    print("seconds " + " ".join(f"{tid:>7}" for tid in threads))
    print("  total " + " ".join(f"{per_thread[tid]:>7}" for tid in threads))
    for b in sorted(per_bucket):
        print(f"{b * bucket:7.2f} " + " ".join(f"{per_bucket[b][tid]:>7}" for tid in threads))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.02)
