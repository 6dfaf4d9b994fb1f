#!/usr/bin/env python3
"""Writes one end-to-end HiNM matmul test case: an .mlir program and, separately,
the expected result computed with numpy.

The program holds constant dense weights, an explicit pruning decision (row
permutation, vector index, N:M mask) given to `hinm.pack`, random activations,
`hinm.matmul`, and prints the result with printMemrefF32. The reference is the
dense product of the pruned weights (float64), computed here from the same
decision and never from the program under test. Seeded: same arguments, same
files.

  gen_case.py --rows 80 --cols 128 --ncols 8 --vector-size 32 --kept 64 \
      --perm cross-block --dtype f16 --seed 3 --mlir %t.mlir --ref %t.ref
"""
import argparse
import sys

import numpy as np


def ap_error(msg):
    sys.exit("gen_case.py: " + msg)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--cols", type=int, required=True)
    ap.add_argument("--ncols", type=int, default=8, help="activation columns")
    ap.add_argument("--vector-size", type=int, default=32)
    ap.add_argument("--kept", type=int, required=True, help="kept vectors per block")
    ap.add_argument("--n", type=int, default=2)
    ap.add_argument("--m", type=int, default=4)
    ap.add_argument("--dtype", choices=["f32", "f16"], default="f32",
                    help="weight and activation element type")
    ap.add_argument("--acc", choices=["f32", "elt"], default="f32",
                    help="result element type: f32, or the weight's")
    ap.add_argument("--perm", choices=["identity", "in-block", "cross-block"],
                    default="identity",
                    help="row permutation: none, within blocks, or across "
                         "blocks (padding rows land anywhere)")
    ap.add_argument("--form", choices=["pack", "argument", "parts"],
                    default="pack",
                    help="pack: hinm.pack + hinm.matmul in @main; argument: "
                         "the packed matrix is passed to a function at run "
                         "time; parts: its four storage tensors are, and the "
                         "function assembles them (hinm.assemble of run-time "
                         "values)")
    ap.add_argument("--op", choices=["matmul", "to_dense"], default="matmul",
                    help="what the program prints: the product, or the packed "
                         "matrix converted back with hinm.to_dense")
    ap.add_argument("--dynamic-input", action="store_true",
                    help="pass the activations as tensor<?x?x...> to the matmul")
    ap.add_argument("--dynamic-n", action="store_true",
                    help="the matmul takes tensor<Kx?x...> and gives "
                         "tensor<Rx?x...> (a dynamic N, e.g. a batch)")
    ap.add_argument("--input-rows", type=int, default=None,
                    help="activation rows (default: cols); a different value "
                         "makes a wrong program for the run-time checks")
    ap.add_argument("--decimals", type=int, default=None,
                    help="round weights and activations to this many decimals "
                         "(shorter literals, for readable examples)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mlir", required=True)
    ap.add_argument("--ref", required=True)
    return ap.parse_args()


FLOAT_FORMAT = "%.9e"  # always with a dot or exponent: an MLIR float literal


def fmt_float(v):
    return FLOAT_FORMAT % float(v)


def dense_literal(a, kind):
    """MLIR dense<...> literal of a numpy array (nested brackets)."""
    if a.ndim == 0:
        return fmt(a.item(), kind)
    return "[" + ", ".join(dense_literal(x, kind) for x in a) + "]"


def fmt(v, kind):
    if kind == "f":
        return fmt_float(v)
    if kind == "b":
        return "true" if v else "false"
    return str(int(v))


