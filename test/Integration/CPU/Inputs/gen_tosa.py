#!/usr/bin/env python3
"""Writes one TOSA layer with a constant weight and, separately, its expected
result after HiNM pruning, for sparsify-tosa.test:

  gen_tosa.py fc --rows M --in K --out N --seed S --mlir OUT --ref REF
      tosa.matmul of x [1, M, K] and a [1, K, N] constant weight (how TOSA
      1.0 writes a fully connected layer), plus a bias (tosa.add);
  gen_tosa.py conv --size H --in C --out F --kernel K --seed S ...
      tosa.conv2d, NHWC input [1, H, H, C], OHWI weight [F, K, K, C], bias,
      stride 1, no padding.

The program is TOSA; the test lowers it with stock mlir-opt
(tosa-to-linalg-named) before hinm-sparsify. The reference is computed here:
the weight in PyTorch's [out, in] view ([N, K], or [F, C*K*K] in (c, kh, kw)
order, the view hinm-sparsify documents) pruned by the hinm Python package
with --vector-size and its other defaults, then the layer in float64.
"""
import argparse

import numpy as np

import hinm


def lit(a):
    if a.ndim == 0:
        return "%.8e" % float(a)
    return "[" + ", ".join(lit(x) for x in a) + "]"


def ttype(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def pruned(w2d, vector_size):
    _, info = hinm.prune(np.ascontiguousarray(w2d, dtype=np.float32),
                         vector_size=vector_size)
    return np.where(info["mask"], w2d, 0.0).astype(np.float64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("layer", choices=["fc", "conv"])
    ap.add_argument("--rows", type=int, default=4)
    ap.add_argument("--in", dest="cin", type=int, required=True)
    ap.add_argument("--out", dest="cout", type=int, required=True)
    ap.add_argument("--size", type=int, default=6)
    ap.add_argument("--kernel", type=int, default=3)
    ap.add_argument("--vector-size", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mlir", required=True)
    ap.add_argument("--ref", required=True)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    bias = rng.standard_normal(a.cout).astype(np.float32)
    zp = ('  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> '
          ': () -> tensor<1xf32>\n')
    if a.layer == "fc":
        M, K, N = a.rows, a.cin, a.cout
        x = rng.standard_normal((1, M, K)).astype(np.float32)
        w = rng.standard_normal((1, K, N)).astype(np.float32)
        ref = x[0].astype(np.float64) @ pruned(w[0].T, a.vector_size).T
        ref = (ref + bias)[None]
        body = (f'  %w = "tosa.const"() <{{values = dense<{lit(w)}> : {ttype(w.shape)}}}> : () -> {ttype(w.shape)}\n'
                f'  %b = "tosa.const"() <{{values = dense<[[{lit(bias)}]]> : {ttype([1, 1, N])}}}> : () -> {ttype([1, 1, N])}\n'
                + zp +
                f"  %mm = tosa.matmul %x, %w, %zp, %zp : ({ttype(x.shape)}, {ttype(w.shape)}, tensor<1xf32>, tensor<1xf32>) -> {ttype(ref.shape)}\n"
                f"  %y = tosa.add %mm, %b : ({ttype(ref.shape)}, {ttype([1, 1, N])}) -> {ttype(ref.shape)}\n")
    else:
        H, C, F, KK = a.size, a.cin, a.cout, a.kernel
        O = H - KK + 1
        x = rng.standard_normal((1, H, H, C)).astype(np.float32)
        w = rng.standard_normal((F, KK, KK, C)).astype(np.float32)
        # [F, C*K*K] in (c, kh, kw) order: OHWI -> OIHW.
        w2d = w.transpose(0, 3, 1, 2).reshape(F, -1)
        wp = pruned(w2d, a.vector_size).reshape(F, C, KK, KK)
        ref = np.zeros((1, O, O, F)) + bias
        x64 = x.astype(np.float64)
        for kh in range(KK):
            for kw in range(KK):
                ref += np.einsum("nhwc,fc->nhwf",
                                 x64[:, kh:kh + O, kw:kw + O, :],
                                 wp[:, :, kh, kw])
        body = (f'  %w = "tosa.const"() <{{values = dense<{lit(w)}> : {ttype(w.shape)}}}> : () -> {ttype(w.shape)}\n'
                f'  %b = "tosa.const"() <{{values = dense<{lit(bias)}> : {ttype([F])}}}> : () -> {ttype([F])}\n'
                + zp +
                "  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, "
                "dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, "
                "stride = array<i64: 1, 1>} : "
                f"({ttype(x.shape)}, {ttype(w.shape)}, {ttype([F])}, tensor<1xf32>, tensor<1xf32>) -> {ttype(ref.shape)}\n")
    with open(a.ref, "w") as f:
        f.write(" ".join(str(d) for d in ref.shape) + "\n")
        for row in ref.reshape(-1, ref.shape[-1]):
            f.write(" ".join("%.17g" % v for v in row) + "\n")
    yt, n = ttype(ref.shape), int(np.prod(ref.shape))
    src = f"""func.func @layer(%x: {ttype(x.shape)}) -> {yt} {{
{body}  return %y : {yt}
}}
func.func private @printMemrefF32(memref<*xf32>) attributes {{llvm.emit_c_interface}}
func.func @main() {{
  %x = arith.constant dense<{lit(x)}> : {ttype(x.shape)}
  %y = call @layer(%x) : ({ttype(x.shape)}) -> {yt}
  %m = bufferization.to_buffer %y : {yt} to memref<{"x".join(str(d) for d in ref.shape)}xf32>
  %u = memref.cast %m : memref<{"x".join(str(d) for d in ref.shape)}xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}}
"""
    open(a.mlir, "w").write(src)


if __name__ == "__main__":
    main()
