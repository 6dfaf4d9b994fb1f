#!/usr/bin/env python3
# ===- stripe-bound.py - an LP upper bound on a block's HiNM pruning -------===#
#
# Part of the hinm project. Issue #3 asks whether the permutation search
# leaves gain on the table. For one V-row block of a layer pruned by the
# library's 2CP (seed 0), this bounds from above what any choice of stripes
# could keep:
#   --scope kept  the block's rows and kept columns as the library chose
#                 them: the best partition of those columns into stripes of
#                 4 (the best possible IVP for that vector pruning);
#   --scope all   the block's rows, any Q = kept/4 disjoint stripes of all
#                 the layer's columns (vector pruning and IVP together).
#                 For a layer of at most V rows (one block) that is every
#                 HiNM pruning of the layer, whatever the permutation.
# It solves the linear relaxation of that set-packing problem by column
# generation: a master LP over the 4-column subsets found so far (scipy's
# HiGHS) gives a dual price per column; hinm.price_stripes (the C++ library,
# all C(cols, 4) subsets) returns the subsets of largest reduced cost. Every
# pricing gives a valid upper bound (include/hinm/Algorithm/StripeBound.h),
# including the float32 rounding the pricing reports. Prices are smoothed
# towards the best bound's (Wentges) so that the bound falls steadily.
#
#   /usr/bin/python3 scripts/stripe-bound.py LAYER.npy [--vector-size 64]
#       [--block 0|all] [--scope kept|all] [--rounds 300] [--keep 400]
#       [--gap 1e-4] [--threads 0] [--verbose]
#
# Prints, per block, what the library's stripes keep and the bound; at the
# end their sums and the layer efficacy the bounds allow (the blocks bounded
# at their bounds, the others as the library left them). --verbose prints
# every round.
# Needs the hinm Python package (build/python_packages) and scipy.
# ===----------------------------------------------------------------------===#
import argparse
import os
import sys
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "build", "python_packages"))
import hinm  # noqa: E402


def top2_sum(x, q):
    """What 2:4 keeps of the rows of x on the 4 columns q, in float64."""
    s = np.sort(x[:, list(q)].astype(np.float64), axis=1)
    return float((s[:, -1] + s[:, -2]).sum())


def prune_layer(w, args):
    """The library's 2CP selection of the layer and its kept importance."""
    _, info = hinm.prune(w, vector_size=args.vector_size, permute="2cp",
                         seed=args.seed, threads=args.threads)
    # "none" and the ideal only: 2CP's kept importance is the selection's
    # (the same search, seed and result), so it does not run twice.
    kept = dict(hinm.efficacy(w, vector_size=args.vector_size,
                              methods=["none"], seed=args.seed,
                              threads=args.threads)["kept_importance"])
    kept["2cp"] = info["kept_importance"]
    return info, kept


def block_problem(w, info, block, args):
    """Block `block`'s rows (x) and its library stripes, in x's columns."""
    perm, vi = np.asarray(info["row_perm"]), np.asarray(info["vector_index"])
    v = args.vector_size
    rows = perm[block * v:(block + 1) * v]
    rows = rows[rows < w.shape[0]]          # padding rows keep nothing
    kept = vi[block]
    if args.scope == "kept":
        x = w[np.ix_(rows, kept)]
        stripes = [tuple(range(s, s + 4)) for s in range(0, len(kept), 4)]
    else:
        x = w[rows]
        stripes = [tuple(sorted(int(c) for c in kept[s:s + 4]))
                   for s in range(0, len(kept), 4)]
    return np.ascontiguousarray(x, dtype=np.float32), stripes


def solve_master(x, quads, vals, scope, count):
    """The restricted LP: its value and the dual price of every column."""
    k = x.shape[1]
    rows = np.repeat(np.arange(len(quads)), 4)
    a = csc_matrix((np.ones(4 * len(quads)),
                    (np.asarray(quads).ravel(), rows)), shape=(k, len(quads)))
    if scope == "kept":   # every column in exactly one stripe
        res = linprog(-np.asarray(vals), A_eq=a, b_eq=np.ones(k),
                      bounds=(0, 1), method="highs")
        duals = -np.asarray(res.eqlin.marginals)
    else:                 # at most once, `count` stripes in all
        res = linprog(-np.asarray(vals), A_ub=a, b_ub=np.ones(k),
                      A_eq=np.ones((1, len(quads))), b_eq=[count],
                      bounds=(0, 1), method="highs")
        duals = np.maximum(0.0, -np.asarray(res.ineqlin.marginals))
    if res.status != 0:
        sys.exit(f"stripe-bound: the master LP failed: {res.message}")
    return -res.fun, duals


