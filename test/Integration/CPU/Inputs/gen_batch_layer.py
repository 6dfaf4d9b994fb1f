"""Writes one layer with a constant weight applied to a constant batch, for
sparsify-dynamic-batch.test:

  gen_batch_layer.py linear --batch B --in K --out N [--dynamic] --seed S
                     [--weight plain|generic|transpose] [--resource] OUT
      y = x W + b, W a [in, out] constant; with --weight generic or
      transpose the constant is PyTorch's [out, in] weight, transposed into
      the product by a permuting linalg.generic (torch-mlir's nn.Linear) or
      by linalg.transpose; --resource stores it as a dense_resource blob.
      The values of W are the same in every form. With --seq S the
      activations are [batch, S, in] and, as torch-mlir lowers a linear
      layer on rank-3 input, W is broadcast over the batch into
      linalg.batch_matmul (by a linalg.generic, or with --broadcast map by
      the batch_matmul's own indexing map (b, m, n, k) -> (k, n), or with
      --broadcast unit and --batch 1 stored as a [1, in, out] constant, as
      TOSA's 3-D matmul has it); x holds the values of the [batch*S, in]
      form. With --side lhs the layer is
      Y[b] = W X[b] instead, on X [batch, in, S] with PyTorch's [out, in]
      weight as the shared LHS (broadcast by a generic, or by the map
      (b, m, n, k) -> (m, k)); @main transposes x into that form and the
      result back, so it prints what the RHS form prints. With --vector
      vecmat (batch 1) the layer is linalg.vecmat on x [in] and W [in, out];
      with --vector matvec, linalg.matvec on PyTorch's [out, in] weight and
      x [in]; both print what the batch-1 linalg.matmul form prints;
  gen_batch_layer.py conv --layout nchw|nhwc --batch B --in C --out F
                     --size H --kernel K [--dynamic] [--filter-from-fchw]
                     --seed S OUT
      a 2-D convolution (linalg.conv_2d_nchw_fchw or conv_2d_nhwc_hwcf),
      stride 1, no padding, zero accumulator. With --filter-from-fchw (NHWC)
      the same filter values are stored as PyTorch's [F, C, KH, KW] and
      permuted into [KH, KW, C, F] by a 4-D linalg.transpose.

With --dynamic the layer is a function of its own whose batch dimension is
dynamic (`?`), called on the batch through tensor.cast; without it every
shape is static. Both print the result with printMemrefF32, so the two
programs must print the same numbers.
"""
import argparse

import numpy as np