def main():
    a = parse_args()
    rng = np.random.default_rng(a.seed)
    rows, cols, V, kept, n, m = a.rows, a.cols, a.vector_size, a.kept, a.n, a.m
    if kept % m or kept > cols or V % 16:
        sys.exit("gen_case.py: kept must be a multiple of m and <= cols; V a multiple of 16")
    blocks = -(-rows // V)
    P = blocks * V
    np_elt = np.float16 if a.dtype == "f16" else np.float32

    w = rng.standard_normal((rows, cols))
    x_rows = a.input_rows if a.input_rows is not None else cols
    x = rng.standard_normal((x_rows, a.ncols))
    if a.decimals is not None:
        global FLOAT_FORMAT
        FLOAT_FORMAT = "%%.%df" % max(a.decimals, 1)
        w, x = np.round(w, a.decimals), np.round(x, a.decimals)
    w, x = w.astype(np_elt), x.astype(np_elt)

    if a.perm == "identity":
        perm = np.arange(P)
    elif a.perm == "in-block":
        perm = np.concatenate([b * V + rng.permutation(V) for b in range(blocks)])
    else:
        perm = rng.permutation(P)
        # Make sure at least one row really changes block.
        if blocks > 1 and all(perm[p] // V == p // V for p in range(P)):
            perm[[0, P - 1]] = perm[[P - 1, 0]]
    index = np.stack([rng.permutation(cols)[:kept] for _ in range(blocks)])
    mask = np.zeros((P, kept), dtype=bool)
    for p in range(P):
        for g in range(kept // m):
            mask[p, g * m + rng.choice(m, size=n, replace=False)] = True

    # Reference: dense product of the pruned weights, in float64.
    pruned = np.zeros((rows, cols), dtype=np.float64)
    for p in range(P):
        r = perm[p]
        if r >= rows:
            continue
        cs = index[p // V][mask[p]]
        pruned[r, cs] = w[r, cs].astype(np.float64)
    if a.op == "to_dense":
        ref = pruned
    elif x_rows == cols:
        ref = pruned @ x.astype(np.float64)
    else:  # a wrong program: it must abort, there is nothing to compare
        ref = np.zeros((rows, a.ncols))
    with open(a.ref, "w") as f:
        f.write("%d %d\n" % ref.shape)
        for row in ref:
            f.write(" ".join("%.17g" % v for v in row) + "\n")

    res_elt = "f32" if a.acc == "f32" else a.dtype
    if a.op == "to_dense":
        res_elt = a.dtype
    mtype = ("!hinm.matrix<%dx%dx%s, #hinm.format<vector_size = %d, kept = %d, "
             "n = %d, m = %d>>" % (rows, cols, a.dtype, V, kept, n, m))
    xt = "tensor<%dx%dx%s>" % (x_rows, a.ncols, a.dtype)
    xin = "tensor<?x?x%s>" % a.dtype if a.dynamic_input else xt
    if a.dynamic_n:
        xin = "tensor<%dx?x%s>" % (x_rows, a.dtype)
    ycols = cols if a.op == "to_dense" else a.ncols
    yt = "tensor<%dx%dx%s>" % (rows, ycols, res_elt)
    # The matmul's result type, and its static form for printing.
    ymm = "tensor<%dx?x%s>" % (rows, res_elt) if a.dynamic_n else yt
    y32 = "tensor<%dx%dxf32>" % (rows, ycols)
    mem32 = "memref<%dx%dxf32>" % (rows, ycols)

    out = []
    out.append("// Generated by gen_case.py %s" % " ".join(sys.argv[1:]))
    out.append("!M = " + mtype)
    out.append("func.func private @printMemrefF32(memref<*xf32>) "
               "attributes {llvm.emit_c_interface}")
    if a.form == "argument":
        out.append("func.func @layer(%%w: !M, %%x: %s) -> %s {" % (xin, ymm))
        out.append("  %%y = hinm.matmul %%w, %%x : !M, %s -> %s" % (xin, ymm))
        out.append("  return %%y : %s" % ymm)
        out.append("}")
    # The storage tensor types of !M (docs/format.md).
    S = kept // m * n
    bits = max(1, (m - 1).bit_length())
    words = -(-S // (32 // bits))
    parts_t = ["tensor<%dx%dx%s>" % (P, S, a.dtype),
               "tensor<%dx%dxi32>" % (blocks, kept),
               "tensor<%dx%dxi32>" % (P, words), "tensor<%dxi32>" % P]
    if a.form == "parts":
        out.append("func.func @layer(%%v: %s, %%i: %s, %%m: %s, %%p: %s, "
                   "%%x: %s) -> %s {" % (*parts_t, xin, ymm))
        out.append("  %w = hinm.assemble %v, %i, %m, %p : !M")
        out.append("  %%y = hinm.matmul %%w, %%x : !M, %s -> %s" % (xin, ymm))
        out.append("  return %%y : %s" % ymm)
        out.append("}")
    out.append("func.func @main() {")
    out.append("  %%dense = arith.constant dense<%s> : tensor<%dx%dx%s>"
               % (dense_literal(w, "f"), rows, cols, a.dtype))
    out.append("  %%perm = arith.constant dense<%s> : tensor<%dxi32>"
               % (dense_literal(perm, "i"), P))
    out.append("  %%index = arith.constant dense<%s> : tensor<%dx%dxi32>"
               % (dense_literal(index, "i"), blocks, kept))
    out.append("  %%mask = arith.constant dense<%s> : tensor<%dx%dxi1>"
               % (dense_literal(mask, "b"), P, kept))
    xname = "%x0" if a.dynamic_input or a.dynamic_n else "%x"
    out.append("  %s = arith.constant dense<%s> : %s" % (xname, dense_literal(x, "f"), xt))
    out.append("  %w = hinm.pack %dense, %perm, %index, %mask : !M")
    if a.dynamic_input or a.dynamic_n:
        out.append("  %%x = tensor.cast %%x0 : %s to %s" % (xt, xin))
    if a.op == "to_dense":
        out.append("  %y = hinm.to_dense %w : !M")
    elif a.form == "argument" and a.dynamic_n:
        out.append("  %%yd = call @layer(%%w, %%x) : (!M, %s) -> %s" % (xin, ymm))
        out.append("  %%y = tensor.cast %%yd : %s to %s" % (ymm, yt))
    elif a.form == "argument":
        out.append("  %%y = call @layer(%%w, %%x) : (!M, %s) -> %s" % (xin, yt))
    elif a.form == "parts":
        if a.dynamic_n:
            ap_error("--form parts takes a static N")
        out.append("  %v, %i, %m, %p = hinm.disassemble %w : !M")
        out.append("  %%y = call @layer(%%v, %%i, %%m, %%p, %%x) : (%s, %s) -> %s"
                   % (", ".join(parts_t), xin, yt))
    elif a.dynamic_n:
        out.append("  %%yd = hinm.matmul %%w, %%x : !M, %s -> %s" % (xin, ymm))
        out.append("  %%y = tensor.cast %%yd : %s to %s" % (ymm, yt))
    else:
        out.append("  %%y = hinm.matmul %%w, %%x : !M, %s -> %s" % (xin, yt))
    if res_elt != "f32":
        out.append("  %%y32 = arith.extf %%y : %s to %s" % (yt, y32))
    else:
        out.append("  %%y32 = tensor.cast %%y : %s to %s" % (yt, y32))
    out.append("  %%buf = bufferization.to_buffer %%y32 : %s to %s" % (y32, mem32))
    out.append("  %%u = memref.cast %%buf : %s to memref<*xf32>" % mem32)
    out.append("  call @printMemrefF32(%u) : (memref<*xf32>) -> ()")
    out.append("  return")
    out.append("}")
    with open(a.mlir, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
