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
#       [--gap 1e-4] [--threads 0] [--dive] [--verbose]
#
# Prints, per block, what the library's stripes keep and the bound; at the
# end their sums and the layer efficacy the bounds allow (the blocks bounded
# at their bounds, the others as the library left them). --verbose prints
# every round.
#
# --dive also builds stripes, to show how much of the gap between the
# library and the bound a search can actually reach: an LP dive fixes the
# stripes the LP takes whole (or its largest fractional one), then solves
# the LP of the columns left, with column generation again, until every
# stripe is fixed. Its stripes are checked (disjoint, in the block, Q of
# them, covering the kept columns in the kept scope) and valued again, so
# the "reached" figures are those of a real pruning, not of a relaxation.
# Needs the hinm Python package (build/python_packages) and scipy.
# ===----------------------------------------------------------------------===#
import argparse
import os
import sys
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix, hstack, identity, vstack

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


def incidence(quads, k):
    """a[c, i] = 1 when stripe i holds column c (of k)."""
    q = np.asarray(quads, dtype=np.int64).reshape(-1, 4)
    return csc_matrix((np.ones(q.size),
                       (q.ravel(), np.repeat(np.arange(len(q)), 4))),
                      shape=(k, len(q)))


def solve_master(x, quads, vals, scope, count):
    """The restricted LP: its value and the dual price of every column."""
    k = x.shape[1]
    a = incidence(quads, k)
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


def residual_lp(x, free, pool, scope, count, threads):
    """The LP over the columns `free` (column generation to optimality).

    `pool` holds stripes of x's columns inside `free`; it grows with what
    the pricing finds. In the kept scope every free column is covered once;
    a column no stripe of the pool can cover yet takes an artificial
    singleton at a large penalty, so that the LP is always feasible and its
    prices send the pricing to the stripes it lacks. In the all scope at
    most `count` stripes are taken. Returns the LP's value of every stripe
    of the pool."""
    nf = len(free)
    local = -np.ones(x.shape[1], dtype=np.int64)
    local[free] = np.arange(nf)
    xr = np.ascontiguousarray(x[:, free])
    big = 10.0 * float(np.sort(xr, axis=1)[:, -2:].sum()) + 1.0
    while True:
        n = len(pool)
        a = incidence(local[np.asarray(pool, dtype=np.int64)], nf)
        vals = np.array([top2_sum(x, q) for q in pool])
        if scope == "kept":
            res = linprog(-np.concatenate([vals, np.full(nf, -big)]),
                          A_eq=hstack([a, identity(nf, format="csc")]),
                          b_eq=np.ones(nf), bounds=(0, 1), method="highs")
            duals, shift = -np.asarray(res.eqlin.marginals), 0.0
        else:
            res = linprog(-vals, A_ub=vstack([a, np.ones((1, n))]),
                          b_ub=np.append(np.ones(nf), count),
                          bounds=(0, 1), method="highs")
            marg = np.maximum(0.0, -np.asarray(res.ineqlin.marginals))
            duals, shift = marg[:nf], marg[nf]
        if res.status != 0:
            sys.exit(f"stripe-bound: the dive's LP failed: {res.message}")
        cols, costs, _ = hinm.price_stripes(xr, duals, keep=200,
                                            threads=threads)
        have, added = set(pool), 0
        for q, rc in zip(cols.tolist(), costs):
            g = tuple(sorted(int(free[c]) for c in q))
            if rc - shift > 1e-7 and g not in have:
                pool.append(g)
                have.add(g)
                added += 1
        if not added:
            return res.x[:n]


def dive_block(x, quads, count, scope, threads):
    """An LP dive: stripes of x, from the column-generation pool `quads`."""
    chosen, covered = [], np.zeros(x.shape[1], dtype=bool)
    pool = list(quads)
    while len(chosen) < count:
        free = np.flatnonzero(~covered)
        if scope == "kept" or len(free) >= 4 * (count - len(chosen)):
            pool = [q for q in pool if not covered[list(q)].any()]
            lp = residual_lp(x, free, pool, scope, count - len(chosen),
                             threads)
        whole = np.flatnonzero(lp > 1 - 1e-6)
        for i in (whole if len(whole) else [int(np.argmax(lp))]):
            q = pool[i]
            if len(chosen) < count and not covered[list(q)].any():
                chosen.append(q)
                covered[list(q)] = True
    # Check the stripes before their value is reported.
    flat = [c for q in chosen for c in q]
    if len(chosen) != count or len(set(flat)) != len(flat) or \
            (scope == "kept" and len(flat) != x.shape[1]):
        sys.exit("stripe-bound: the dive built an invalid set of stripes")
    return sum(top2_sum(x, q) for q in chosen), chosen


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
    dived = lib_val
    if args.dive:
        t0 = time.time()
        dived, _ = dive_block(x, quads, count, args.scope, args.threads)
        share = (dived - lib_val) / max(best_ub - lib_val, 1e-12)
        print(f"block {block}: dive {dived:.4f} (+"
              f"{100 * (dived - lib_val) / lib_val:.3f}% over the library, "
              f"{100 * share:.0f}% of the gap to the bound), "
              f"{time.time() - t0:.1f} s", flush=True)
    return lib_val, best_ub, dived


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
    p.add_argument("--dive", action="store_true",
                   help="also build stripes by an LP dive and report them")
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
    library, bound, dived = 0.0, 0.0, 0.0
    for block in todo:
        x, stripes = block_problem(w, info, block, args)
        lib_val, best_ub, dive_val = bound_block(x, stripes, args, block)
        library += lib_val
        bound += best_ub
        dived += max(dive_val, lib_val)
    ceiling = 100 * (lib2cp + bound - library - none) / room
    which = "every block" if len(todo) == blocks else "this block"
    print(f"library {library:.4f}, bound {bound:.4f} "
          f"(+{100 * (bound - library) / library:.3f}%); layer efficacy "
          f"{efficacy:.3f}%, at most {ceiling:.3f}% with {which} at its bound")
    if args.dive:
        reached = 100 * (lib2cp + dived - library - none) / room
        print(f"dive {dived:.4f}; layer efficacy {reached:.3f}% reached with "
              f"{which} as the dive (or the library, if better) left it")


if __name__ == "__main__":
    main()
