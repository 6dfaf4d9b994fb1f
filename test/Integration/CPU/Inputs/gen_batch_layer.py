"""Writes one layer with a constant weight applied to a constant batch, for
sparsify-dynamic-batch.test:

  gen_batch_layer.py linear --batch B --in K --out N [--dynamic] --seed S OUT
      y = x W + b, W a [in, out] constant (as frontends emit nn.Linear);
  gen_batch_layer.py conv --layout nchw|nhwc --batch B --in C --out F
                     --size H --kernel K [--dynamic] --seed S OUT
      a 2-D convolution (linalg.conv_2d_nchw_fchw or conv_2d_nhwc_hwcf),
      stride 1, no padding, zero accumulator.

With --dynamic the layer is a function of its own whose batch dimension is
dynamic (`?`), called on the batch through tensor.cast; without it every
shape is static. Both print the result with printMemrefF32, so the two
programs must print the same numbers.
"""
import argparse

import numpy as np


def lit(a):
    if a.ndim == 1:
        return "[" + ", ".join("%.6e" % v for v in a) + "]"
    return "[" + ", ".join(lit(r) for r in a) + "]"


def ttype(shape, elt="f32"):
    return "tensor<" + "x".join("?" if d is None else str(d) for d in shape) + "x" + elt + ">"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("op", choices=["linear", "conv"])
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--in", dest="cin", type=int, required=True)
    ap.add_argument("--out", dest="cout", type=int, required=True)
    ap.add_argument("--layout", choices=["nchw", "nhwc"], default="nchw")
    ap.add_argument("--size", type=int, default=6)
    ap.add_argument("--kernel", type=int, default=3)
    ap.add_argument("--dynamic", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("path")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    B = a.batch
    b = None if a.dynamic else B
    empty = "tensor.empty(%d)" if a.dynamic else "tensor.empty()"
    if a.op == "linear":
        w = rng.standard_normal((a.cin, a.cout)).astype(np.float32)
        bias = rng.standard_normal(a.cout).astype(np.float32)
        x = rng.standard_normal((B, a.cin)).astype(np.float32)
        xs, ys = [B, a.cin], [B, a.cout]
        xd, yd = [b, a.cin], [b, a.cout]
        body = f"""  %w = arith.constant dense<{lit(w)}> : {ttype([a.cin, a.cout])}
  %bias = arith.constant dense<{lit(bias)}> : {ttype([a.cout])}
  %e = {empty} : {ttype(yd)}
  %acc = linalg.broadcast ins(%bias : {ttype([a.cout])}) outs(%e : {ttype(yd)}) dimensions = [0]
  %y = linalg.matmul ins(%x, %w : {ttype(xd)}, {ttype([a.cin, a.cout])}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}"""
    else:
        H, K, C, F = a.size, a.kernel, a.cin, a.cout
        O = H - K + 1
        if a.layout == "nchw":
            xs, fs, ys = [B, C, H, H], [F, C, K, K], [B, F, O, O]
            xd, yd = [b, C, H, H], [b, F, O, O]
            name = "linalg.conv_2d_nchw_fchw"
        else:
            xs, fs, ys = [B, H, H, C], [K, K, C, F], [B, O, O, F]
            xd, yd = [b, H, H, C], [b, O, O, F]
            name = "linalg.conv_2d_nhwc_hwcf"
        w = rng.standard_normal(fs).astype(np.float32)
        x = rng.standard_normal(xs).astype(np.float32)
        body = f"""  %w = arith.constant dense<{lit(w)}> : {ttype(fs)}
  %zero = arith.constant 0.0 : f32
  %e = {empty} : {ttype(yd)}
  %acc = linalg.fill ins(%zero : f32) outs(%e : {ttype(yd)}) -> {ttype(yd)}
  %y = {name} {{strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}} ins(%x, %w : {ttype(xd)}, {ttype(fs)}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}"""
    dim = ("  %c0 = arith.constant 0 : index\n"
           f"  %d = tensor.dim %x, %c0 : {ttype(xd)}\n") if a.dynamic else ""
    n = int(np.prod(ys))
    src = f"""func.func @layer(%x: {ttype(xd)}) -> {ttype(yd)} {{
{dim}{body}
  return %y : {ttype(yd)}
}}
func.func private @printMemrefF32(memref<*xf32>) attributes {{llvm.emit_c_interface}}
func.func @main() {{
  %x0 = arith.constant dense<{lit(x)}> : {ttype(xs)}
  %x = tensor.cast %x0 : {ttype(xs)} to {ttype(xd)}
  %y0 = call @layer(%x) : ({ttype(xd)}) -> {ttype(yd)}
  %y = tensor.cast %y0 : {ttype(yd)} to {ttype(ys)}
  %flat = tensor.collapse_shape %y [[{", ".join(str(i) for i in range(len(ys)))}]] : {ttype(ys)} into {ttype([n])}
  %m = bufferization.to_buffer %flat : {ttype([n])} to memref<{n}xf32>
  %u = memref.cast %m : memref<{n}xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}}
"""
    open(a.path, "w").write(src)


if __name__ == "__main__":
    main()
