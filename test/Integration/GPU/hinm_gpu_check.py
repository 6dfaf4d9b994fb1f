#!/usr/bin/env python3
"""GPU correctness check of hinm.matmul against a numpy reference.

Generates a random HiNM matrix in the storage format of
include/hinm/Algorithm/Format.h (values, vector index, 2:4 metadata words,
row permutation with padding rows) and random activations, writes a program
whose @main multiplies them with hinm.matmul and prints the result, compiles
it with --hinm-gpu-pipeline, runs it with mlir-runner on our CUDA runtime and
compares EVERY output element with the product of the pruned dense matrix.

Prints "PASS: ..." and exits 0, or prints the first mismatches and exits 1.
--compile-only stops after compiling (no GPU needed).
"""
import argparse
import re
import subprocess
import sys

import numpy as np


def make_storage(rng, rows, cols, v, kept, identity):
    padded = -(-rows // v) * v
    blocks = padded // v
    perm = rng.permutation(padded).astype(np.int32)
    if identity:
        index = np.tile(np.arange(kept, dtype=np.int32), (blocks, 1))
    else:
        index = np.stack([rng.permutation(cols)[:kept] for _ in range(blocks)])
        index = index.astype(np.int32)
    groups = kept // 4
    # Two ascending positions in each group of four kept columns.
    choice = np.array([(a, b) for a in range(4) for b in range(a + 1, 4)])
    pos = choice[rng.integers(0, len(choice), size=(padded, groups))]
    pos = pos.reshape(padded, kept // 2)  # index of stored element j
    words = np.zeros((padded, kept // 32), dtype=np.uint32)
    for j in range(kept // 2):
        words[:, j // 16] |= pos[:, j].astype(np.uint32) << np.uint32(2 * (j % 16))
    values = rng.uniform(-1, 1, size=(padded, kept // 2)).astype(np.float16)
    values[perm >= rows] = 0  # padding rows hold zeros
    return values, index, words.view(np.int32), perm, pos


def dense_weight(values, index, pos, perm, rows, cols, v):
    w = np.zeros((rows, cols), dtype=np.float64)
    padded, stored = values.shape
    j = np.arange(stored)
    for p in range(padded):
        r = perm[p]
        if r >= rows:
            continue
        compacted = 4 * (j // 2) + pos[p]
        w[r, index[p // v, compacted]] = values[p].astype(np.float64)
    return w


def hexdata(a):
    return '"0x' + np.ascontiguousarray(a).tobytes().hex().upper() + '"'


def program(args, values, index, words, perm, x):
    rows, cols, n, v, kept = args.rows, args.cols, args.n, args.v, args.kept
    padded = values.shape[0]
    acc = args.acc
    mat = (f"!hinm.matrix<{rows}x{cols}xf16, #hinm.format<vector_size = {v}, "
           f"kept = {kept}, n = 2, m = 4>>")
    tv = f"tensor<{padded}x{kept // 2}xf16>"
    ti = f"tensor<{padded // v}x{kept}xi32>"
    tm = f"tensor<{padded}x{kept // 32}xi32>"
    tp = f"tensor<{padded}xi32>"
    tx = f"tensor<{cols}x{n}xf16>"
    ty = f"tensor<{rows}x{n}x{acc}>"
    consts = f"""
  %v = arith.constant dense<{hexdata(values)}> : {tv}
  %i = arith.constant dense<{hexdata(index)}> : {ti}
  %m = arith.constant dense<{hexdata(words)}> : {tm}
  %p = arith.constant dense<{hexdata(perm)}> : {tp}
  %x = arith.constant dense<{hexdata(x)}> : {tx}"""
    if args.weights == "runtime":
        # The storage parts reach @matmul as run-time arguments.
        kernel = f"""
func.func @matmul(%v: {tv}, %i: {ti}, %m: {tm}, %p: {tp}, %x: {tx}) -> {ty} {{
  %w = hinm.assemble %v, %i, %m, %p : {mat}
  %y = hinm.matmul %w, %x : {mat}, {tx} -> {ty}
  return %y : {ty}
}}"""
        body = f"""{consts}
  %y = call @matmul(%v, %i, %m, %p, %x) : ({tv}, {ti}, {tm}, {tp}, {tx}) -> {ty}"""
    else:
        kernel = ""
        body = f"""{consts}
  %w = hinm.assemble %v, %i, %m, %p : {mat}
  %y = hinm.matmul %w, %x : {mat}, {tx} -> {ty}"""
    pname = "printMemrefF32" if acc == "f32" else "printMemrefF16"
    return f"""{kernel}
func.func @main() {{{body}
  %b = bufferization.to_buffer %y : {ty} to memref<{rows}x{n}x{acc}>
  %u = memref.cast %b : memref<{rows}x{n}x{acc}> to memref<*x{acc}>
  call @{pname}(%u) : (memref<*x{acc}>) -> ()
  return
}}
func.func private @{pname}(memref<*x{acc}>) attributes {{llvm.emit_c_interface}}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--cols", type=int, required=True, help="K")
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--v", type=int, required=True, help="vector size")
    ap.add_argument("--vector-sparsity", type=float, default=0.5)
    ap.add_argument("--identity", action="store_true",
                    help="plain 2:4: kept == cols, identity vector index")
    ap.add_argument("--acc", choices=["f32", "f16"], default="f32")
    ap.add_argument("--weights", choices=["const", "runtime"], default="const")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pipeline-options", default="")
    ap.add_argument("--chip", default="sm_80")
    ap.add_argument("--hinm-opt", default="hinm-opt")
    ap.add_argument("--mlir-runner", default="mlir-runner")
    ap.add_argument("--shared-libs", default="")
    ap.add_argument("--keep", help="write the program here")
    ap.add_argument("--compile-only", action="store_true")
    args = ap.parse_args()

    if args.identity:
        args.kept = args.cols
    else:
        kept = int((1.0 - args.vector_sparsity) * args.cols + 1e-9)
        args.kept = max(32, kept - kept % 32)
    rng = np.random.default_rng(args.seed)
    values, index, words, perm, pos = make_storage(
        rng, args.rows, args.cols, args.v, args.kept, args.identity)
    x = rng.uniform(-1, 1, size=(args.cols, args.n)).astype(np.float16)
    src = program(args, values, index, words, perm, x)
    if args.keep:
        open(args.keep, "w").write(src)

    fmt = "isa" if args.compile_only else "fatbin"
    pipeline = (f"--hinm-gpu-pipeline=chip={args.chip} features=+ptx80 "
                f"format={fmt} {args.pipeline_options}").strip()
    compiled = subprocess.run([args.hinm_opt, "-", pipeline], input=src,
                              capture_output=True, text=True)
    if compiled.returncode != 0:
        print("error: hinm-opt failed:\n" + compiled.stderr)
        return 1
    desc = (f"{args.rows}x{args.cols} * {args.cols}x{args.n}, V={args.v}, "
            f"kept={args.kept}, acc={args.acc}, weights={args.weights}")
    if args.compile_only:
        if "gpu.binary" not in compiled.stdout or "llvm.func @main" not in compiled.stdout:
            print("error: no gpu.binary or host main in the output")
            return 1
        print(f"COMPILED: {desc}")
        return 0

    run = subprocess.run([args.mlir_runner, "-e", "main",
                          "--entry-point-result=void",
                          f"--shared-libs={args.shared_libs}"],
                         input=compiled.stdout, capture_output=True, text=True)
    if run.returncode != 0:
        print("error: mlir-runner failed:\n" + run.stderr[-4000:])
        return 1
    if "hinm_cuda_runtime:" in run.stderr:
        print("error: CUDA runtime errors:\n" + run.stderr[-4000:])
        return 1
    data = run.stdout.split("data =", 1)
    if len(data) != 2:
        print("error: no memref printed:\n" + run.stdout[-2000:])
        return 1
    nums = re.findall(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:e[-+]?\d+)?)", data[1])
    got = np.array([float(t) for t in nums], dtype=np.float64)
    if got.size != args.rows * args.n:
        print(f"error: {got.size} values printed, {args.rows * args.n} expected")
        return 1
    got = got.reshape(args.rows, args.n)

    w = dense_weight(values, index, pos, perm, args.rows, args.cols, args.v)
    xd = x.astype(np.float64)
    want = w @ xd
    scale = np.abs(w) @ np.abs(xd)
    if args.acc == "f32":
        tol = 1e-3 * scale + 1e-3
    else:  # f16 accumulation: one rounding per mma.sp step at most
        tol = (args.kept / 32 + 2) * 2.0 ** -10 * scale + 1e-2
    bad = ~(np.abs(got - want) <= tol)  # NaN counts as bad
    if bad.any():
        rr, cc = np.nonzero(bad)
        print(f"FAIL: {desc}: {bad.sum()} of {bad.size} elements differ")
        for r, c in list(zip(rr, cc))[:10]:
            print(f"  [{r}, {c}] got {got[r, c]} want {want[r, c]} tol {tol[r, c]}")
        return 1
    moved = int(np.sum(perm[:args.rows] != np.arange(args.rows)))
    print(f"PASS: {desc}: all {bad.size} elements match "
          f"({moved} rows moved by the permutation)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
