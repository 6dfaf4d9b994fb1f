#!/usr/bin/env python3
"""Checks the main job's convolution example independently of the compiler.

Reads the original filters of examples/esrgan_convs.mlir, decodes the two
storages that `hinm-opt --hinm-sparsify` produced (check_layer_example's
decoder, which checks that each is a valid HiNM pruning of its filter's
[F, C*9] im2col view), and compares the printMemrefF32 output of the CPU
run with numpy: the zero-padded 3x3 patches of the activations, the first
pruned filter, the f16 cast, the patches again, the second pruned filter,
ReLU. Exit 1 on any mismatch.

  check_convs_example.py examples/esrgan_convs.mlir sparse.mlir run.out
"""
import re
import sys

import numpy as np

from check_layer_example import ASSEMBLE, constants, decode, fail, printed


def patches(a):
    """(C, H, W) -> (C*9, H*W): zero-padded 3x3 patches, rows in (c, kh, kw)
    order, the im2col view hinm-sparsify gives a convolution."""
    c, h, w = a.shape
    img = np.pad(a, ((0, 0), (1, 1), (1, 1)))
    out = np.empty((c, 3, 3, h, w), a.dtype)
    for kh in range(3):
        for kw in range(3):
            out[:, kh, kw] = img[:, kh:kh + h, kw:kw + w]
    return out.reshape(c * 9, h * w)


def main():
    src, sparse, run = (open(p).read() for p in sys.argv[1:4])
    c = constants(src)
    filters = [c[n].astype(np.float64) for n in ("%w1", "%w2")]
    views = [f.reshape(f.shape[0], -1) for f in filters]
    found = list(re.finditer(ASSEMBLE, sparse))
    if len(found) != 2:
        fail(f"{len(found)} hinm.assemble in the sparsified module, expected 2")
    sc = constants(sparse)
    pruned = []
    for i, (m, w) in enumerate(zip(found, views)):
        p, (R, C, V, K, N, M) = decode(m, sc, w)
        importance = np.abs(w)
        print(f"conv {i + 1}: filter {R}x{C} (im2col view), V={V}, kept {K} of {C} columns per block, "
              f"{N}:{M}: kept importance {importance[p != 0].sum() / importance.sum():.1%} of |W|")
        pruned.append(p)
    ch, hw = filters[0].shape[1], int(re.search(r"tensor<1x\d+x(\d+)x\d+xf16>", src).group(1))
    ci, i, j = np.meshgrid(np.arange(ch), np.arange(hw), np.arange(hw), indexing="ij")
    x = (((5 * ci + 3 * i + 7 * j) % 13) - 6) / 8.0
    y1 = pruned[0] @ patches(x)
    h = y1.astype(np.float16).astype(np.float64)
    x2 = patches(h.reshape(-1, hw, hw))
    ref = np.maximum(pruned[1] @ x2, 0.0)
    # The CPU run accumulates in f32 and may round y1 to the other f16
    # neighbour: half an f16 ulp of y1, carried through the second filter.
    tol = np.abs(pruned[1]) @ patches((2.0 ** -11 * np.abs(y1) + 1e-6).reshape(-1, hw, hw))
    tol += 1e-4 * (np.abs(pruned[1]) @ np.abs(x2)) + 1e-5
    got = printed(run)
    if got.size != ref.size:
        fail(f"{got.size} values printed, expected {ref.size}")
    err = np.abs(got - ref.reshape(-1))
    print(f"CPU run vs numpy (patches, pruned filters, f16 cast, ReLU): max abs error {err.max():.3g} "
          f"(max |y| {np.abs(ref).max():.3g}, {np.mean(ref == 0):.0%} zero after ReLU)")
    if not np.isfinite(got).all() or (err > tol.reshape(-1)).any():
        fail(f"{int((err > tol.reshape(-1)).sum())} values above tolerance")
    print("check: PASS")


if __name__ == "__main__":
    main()
