"""Writes a batch product with a different constant weight in every batch,
for sparsify-batch-weights.test:

  gen_batch_weights.py --batch B --rows M --in K --out N --seed S
                       --side rhs|lhs --form batch|split OUT

  --side rhs: Y[b] = X[b] W[b] + bias, X [B, M, K], W [B, K, N], the bias
              broadcast into a [B, M, N] accumulator;
  --side lhs: Y[b] = W[b] X[b], W [B, N, K], X [B, K, M], a zero
              accumulator.
  --form batch: one linalg.batch_matmul on the 3-D weight constant (the form
              hinm-sparsify splits into per-batch products);
  --form split: the reference, written here rather than by the pass: B
              linalg.matmul ops, each on its own 2-D weight constant and on
              the batch of X that tensor.extract_slice takes, their results
              put into the accumulator by tensor.insert_slice.

@main prints Y flattened with printMemrefF32, so both forms of one seed must
print the same numbers after hinm-sparsify (each weight is pruned on its
own, with the same options).
"""
import argparse

import numpy as np


def lit(a):
    # 9 significant digits: float32 values survive the text exactly.
    if a.ndim == 1:
        return "[" + ", ".join("%.8e" % v for v in a) + "]"
    return "[" + ", ".join(lit(r) for r in a) + "]"


def ttype(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--in", dest="cin", type=int, required=True)
    ap.add_argument("--out", dest="cout", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--side", choices=["rhs", "lhs"], required=True)
    ap.add_argument("--form", choices=["batch", "split"], required=True)
    ap.add_argument("path")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    B, M, K, N = a.batch, a.rows, a.cin, a.cout
    rhs = a.side == "rhs"
    w = rng.standard_normal((B, K, N) if rhs else (B, N, K)).astype(np.float32)
    x = rng.standard_normal((B, M, K) if rhs else (B, K, M)).astype(np.float32)
    bias = rng.standard_normal(N).astype(np.float32)
    ys = [B, M, N] if rhs else [B, N, M]
    y2 = ys[1:]
    x2 = list(x.shape[1:])
    w2 = list(w.shape[1:])

    if rhs:
        acc = (f"  %bias = arith.constant dense<{lit(bias)}> : {ttype([N])}\n"
               f"  %e = tensor.empty() : {ttype(ys)}\n"
               f"  %acc = linalg.broadcast ins(%bias : {ttype([N])}) outs(%e : {ttype(ys)}) dimensions = [0, 1]\n")
    else:
        acc = ("  %zero = arith.constant 0.0 : f32\n"
               f"  %e = tensor.empty() : {ttype(ys)}\n"
               f"  %acc = linalg.fill ins(%zero : f32) outs(%e : {ttype(ys)}) -> {ttype(ys)}\n")

    def operands(xv, wv):
        return (xv, wv) if rhs else (wv, xv)

    if a.form == "batch":
        l, r = operands("%x", "%w")
        lt, rt = operands(ttype(x.shape), ttype(w.shape))
        body = (f"  %w = arith.constant dense<{lit(w)}> : {ttype(w.shape)}\n" + acc +
                f"  %y = linalg.batch_matmul ins({l}, {r} : {lt}, {rt}) outs(%acc : {ttype(ys)}) -> {ttype(ys)}\n")
        result = "%y"
    else:
        body = acc
        prev = "%acc"
        for b in range(B):
            l, r = operands(f"%x{b}", f"%w{b}")
            lt, rt = operands(ttype(x2), ttype(w2))
            body += (f"  %w{b} = arith.constant dense<{lit(w[b])}> : {ttype(w2)}\n"
                     f"  %x{b} = tensor.extract_slice %x[{b}, 0, 0] [1, {x2[0]}, {x2[1]}] [1, 1, 1] : {ttype(x.shape)} to {ttype(x2)}\n"
                     f"  %c{b} = tensor.extract_slice %acc[{b}, 0, 0] [1, {y2[0]}, {y2[1]}] [1, 1, 1] : {ttype(ys)} to {ttype(y2)}\n"
                     f"  %p{b} = linalg.matmul ins({l}, {r} : {lt}, {rt}) outs(%c{b} : {ttype(y2)}) -> {ttype(y2)}\n"
                     f"  %y{b} = tensor.insert_slice %p{b} into {prev}[{b}, 0, 0] [1, {y2[0]}, {y2[1]}] [1, 1, 1] : {ttype(y2)} into {ttype(ys)}\n")
            prev = f"%y{b}"
        result = prev
    n = int(np.prod(ys))
    src = f"""func.func @layer(%x: {ttype(x.shape)}) -> {ttype(ys)} {{
{body}  return {result} : {ttype(ys)}
}}
func.func private @printMemrefF32(memref<*xf32>) attributes {{llvm.emit_c_interface}}
func.func @main() {{
  %x = arith.constant dense<{lit(x)}> : {ttype(x.shape)}
  %y = call @layer(%x) : ({ttype(x.shape)}) -> {ttype(ys)}
  %flat = tensor.collapse_shape %y [[0, 1, 2]] : {ttype(ys)} into {ttype([n])}
  %m = bufferization.to_buffer %flat : {ttype([n])} to memref<{n}xf32>
  %u = memref.cast %m : memref<{n}xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}}
"""
    open(a.path, "w").write(src)


if __name__ == "__main__":
    main()
