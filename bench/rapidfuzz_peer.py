#!/usr/bin/env python3
"""Peer benchmark: RapidFuzz (C++ core) Jaro-Winkler over a 5,000 x 5,000 matrix.

    python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install -r bench/requirements.txt
    /tmp/benchvenv/bin/python bench/rapidfuzz_peer.py [--n 5000] [--runs 3]

Loads the first N names of bench/company-names.txt (comment lines starting
with '#' skipped, order kept) and times

    rapidfuzz.process.cdist(names, names,
        scorer=rapidfuzz.distance.JaroWinkler.normalized_similarity, workers=1)

for two variants of the input:

  raw    the names exactly as in the file
  lower  str.lower() of each name (the only normalisation)

Each variant is run --runs times; the best (minimum) wall time is reported.
One line per variant:

  rapidfuzz <version> jaro-winkler cdist 5000x5000 [raw]: <s> s, <pairs/s> pairs/s, checksum <sum>

The checksum is the sum of all N*N similarities computed in float64 (one extra,
untimed cdist call with dtype=float64; the timed calls use cdist's default
float32 output, whose sum is printed on a '#' line too), rounded to 3 decimals, so that another
implementation can check it computed the same matrix. Jaro-Winkler here is
RapidFuzz's default: prefix weight 0.1, prefix of at most 4 characters,
similarity of two empty strings = 1.0, computed over Unicode code points.
"""

import argparse
import os
import platform
import time

import numpy as np
import rapidfuzz
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

HERE = os.path.dirname(os.path.abspath(__file__))


def load_names(path, n):
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            names.append(line)
            if len(names) == n:
                break
    if len(names) < n:
        raise SystemExit(f"{path} has only {len(names)} names, need {n}")
    return names


def bench(names, runs):
    best = float("inf")
    matrix = None
    for _ in range(runs):
        t0 = time.perf_counter()
        matrix = cdist(names, names, scorer=JaroWinkler.normalized_similarity, workers=1)
        best = min(best, time.perf_counter() - t0)
    checksum_f32 = round(float(matrix.sum(dtype=np.float64)), 3)
    # Untimed extra run with float64 output: the reference checksum for ports
    # that compute in f64 (cdist's default output is float32).
    m64 = cdist(names, names, scorer=JaroWinkler.normalized_similarity, workers=1, dtype=np.float64)
    checksum = round(float(m64.sum()), 3)
    return best, checksum, checksum_f32, m64


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", default=os.path.join(HERE, "company-names.txt"))
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    names = load_names(args.names, args.n)
    variants = [("raw", names), ("lower", [s.lower() for s in names])]
    pairs = args.n * args.n
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    print(f"# {args.n} names from {os.path.relpath(args.names)}; python {platform.python_version()}, "
          f"numpy {np.__version__}; nproc {os.cpu_count()}; cpu {cpu or platform.processor()}; "
          f"best of {args.runs}")
    for label, xs in variants:
        secs, checksum, checksum_f32, m = bench(xs, args.runs)
        print(f"rapidfuzz {rapidfuzz.__version__} jaro-winkler cdist {args.n}x{args.n} [{label}]: "
              f"{secs:.3f} s, {pairs / secs:.0f} pairs/s, checksum {checksum:.3f}")
        print(f"#   checksum of the float32 matrix cdist returns by default [{label}]: {checksum_f32:.3f}")
        # A few spot values so that a port can check single pairs too.
        print(f"#   spot [{label}]: jw(0,1)={m[0, 1]:.6f} jw(1,2)={m[1, 2]:.6f} "
              f"jw(0,0)={m[0, 0]:.6f} names[0]={xs[0]!r} names[1]={xs[1]!r} names[2]={xs[2]!r}")


if __name__ == "__main__":
    main()
