#!/usr/bin/env python3
"""Writes one end-to-end test case for `hinm-sparsify` on a 1-D, 2-D or 3-D
convolution: an .mlir program and, separately, the expected result computed
with numpy.

The program holds a seeded random f32 input, a constant f32 filter and an
accumulator, runs the named linalg convolution of the layout (see --layout)
with the given strides and dilations, and prints the result with
printMemrefF32. The compiler is expected to prune the filter (hinm-sparsify
with the options given here) and to compute the convolution through its
im2col view.

The reference is computed here, never from the program under test: the
filter is viewed as W[F, C*K1*...*Ks] with columns in (c, k1, ..., ks) order
(PyTorch's weight.reshape(F, -1), the order Passes.td documents), pruned with
the `hinm` Python package (the same library, deterministic) with the same
options, and the convolution of the pruned filter is computed directly in
float64 (a sum over the kernel taps of strided input slices; no im2col).
A wrong column order in the compiler prunes different weights and fails the
comparison.

  gen_conv.py --layout nhwc --batch 2 --in-ch 8 --out-ch 32 --hw 9 9 \
      --kernel 3 3 --stride 2 2 --dilation 1 1 --vector-size 16 \
      --seed 3 --mlir %t.mlir --ref %t.ref
  gen_conv.py --layout ncw --in-ch 8 --out-ch 16 --hw 20 --kernel 5 ...

Grouped 2-D convolutions (--groups G, layouts ngchw-gfchw, ngchw-fgchw and
nhwgc-gfhwc): each group's filter W_g[F/G, C/G*KH*KW] is pruned on its own,
as the compiler splits the op into one convolution per group. With
--torch-filter the program holds PyTorch's grouped weight [F, C/G, KH, KW]
and reshapes it with tensor.expand_shape into [G, F/G, C/G, KH, KW], as
torch-mlir lowers a grouped Conv2d (ngchw-gfchw only).
"""
import argparse
import itertools
import sys

import numpy as np

import hinm

FLOAT_FORMAT = "%.9e"

# layout -> (op, spatial rank, channels last, filter order as a permutation
# of the canonical [F, C, K1, ..., Ks]).
LAYOUTS = {
    "nwc": ("linalg.conv_1d_nwc_wcf", 1, True, (2, 1, 0)),
    "ncw": ("linalg.conv_1d_ncw_fcw", 1, False, (0, 1, 2)),
    "nhwc": ("linalg.conv_2d_nhwc_hwcf", 2, True, (2, 3, 1, 0)),
    "nhwc-fhwc": ("linalg.conv_2d_nhwc_fhwc", 2, True, (0, 2, 3, 1)),
    "nchw": ("linalg.conv_2d_nchw_fchw", 2, False, (0, 1, 2, 3)),
    "ndhwc": ("linalg.conv_3d_ndhwc_dhwcf", 3, True, (2, 3, 4, 1, 0)),
    "ncdhw": ("linalg.conv_3d_ncdhw_fcdhw", 3, False, (0, 1, 2, 3, 4)),
}

# Grouped layouts: layout -> (op, input order, filter order, output order),
# each a permutation of the canonical grouped forms x[N, G, C, H, W],
# w[G, F, C, KH, KW], y[N, G, F, OH, OW].
GROUPED = {
    "ngchw-gfchw": ("linalg.conv_2d_ngchw_gfchw", (0, 1, 2, 3, 4),
                    (0, 1, 2, 3, 4), (0, 1, 2, 3, 4)),
    "ngchw-fgchw": ("linalg.conv_2d_ngchw_fgchw", (0, 1, 2, 3, 4),
                    (1, 0, 2, 3, 4), (0, 1, 2, 3, 4)),
    "nhwgc-gfhwc": ("linalg.conv_2d_nhwgc_gfhwc", (0, 3, 4, 1, 2),
                    (0, 1, 3, 4, 2), (0, 3, 4, 1, 2)),
}


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", choices=sorted(LAYOUTS) + sorted(GROUPED),
                    required=True,
                    help="; ".join("%s: %s" % (k, v[0]) for k, v in
                                   list(LAYOUTS.items()) + list(GROUPED.items())))
    ap.add_argument("--groups", type=int, default=1,
                    help="groups of a grouped layout")
    ap.add_argument("--torch-filter", action="store_true",
                    help="ngchw-gfchw: the filter as PyTorch's [F, C/G, KH, "
                    "KW] constant, reshaped by tensor.expand_shape")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--in-ch", type=int, required=True)
    ap.add_argument("--out-ch", type=int, required=True)
    ap.add_argument("--hw", type=int, nargs="+", required=True,
                    help="the input's spatial sizes (one per dimension)")
    ap.add_argument("--kernel", type=int, nargs="+", required=True)
    ap.add_argument("--stride", type=int, nargs="+")
    ap.add_argument("--dilation", type=int, nargs="+")
    ap.add_argument("--acc", choices=["zero", "random"], default="zero",
                    help="accumulator: a zero linalg.fill or random values")
    ap.add_argument("--vector-size", type=int, default=32)
    ap.add_argument("--vector-sparsity", type=float, default=0.5)
    ap.add_argument("--n", type=int, default=2)
    ap.add_argument("--m", type=int, default=4)
    ap.add_argument("--permute", default="2cp")
    ap.add_argument("--prune-seed", type=int, default=0,
                    help="the pass's `seed` option")
    ap.add_argument("--seed", type=int, default=0, help="data seed")
    ap.add_argument("--mlir", required=True)
    ap.add_argument("--ref", required=True)
    return ap.parse_args()