def lit(a):
    # 9 significant digits: the float32 values survive the text exactly, so
    # a dense literal holds what a dense_resource blob of them holds.
    if a.ndim == 1:
        return "[" + ", ".join("%.8e" % v for v in a) + "]"
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
    ap.add_argument("--weight", choices=["plain", "generic", "transpose"], default="plain")
    ap.add_argument("--resource", action="store_true")
    ap.add_argument("--seq", type=int, default=0)
    ap.add_argument("--broadcast", choices=["generic", "map", "unit"],
                    default="generic")
    ap.add_argument("--side", choices=["rhs", "lhs"], default="rhs")
    ap.add_argument("--vector", choices=["none", "vecmat", "matvec"],
                    default="none")
    ap.add_argument("--filter-from-fchw", action="store_true")
    ap.add_argument("path")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    resources = ""
    B = a.batch
    b = None if a.dynamic else B
    empty = "tensor.empty(%d)" if a.dynamic else "tensor.empty()"
    if a.op == "linear":
        w = rng.standard_normal((a.cin, a.cout)).astype(np.float32)
        bias = rng.standard_normal(a.cout).astype(np.float32)
        S = a.seq
        x = rng.standard_normal((B * max(S, 1), a.cin)).astype(np.float32)
        xs, ys = [B, a.cin], [B, a.cout]
        xd, yd = [b, a.cin], [b, a.cout]
        if S:
            x = x.reshape(B, S, a.cin)
            xs, ys = [B, S, a.cin], [B, S, a.cout]
            xd, yd = [b, S, a.cin], [b, S, a.cout]
        lhs = a.side == "lhs"
        if lhs and (not S or a.weight != "plain" or a.resource):
            ap.error("--side lhs needs --seq and a plain dense weight")
        if lhs:
            # The layer's own shapes: X [b, in, S] -> Y [b, out, S].
            xd, yd = [b, a.cin, S], [b, a.cout, S]
        vec = a.vector != "none"
        if vec and (B != 1 or S or a.dynamic or a.weight != "plain" or
                    a.resource):
            ap.error("--vector needs --batch 1, no --seq or --dynamic and a "
                     "plain dense weight")
        if vec:
            # The layer's own shapes: x [in] -> y [out].
            xd, yd = [a.cin], [a.cout]
        stored = (w if a.weight == "plain" and not lhs and
                  a.vector != "matvec" else np.ascontiguousarray(w.T))
        if a.resource:
            # Blob: a 4-byte alignment header, then the elements in
            # little-endian order.
            hexdata = "0x04000000" + stored.astype("<f4").tobytes().hex().upper()
            resources = ("{-#\n  dialect_resources: {\n    builtin: {\n"
                         f"      weight: \"{hexdata}\"\n    }}\n  }}\n#-}}\n")
            value = "dense_resource<weight>"
        else:
            value = f"dense<{lit(stored)}>"
        wtype = ttype(list(stored.shape))
        decl = f"  %wc = arith.constant {value} : {wtype}\n"
        if a.weight == "plain":
            decl = f"  %w = arith.constant {value} : {wtype}\n"
        elif a.weight == "transpose":
            decl += (f"  %we = tensor.empty() : {ttype([a.cin, a.cout])}\n"
                     f"  %w = linalg.transpose ins(%wc : {wtype}) outs(%we : {ttype([a.cin, a.cout])}) permutation = [1, 0]\n")
        else:
            decl += (f"  %we = tensor.empty() : {ttype([a.cin, a.cout])}\n"
                     "  %w = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, "
                     "affine_map<(d0, d1) -> (d1, d0)>], iterator_types = [\"parallel\", \"parallel\"]} "
                     f"ins(%wc : {wtype}) outs(%we : {ttype([a.cin, a.cout])}) {{\n"
                     "  ^bb0(%in: f32, %out: f32):\n    linalg.yield %in : f32\n"
                     f"  }} -> {ttype([a.cin, a.cout])}\n")
        bias_dims = "0, 2" if lhs else ("0, 1" if S else "0")
        if vec:
            body = f"""{decl}  %acc = arith.constant dense<{lit(bias)}> : {ttype([a.cout])}
"""
        else:
            body = f"""{decl}  %bias = arith.constant dense<{lit(bias)}> : {ttype([a.cout])}
  %e = {empty} : {ttype(yd)}
  %acc = linalg.broadcast ins(%bias : {ttype([a.cout])}) outs(%e : {ttype(yd)}) dimensions = [{bias_dims}]
"""
        wl = [a.cout, a.cin]
        if a.vector == "vecmat":
            body += f"  %y = linalg.vecmat ins(%x, %w : {ttype(xd)}, {ttype([a.cin, a.cout])}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}"
        elif a.vector == "matvec":
            body += f"  %y = linalg.matvec ins(%w, %x : {ttype(wl)}, {ttype(xd)}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}"
        elif lhs and a.broadcast == "map":
            body += ("  %y = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, "
                     "affine_map<(b, m, n, k) -> (b, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>] "
                     f"ins(%w, %x : {ttype(wl)}, {ttype(xd)}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}")
        elif S and a.broadcast == "unit":
            if B != 1 or a.dynamic or lhs:
                ap.error("--broadcast unit needs --batch 1, static, rhs")
            wb = [1, a.cin, a.cout]
            # The 3-D constant itself, as tosa-to-linalg-named leaves it.
            body += (f"  %wb = arith.constant dense<[{lit(stored)}]> : {ttype(wb)}\n"
                     f"  %y = linalg.batch_matmul ins(%x, %wb : {ttype(xd)}, {ttype(wb)}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}")
        elif lhs:
            wb = [b, a.cout, a.cin]
            body += (f"  %wbe = {empty} : {ttype(wb)}\n"
                     f"  %wb = linalg.broadcast ins(%w : {ttype(wl)}) outs(%wbe : {ttype(wb)}) dimensions = [0]\n"
                     f"  %y = linalg.batch_matmul ins(%wb, %x : {ttype(wb)}, {ttype(xd)}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}")
        elif not S:
            body += f"  %y = linalg.matmul ins(%x, %w : {ttype(xd)}, {ttype([a.cin, a.cout])}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}"
        elif a.broadcast == "map":
            body += ("  %y = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, "
                     "affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>] "
                     f"ins(%x, %w : {ttype(xd)}, {ttype([a.cin, a.cout])}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}")
        else:
            wb = [b, a.cin, a.cout]
            body += (f"  %wbe = {empty} : {ttype(wb)}\n"
                     "  %wb = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d2)>, "
                     "affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = [\"parallel\", \"parallel\", \"parallel\"]} "
                     f"ins(%w : {ttype([a.cin, a.cout])}) outs(%wbe : {ttype(wb)}) {{\n"
                     "  ^bb0(%in: f32, %out: f32):\n    linalg.yield %in : f32\n"
                     f"  }} -> {ttype(wb)}\n"
                     f"  %y = linalg.batch_matmul ins(%x, %wb : {ttype(xd)}, {ttype(wb)}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}")
    else:
        if a.weight != "plain" or a.resource:
            ap.error("--weight and --resource are for linear layers")
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
        if a.filter_from_fchw and a.layout != "nhwc":
            ap.error("--filter-from-fchw is for --layout nhwc")
        if a.filter_from_fchw:
            fchw = np.ascontiguousarray(w.transpose(3, 2, 0, 1))
            decl = (f"  %wc = arith.constant dense<{lit(fchw)}> : {ttype(fchw.shape)}\n"
                    f"  %we = tensor.empty() : {ttype(fs)}\n"
                    f"  %w = linalg.transpose ins(%wc : {ttype(fchw.shape)}) outs(%we : {ttype(fs)}) permutation = [2, 3, 1, 0]\n")
        else:
            decl = f"  %w = arith.constant dense<{lit(w)}> : {ttype(fs)}\n"
        body = f"""{decl}  %zero = arith.constant 0.0 : f32
  %e = {empty} : {ttype(yd)}
  %acc = linalg.fill ins(%zero : f32) outs(%e : {ttype(yd)}) -> {ttype(yd)}
  %y = {name} {{strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}} ins(%x, %w : {ttype(xd)}, {ttype(fs)}) outs(%acc : {ttype(yd)}) -> {ttype(yd)}"""
    dim = ("  %c0 = arith.constant 0 : index\n"
           f"  %d = tensor.dim %x, %c0 : {ttype(xd)}\n") if a.dynamic else ""
    n = int(np.prod(ys))
    # The layer's static shapes; with --side lhs, @main swaps the last two
    # dimensions of x before the call and of the result after it.
    swap = a.op == "linear" and a.side == "lhs"
    flat = a.op == "linear" and a.vector != "none"
    xl = [xs[0], xs[2], xs[1]] if swap else xs
    yl = [ys[0], ys[2], ys[1]] if swap else ys
    if flat:
        xl, yl = xd, yd
    to_layer = (f"  %x1 = tensor.collapse_shape %x0 [[0, 1]] : {ttype(xs)} into {ttype(xl)}\n"
                if flat else
                f"  %xe = tensor.empty() : {ttype(xl)}\n"
                f"  %x1 = linalg.transpose ins(%x0 : {ttype(xs)}) outs(%xe : {ttype(xl)}) permutation = [0, 2, 1]\n"
                if swap else "  %x1 = tensor.cast %x0 : {0} to {0}\n".format(ttype(xs)))
    from_layer = (f"  %y = tensor.expand_shape %y1 [[0, 1]] output_shape [1, {a.cout}] : {ttype(yl)} into {ttype(ys)}\n"
                  if flat else
                  f"  %ye = tensor.empty() : {ttype(ys)}\n"
                  f"  %y = linalg.transpose ins(%y1 : {ttype(yl)}) outs(%ye : {ttype(ys)}) permutation = [0, 2, 1]\n"
                  if swap else "  %y = tensor.cast %y1 : {0} to {0}\n".format(ttype(ys)))
    src = f"""func.func @layer(%x: {ttype(xd)}) -> {ttype(yd)} {{
{dim}{body}
  return %y : {ttype(yd)}
}}
func.func private @printMemrefF32(memref<*xf32>) attributes {{llvm.emit_c_interface}}
func.func @main() {{
  %x0 = arith.constant dense<{lit(x)}> : {ttype(xs)}
{to_layer}  %x = tensor.cast %x1 : {ttype(xl)} to {ttype(xd)}
  %y0 = call @layer(%x) : ({ttype(xd)}) -> {ttype(yd)}
  %y1 = tensor.cast %y0 : {ttype(yd)} to {ttype(yl)}
{from_layer}  %flat = tensor.collapse_shape %y [[{", ".join(str(i) for i in range(len(ys)))}]] : {ttype(ys)} into {ttype([n])}
  %m = bufferization.to_buffer %flat : {ttype([n])} to memref<{n}xf32>
  %u = memref.cast %m : memref<{n}xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}}
"""
    open(a.path, "w").write(src + resources)


if __name__ == "__main__":
    main()
