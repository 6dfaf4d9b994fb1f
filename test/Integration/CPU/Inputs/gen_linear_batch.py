"""Writes a linear layer y = x W + b (W a [in, out] constant, as frontends emit
for nn.Linear) applied to a constant batch, for sparsify-dynamic-batch.test.

  gen_linear_batch.py --batch B --in K --out N [--dynamic] --seed S OUT.mlir

With --dynamic the layer is a function of its own taking tensor<?xK> (a
batch known only at run time), called on the batch through tensor.cast;
without it every shape is static. Both print y with printMemrefF32, so the
two programs must print the same numbers.
"""
import argparse

import numpy as np


def lit(a):
    if a.ndim == 1:
        return "[" + ", ".join("%.6e" % v for v in a) + "]"
    return "[" + ", ".join(lit(r) for r in a) + "]"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--in", dest="k", type=int, required=True)
    ap.add_argument("--out", dest="n", type=int, required=True)
    ap.add_argument("--dynamic", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("path")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    w = rng.standard_normal((a.k, a.n)).astype(np.float32)
    bias = rng.standard_normal(a.n).astype(np.float32)
    x = rng.standard_normal((a.batch, a.k)).astype(np.float32)
    b = "?" if a.dynamic else str(a.batch)
    xt, yt = "tensor<%sx%dxf32>" % (b, a.k), "tensor<%sx%dxf32>" % (b, a.n)
    sx, sy = "tensor<%dx%dxf32>" % (a.batch, a.k), "tensor<%dx%dxf32>" % (a.batch, a.n)
    empty = "tensor.empty(%d)" if a.dynamic else "tensor.empty()"
    dim = ("  %c0 = arith.constant 0 : index\n"
           "  %d = tensor.dim %x, %c0 : " + xt + "\n") if a.dynamic else ""
    src = f"""func.func @linear(%x: {xt}) -> {yt} {{
{dim}  %w = arith.constant dense<{lit(w)}> : tensor<{a.k}x{a.n}xf32>
  %bias = arith.constant dense<{lit(bias)}> : tensor<{a.n}xf32>
  %e = {empty} : {yt}
  %acc = linalg.broadcast ins(%bias : tensor<{a.n}xf32>) outs(%e : {yt}) dimensions = [0]
  %y = linalg.matmul ins(%x, %w : {xt}, tensor<{a.k}x{a.n}xf32>) outs(%acc : {yt}) -> {yt}
  return %y : {yt}
}}
func.func private @printMemrefF32(memref<*xf32>) attributes {{llvm.emit_c_interface}}
func.func @main() {{
  %x0 = arith.constant dense<{lit(x)}> : {sx}
  %x = tensor.cast %x0 : {sx} to {xt}
  %y0 = call @linear(%x) : ({xt}) -> {yt}
  %y = tensor.cast %y0 : {yt} to {sy}
  %m = bufferization.to_buffer %y : {sy} to memref<{a.batch}x{a.n}xf32>
  %u = memref.cast %m : memref<{a.batch}x{a.n}xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}}
"""
    open(a.path, "w").write(src)


main()