def dense_literal(a):
    if a.ndim == 0:
        return FLOAT_FORMAT % float(a)
    return "[" + ", ".join(dense_literal(x) for x in a) + "]"


def tensor_type(shape):
    return "tensor<%sxf32>" % "x".join(str(d) for d in shape)


def main():
    a = parse_args()
    grouped = a.layout in GROUPED
    if grouped:
        op, in_order, filter_order, out_order = GROUPED[a.layout]
        rank, channels_last = 2, False
    else:
        op, rank, channels_last, filter_order = LAYOUTS[a.layout]
    G = a.groups
    if not grouped and G != 1:
        sys.exit("gen_conv.py: --groups needs a grouped layout")
    if a.torch_filter and a.layout != "ngchw-gfchw":
        sys.exit("gen_conv.py: --torch-filter is for ngchw-gfchw")
    stride = a.stride or [1] * rank
    dilation = a.dilation or [1] * rank
    if not (len(a.hw) == len(a.kernel) == len(stride) == len(dilation)
            == rank):
        sys.exit("gen_conv.py: %s takes %d spatial sizes, kernel sizes, "
                 "strides and dilations" % (a.layout, rank))
    rng = np.random.default_rng(a.seed)
    N, C, F = a.batch, a.in_ch, a.out_ch
    if C % G or F % G:
        sys.exit("gen_conv.py: --groups must divide the channel counts")
    Cg, Fg = C // G, F // G
    out_size = [(h - (k - 1) * d - 1) // s + 1
                for h, k, s, d in zip(a.hw, a.kernel, stride, dilation)]
    if min(out_size) <= 0:
        sys.exit("gen_conv.py: the kernel does not fit the input")

    # Canonical forms: x[N, C, S...], w[F, C/G, K...] (PyTorch's), acc
    # [N, F, O...]; output channel f belongs to group f // (F/G), which reads
    # input channels [g*C/G, (g+1)*C/G). The program gets them in its layout.
    x = rng.standard_normal((N, C, *a.hw)).astype(np.float32)
    w = rng.standard_normal((F, Cg, *a.kernel)).astype(np.float32)
    acc = (rng.standard_normal((N, F, *out_size)).astype(np.float32)
           if a.acc == "random" else np.zeros((N, F, *out_size), np.float32))

    # The pruned filter, from the library's pruning of every group's
    # W_g[F/G, C/G*K...].
    wp = np.empty_like(w)
    kept = 0
    for g in range(G):
        wg = np.ascontiguousarray(w[g * Fg:(g + 1) * Fg].reshape(Fg, -1))
        _, info = hinm.prune(wg, vector_size=a.vector_size,
                             vector_sparsity=a.vector_sparsity, n=a.n, m=a.m,
                             permute=a.permute, seed=a.prune_seed)
        wp[g * Fg:(g + 1) * Fg] = np.where(info["mask"], wg, 0.0).reshape(
            (Fg, Cg, *a.kernel))
        kept += int(info["mask"].sum())

    # Direct convolution in float64, group by group: y[n, f, o...] = acc +
    # sum_{c, k...} wp[f, c, k...] * x[n, g*C/G + c, o_i*s_i + k_i*d_i ...].
    ref = acc.astype(np.float64)
    x64, wp64 = x.astype(np.float64), wp.astype(np.float64)
    for g in range(G):
        fs, cs = slice(g * Fg, (g + 1) * Fg), slice(g * Cg, (g + 1) * Cg)
        for taps in itertools.product(*(range(k) for k in a.kernel)):
            window = tuple(slice(k * d, k * d + (o - 1) * s + 1, s) for k, d, o, s
                           in zip(taps, dilation, out_size, stride))
            xs = x64[(slice(None), cs) + window]
            ref[:, fs] += np.einsum("nc...,fc->nf...", xs,
                                    wp64[(fs, slice(None)) + taps])

    if grouped:
        # To the canonical grouped forms, then to the layout.
        def split(t, ch):
            return t.reshape((t.shape[0], G, ch) + t.shape[2:])
        x_l = split(x, Cg).transpose(in_order)
        acc_l = split(acc, Fg).transpose(out_order)
        ref_l = split(ref, Fg).transpose(out_order)
        w_l = w.reshape((G, Fg, Cg) + w.shape[2:]).transpose(filter_order)
    else:
        # Channels last moves C (and F) behind the spatial dimensions.
        last = (0,) + tuple(range(2, rank + 2)) + (1,)
        to_layout = (lambda t: t.transpose(last)) if channels_last else (
            lambda t: t)
        x_l, acc_l, ref_l = to_layout(x), to_layout(acc), to_layout(ref)
        w_l = w.transpose(filter_order)
    with open(a.ref, "w") as f:
        f.write(" ".join(str(d) for d in ref_l.shape) + "\n")
        for row in ref_l.reshape(-1, ref_l.shape[-1]):
            f.write(" ".join("%.17g" % v for v in row) + "\n")

    xt, wt, yt = (tensor_type(t.shape) for t in (x_l, w_l, acc_l))
    mem = "memref<%sxf32>" % "x".join(str(d) for d in acc_l.shape)
    out = []
    out.append("// Generated by gen_conv.py %s" % " ".join(sys.argv[1:]))
    out.append("// Reference pruning keeps %d of %d filter weights." % (kept, w.size))
    out.append("func.func private @printMemrefF32(memref<*xf32>) "
               "attributes {llvm.emit_c_interface}")
    out.append("func.func @main() {")
    out.append("  %%x = arith.constant dense<%s> : %s" % (dense_literal(x_l), xt))
    if a.torch_filter:
        out.append("  %%w4 = arith.constant dense<%s> : %s"
                   % (dense_literal(w), tensor_type(w.shape)))
        out.append("  %%w = tensor.expand_shape %%w4 [[0, 1], [2], [3], [4]] "
                   "output_shape [%s] : %s into %s"
                   % (", ".join(str(d) for d in w_l.shape),
                      tensor_type(w.shape), wt))
    else:
        out.append("  %%w = arith.constant dense<%s> : %s" % (dense_literal(w_l), wt))
    if a.acc == "random":
        out.append("  %%acc = arith.constant dense<%s> : %s" % (dense_literal(acc_l), yt))
    else:
        out.append("  %zero = arith.constant 0.0 : f32")
        out.append("  %%e = tensor.empty() : %s" % yt)
        out.append("  %%acc = linalg.fill ins(%%zero : f32) outs(%%e : %s) -> %s" % (yt, yt))
    ints = lambda v: ", ".join(str(i) for i in v)
    out.append("  %%y = %s {strides = dense<[%s]> : tensor<%dxi64>, "
               "dilations = dense<[%s]> : tensor<%dxi64>}"
               % (op, ints(stride), rank, ints(dilation), rank))
    out.append("      ins(%%x, %%w : %s, %s) outs(%%acc : %s) -> %s" % (xt, wt, yt, yt))
    out.append("  %%buf = bufferization.to_buffer %%y : %s to %s" % (yt, mem))
    out.append("  %%u = memref.cast %%buf : %s to memref<*xf32>" % mem)
    out.append("  call @printMemrefF32(%u) : (memref<*xf32>) -> ()")
    out.append("  return")
    out.append("}")
    with open(a.mlir, "w") as f:
        f.write("\n".join(out) + "\n")
    print("gen_conv: %s %s -> %s, reference keeps %d of %d filter weights"
          % (op, xt, yt, kept, w.size))


if __name__ == "__main__":
    main()
