#!/usr/bin/env python3
"""Writes one end-to-end test case for `hinm-sparsify` on a 2-D convolution: an
.mlir program and, separately, the expected result computed with numpy.

The program holds a seeded random f32 input, a constant f32 filter and an
accumulator, runs `linalg.conv_2d_nhwc_hwcf`, `linalg.conv_2d_nhwc_fhwc` or
`linalg.conv_2d_nchw_fchw` with the given strides and dilations, and prints the result with
printMemrefF32. The compiler is expected to prune the filter (hinm-sparsify
with the options given here) and to compute the convolution through its
im2col view.

The reference is computed here, never from the program under test: the
filter is viewed as W[F, C*KH*KW] with columns in (c, kh, kw) order
(PyTorch's weight.reshape(F, -1), the order Passes.td documents), pruned with
the `hinm` Python package (the same library, deterministic) with the same
options, and the convolution of the pruned filter is computed directly in
float64 (a sum over the kernel taps of strided input slices; no im2col).
A wrong column order in the compiler prunes different weights and fails the
comparison.

  gen_conv.py --layout nhwc --batch 2 --in-ch 8 --out-ch 32 --hw 9 9 \
      --kernel 3 3 --stride 2 2 --dilation 1 1 --vector-size 16 \
      --seed 3 --mlir %t.mlir --ref %t.ref
"""
import argparse
import sys

import numpy as np

import hinm

FLOAT_FORMAT = "%.9e"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", choices=["nhwc", "nhwc-fhwc", "nchw"],
                    required=True,
                    help="nhwc: conv_2d_nhwc_hwcf; nhwc-fhwc: "
                         "conv_2d_nhwc_fhwc; nchw: conv_2d_nchw_fchw")
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--in-ch", type=int, required=True)
    ap.add_argument("--out-ch", type=int, required=True)
    ap.add_argument("--hw", type=int, nargs=2, required=True)
    ap.add_argument("--kernel", type=int, nargs=2, required=True)
    ap.add_argument("--stride", type=int, nargs=2, default=[1, 1])
    ap.add_argument("--dilation", type=int, nargs=2, default=[1, 1])
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
    rng = np.random.default_rng(a.seed)
    N, C, F = a.batch, a.in_ch, a.out_ch
    H, W = a.hw
    KH, KW = a.kernel
    sh, sw = a.stride
    dh, dw = a.dilation
    OH = (H - (KH - 1) * dh - 1) // sh + 1
    OW = (W - (KW - 1) * dw - 1) // sw + 1
    if OH <= 0 or OW <= 0:
        sys.exit("gen_conv.py: the kernel does not fit the input")

    # Canonical forms: x[N, C, H, W], w[F, C, KH, KW] (PyTorch's), acc
    # [N, F, OH, OW]; the program gets them in its layout.
    x = rng.standard_normal((N, C, H, W)).astype(np.float32)
    w = rng.standard_normal((F, C, KH, KW)).astype(np.float32)
    acc = (rng.standard_normal((N, F, OH, OW)).astype(np.float32)
           if a.acc == "random" else np.zeros((N, F, OH, OW), np.float32))

    # The pruned filter, from the library's pruning of W[F, C*KH*KW].
    w2d = np.ascontiguousarray(w.reshape(F, C * KH * KW))
    _, info = hinm.prune(w2d, vector_size=a.vector_size,
                         vector_sparsity=a.vector_sparsity, n=a.n, m=a.m,
                         permute=a.permute, seed=a.prune_seed)
    wp = np.where(info["mask"], w2d, 0.0).reshape(F, C, KH, KW)
    kept = int(info["mask"].sum())

    # Direct convolution in float64: y[n, f, i, j] = acc + sum_{c,kh,kw}
    # wp[f, c, kh, kw] * x[n, c, i*sh + kh*dh, j*sw + kw*dw].
    ref = acc.astype(np.float64)
    x64, wp64 = x.astype(np.float64), wp.astype(np.float64)
    for kh in range(KH):
        for kw in range(KW):
            xs = x64[:, :, kh * dh: kh * dh + (OH - 1) * sh + 1: sh,
                     kw * dw: kw * dw + (OW - 1) * sw + 1: sw]
            ref += np.einsum("nchw,fc->nfhw", xs, wp64[:, :, kh, kw])

    if a.layout in ("nhwc", "nhwc-fhwc"):
        if a.layout == "nhwc":
            op = "linalg.conv_2d_nhwc_hwcf"
            w_l = w.transpose(2, 3, 1, 0)
        else:
            op = "linalg.conv_2d_nhwc_fhwc"
            w_l = w.transpose(0, 2, 3, 1)
        x_l = x.transpose(0, 2, 3, 1)
        acc_l = acc.transpose(0, 2, 3, 1)
        ref_l = ref.transpose(0, 2, 3, 1)
    else:
        op = "linalg.conv_2d_nchw_fchw"
        x_l, w_l, acc_l, ref_l = x, w, acc, ref
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
    out.append("  %%w = arith.constant dense<%s> : %s" % (dense_literal(w_l), wt))
    if a.acc == "random":
        out.append("  %%acc = arith.constant dense<%s> : %s" % (dense_literal(acc_l), yt))
    else:
        out.append("  %zero = arith.constant 0.0 : f32")
        out.append("  %%e = tensor.empty() : %s" % yt)
        out.append("  %%acc = linalg.fill ins(%%zero : f32) outs(%%e : %s) -> %s" % (yt, yt))
    out.append("  %%y = %s {strides = dense<[%d, %d]> : tensor<2xi64>, "
               "dilations = dense<[%d, %d]> : tensor<2xi64>}"
               % (op, sh, sw, dh, dw))
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
