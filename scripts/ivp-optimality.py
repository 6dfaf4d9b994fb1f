#!/usr/bin/env python3
# ===- ivp-optimality.py - IVP against the exact optimum on small blocks ---===#
#
# Part of the hinm project. Issue #3 asks how far the IVP search is from what
# a block allows. The full problem (288 kept columns of a 64-row block) is far
# too large to solve exactly, but sub-blocks are not: K real columns (drawn
# from the 288 of largest summed importance of one layer) with all 64 rows,
# every column kept, partitioned into K/4 stripes of 4 whose rows each keep
# their 2 largest values. For each draw this prints
#   - the natural order (no permutation) and the library's IVP (hinm.prune,
#     vector_sparsity=0, so every column is kept and only the order is chosen);
#   - the integer optimum over all partitions: a set-partitioning program over
#     every 4-column subset, solved exactly by scipy's milp (HiGHS);
#   - its LP relaxation (an upper bound that column generation could extend
#     to full blocks) and the per-row "perfect-IVP" bound of docs/benchmarks.md
#     (each row keeps its own top half);
# and how much of the optimal gain over the natural order each reaches.
#
#   /usr/bin/python3 scripts/ivp-optimality.py [--layer FILE] [--columns 24]
#                                              [--trials 3] [--seed 0]
#
# Needs the hinm Python package (build/python_packages) and scipy >= 1.9.
# ===----------------------------------------------------------------------===#
import argparse
import itertools
import os
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "build", "python_packages"))
import hinm  # noqa: E402


def kept_sum(block):
    """Summed importance that 2:4 keeps in a rows x 4 block."""
    s = np.sort(block, axis=1)
    return float((s[:, -1] + s[:, -2]).sum())


def partition_program(sub, integral):
    """The best stripe partition of sub's columns (integral) or its LP bound."""
    k = sub.shape[1]
    quads = list(itertools.combinations(range(k), 4))
    value = np.array([kept_sum(sub[:, q]) for q in quads])
    cover = np.zeros((k, len(quads)))
    for j, q in enumerate(quads):
        cover[list(q), j] = 1
    res = milp(-value, constraints=LinearConstraint(cover, 1, 1),
               bounds=Bounds(0, 1),
               integrality=np.full(len(quads), 1 if integral else 0))
    if not res.success:
        sys.exit(f"milp failed: {res.message}")
    return -res.fun


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--layer", default=os.path.join(
        root, "..", "shared", "data", "weights",
        "esrgan_legacy_div2k_x4.000.F_0_kernel.npy"))
    p.add_argument("--columns", type=int, default=24,
                   help="columns per sub-block (a multiple of 4; 32 takes "
                        "about a minute per draw)")
    p.add_argument("--trials", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.columns % 4 or a.columns < 8:
        sys.exit("--columns must be a multiple of 4, at least 8")
    w = np.abs(np.load(a.layer)).astype(np.float64)
    rows = w.shape[0]
    top = np.argsort(-w.sum(axis=0))[: w.shape[1] // 2]
    rng = np.random.default_rng(a.seed)
    print(f"{os.path.basename(a.layer)}: {rows} rows, sub-blocks of "
          f"{a.columns} columns, share of the optimal gain over the natural "
          f"order")
    for t in range(a.trials):
        sub = w[:, rng.choice(top, a.columns, replace=False)]
        natural = sum(kept_sum(sub[:, 4 * s:4 * s + 4])
                      for s in range(a.columns // 4))
        _, info = hinm.prune(np.ascontiguousarray(sub, dtype=np.float32),
                             vector_size=rows, vector_sparsity=0.0, n=2, m=4,
                             permute="ivp", seed=a.seed)
        library = float((sub * info["mask"]).sum())
        optimum = partition_program(sub, integral=True)
        lp = partition_program(sub, integral=False)
        perfect = float(np.sort(sub, axis=1)[:, -a.columns // 2:].sum())
        gain = optimum - natural

        def share(x):
            return 100.0 * (x - natural) / gain

        print(f"  draw {t}: library IVP {share(library):6.1f}%   LP bound "
              f"{share(lp):6.1f}%   perfect-IVP bound {share(perfect):6.1f}%   "
              f"(natural {natural:.4f}, optimum {optimum:.4f})")


if __name__ == "__main__":
    main()