def bound_block(x, stripes, args, block):
    """Column generation on one block: (library's value, best bound)."""
    count = len(stripes)
    lib_val = sum(top2_sum(x, q) for q in stripes)
    quads, vals, seen = list(stripes), [top2_sum(x, q) for q in stripes], \
        set(stripes)
    best_ub, best_duals, alpha = np.inf, None, 0.5
    for it in range(args.rounds):
        t0 = time.time()
        lp, lp_duals = solve_master(x, quads, vals, args.scope, count)
        smoothed = best_duals is not None and alpha > 0
        duals = alpha * best_duals + (1 - alpha) * lp_duals if smoothed \
            else lp_duals
        cols, costs, err = hinm.price_stripes(x, duals, keep=args.keep,
                                              threads=args.threads)
        # Valid for any prices (y >= 0 in the "all" scope).
        ub = duals.sum() + count * (costs[0] + err)
        if ub < best_ub:
            best_ub, best_duals = ub, duals.copy()
        # Columns that improve the master at its own prices.
        added = 0
        for q in map(tuple, cols.tolist()):
            if q in seen:
                continue
            f = top2_sum(x, q)
            if f - lp_duals[list(q)].sum() > 1e-9:
                seen.add(q)
                quads.append(q)
                vals.append(f)
                added += 1
        # A smoothed pricing that found nothing for the master (mispricing):
        # the next round prices at the master's own duals.
        alpha = 0.5 if added else 0.0
        if args.verbose:
            print(f"block {block}, round {it}: LP {lp:.4f}, bound {ub:.4f} "
                  f"(best {best_ub:.4f}), +{added} stripes ({len(quads)}), "
                  f"{time.time() - t0:.1f} s", flush=True)
        if best_ub - lp <= args.gap * max(lp, 1e-12) or \
                (added == 0 and not smoothed):
            break
    print(f"block {block}: {x.shape[0]} rows, {x.shape[1]} columns, "
          f"{count} stripes: library {lib_val:.4f}, bound {best_ub:.4f} "
          f"after {it + 1} rounds", flush=True)
    return lib_val, best_ub


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("layer")
    p.add_argument("--vector-size", type=int, default=64)
    p.add_argument("--block", default="0", help="a block number or 'all'")
    p.add_argument("--scope", choices=["kept", "all"], default="kept")
    p.add_argument("--rounds", type=int, default=300)
    p.add_argument("--keep", type=int, default=400)
    p.add_argument("--gap", type=float, default=1e-4,
                   help="stop when (bound - LP) / LP is below this")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--verbose", action="store_true",
                   help="print every column-generation round")
    args = p.parse_args()
    try:
        w = np.abs(np.load(args.layer)).astype(np.float32)
    except (OSError, ValueError) as e:
        sys.exit(f"stripe-bound: cannot read {args.layer}: {e}")
    if w.ndim != 2:
        sys.exit(f"stripe-bound: {args.layer} is not a 2-D matrix")
    try:
        info, kept_imp = prune_layer(w, args)
    except ValueError as e:   # options or a shape the format rejects
        sys.exit(f"stripe-bound: {args.layer}: {e}")
    blocks = np.asarray(info["vector_index"]).shape[0]
    if args.block == "all":
        todo = range(blocks)
    elif args.block.isdigit() and int(args.block) < blocks:
        todo = [int(args.block)]
    else:
        sys.exit(f"stripe-bound: --block {args.block} is not 'all' or in "
                 f"[0, {blocks})")
    none, lib2cp, ideal = kept_imp["none"], kept_imp["2cp"], kept_imp["ideal"]
    room = ideal - none
    efficacy = 100 * (lib2cp - none) / room
    print(f"{os.path.basename(args.layer)}: V={args.vector_size}, {blocks} "
          f"block(s), scope {args.scope}; library efficacy {efficacy:.3f}%",
          flush=True)
    library, bound = 0.0, 0.0
    for block in todo:
        x, stripes = block_problem(w, info, block, args)
        lib_val, best_ub = bound_block(x, stripes, args, block)
        library += lib_val
        bound += best_ub
    ceiling = 100 * (lib2cp + bound - library - none) / room
    which = "every block" if len(todo) == blocks else "this block"
    print(f"library {library:.4f}, bound {bound:.4f} "
          f"(+{100 * (bound - library) / library:.3f}%); layer efficacy "
          f"{efficacy:.3f}%, at most {ceiling:.3f}% with {which} at its bound")


if __name__ == "__main__":
    main()
