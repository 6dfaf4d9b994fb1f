#!/usr/bin/env python3
"""Checks the main job's result independently of the compiler.

Reads the original weights W from examples/ppocr_layer.mlir and the storage
that `hinm-opt --hinm-sparsify` produced (the four constants of the
hinm.assemble), decodes the storage with its own numpy implementation of
docs/format.md, checks that it is a valid HiNM pruning OF W (every stored
value equals W at the position the index/metadata/permutation name; the
format's counts hold), then compares the printMemrefF32 output of the CPU run
with numpy's float64 product of the pruned W. Exit 1 on any mismatch.

  check_layer_example.py examples/ppocr_layer.mlir sparse.mlir run.out
"""
import json
import re
import sys

import numpy as np

DTYPES = {"f16": np.float16, "f32": np.float32, "i32": np.int32, "bf16": None}


def constants(text):
    """All `%name = arith.constant dense<...> : tensor<AxBxT>` of a module."""
    out = {}
    for m in re.finditer(r'(%[\w.]+) = arith.constant dense<(.*?)> : tensor<([0-9x]+)x(\w+)>', text):
        name, body, shape, elt = m.groups()
        shape = [int(d) for d in shape.split("x")]
        if body.startswith('"0x'):
            a = np.frombuffer(bytes.fromhex(body[3:-1]), dtype=DTYPES[elt])
        else:
            a = np.array(json.loads(body), dtype=DTYPES[elt])
        out[name] = a.reshape(shape) if a.size == np.prod(shape) else np.broadcast_to(a, shape)
    return out


def fail(msg):
    print("check: FAIL:", msg)
    sys.exit(1)


ASSEMBLE = (r"hinm.assemble (%[\w.]+), (%[\w.]+), (%[\w.]+), (%[\w.]+) : !hinm.matrix<(\d+)x(\d+)x\w+, "
            r"#hinm.format<vector_size = (\d+), kept = (\d+), n = (\d+), m = (\d+)>>")


def decode(m, c, w):
    """Decodes the storage of hinm.assemble match `m` (ASSEMBLE; its
    constants in `c`) with this file's own reading of docs/format.md, checks
    that it is a valid HiNM pruning of the dense weights `w` (every stored
    value equals w at the position the index, metadata and permutation name;
    the format's counts hold), and returns the pruned dense matrix and
    (rows, cols, V, kept, N, M)."""
    rows, cols = w.shape
    values, vidx, meta, perm = (c[n] for n in m.groups()[:4])
    R, C, V, K, N, M = (int(g) for g in m.groups()[4:])
    if (R, C) != (rows, cols):
        fail(f"matrix shape {R}x{C} differs from W {rows}x{cols}")
    P, S = -(-R // V) * V, K // M * N
    bits = max(1, int(np.ceil(np.log2(M))))
    per_word = 32 // bits
    if values.shape != (P, S) or vidx.shape != (P // V, K) or perm.shape != (P,):
        fail("storage shapes do not match the format")
    if sorted(perm.tolist()) != list(range(P)):
        fail("row permutation is not a permutation")
    pruned = np.zeros_like(w)
    words = meta.view(np.uint32)
    for p in range(P):
        r, block = int(perm[p]), vidx[p // V]
        if len(set(block.tolist())) != K or block.min() < 0 or block.max() >= C:
            fail(f"vector index of block {p // V} is not {K} distinct columns")
        fields = [(int(words[p, j // per_word]) >> (bits * (j % per_word))) & ((1 << bits) - 1) for j in range(S)]
        for j in range(S):
            if j % N and fields[j] <= fields[j - 1]:
                fail(f"metadata of row {p} not ascending in group {j // N}")
            col = int(block[(j // N) * M + fields[j]])
            v = float(values[p, j])
            if r >= R:
                if v != 0.0:
                    fail(f"padding row {p} holds a non-zero value")
                continue
            if v != float(np.float16(w[r, col])):
                fail(f"stored value {v} at row {p}, element {j} is not W[{r}, {col}] = {w[r, col]}")
            pruned[r, col] = v
    return pruned, (R, C, V, K, N, M)


def printed(run):
    """The values of a printMemrefF32 output."""
    mm = re.search(r"sizes = \[([^\]]*)\].*?data =(.*)", run, re.S)
    if not mm:
        fail("no printMemrefF32 output")
    return np.array([float(t) for t in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|nan|inf", mm.group(2))])


def main():
    src, sparse, run = (open(p).read() for p in sys.argv[1:4])
    w = constants(src)["%w"].astype(np.float64)
    rows, cols = w.shape
    m = re.search(ASSEMBLE, sparse)
    if not m:
        fail("no hinm.assemble in the sparsified module")
    pruned, (R, C, V, K, N, M) = decode(m, constants(sparse), w)
    S = K // M * N
    kept = np.count_nonzero(pruned)
    batch = int(re.search(r"tensor<\d+x(\d+)xf16>", src).group(1))
    k, j = np.meshgrid(np.arange(cols), np.arange(batch), indexing="ij")
    x = (((7 * k + 3 * j) % 17) - 8) / 8.0
    ref = pruned @ x
    got = printed(run)
    if got.size != ref.size:
        fail(f"{got.size} values printed, expected {ref.size}")
    err = np.abs(got - ref.reshape(-1))
    importance = np.abs(w)
    print(f"weights {R}x{C}, V={V}, kept {K} of {C} columns per block, {N}:{M}: "
          f"{R * S} stored values, {100.0 * (1 - R * S / (R * C)):.1f}% sparsity "
          f"({kept} non-zero), kept importance {importance[pruned != 0].sum() / importance.sum():.1%} of |W|")
    print(f"CPU run vs numpy product of the pruned weights: max abs error {err.max():.3g} "
          f"(max |y| {np.abs(ref).max():.3g})")
    if not np.isfinite(got).all() or err.max() > 1e-3 * max(1.0, np.abs(ref).max()):
        fail("error above tolerance")
    print("check: PASS")


if __name__ == "__main__":
    main()
