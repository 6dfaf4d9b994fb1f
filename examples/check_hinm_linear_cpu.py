#!/usr/bin/env python3
"""Checks the CPU run of examples/hinm_linear_cpu.mlir against numpy.

Reads the constants of the example (%dense, %perm, %index, %mask, %x), prunes
the dense weights under that decision, multiplies with numpy in float64, and
compares with the printMemrefF32 output of the run. Prints the max absolute
and relative error; exits 1 if the error exceeds 1e-4 (printing keeps six
significant digits) or the output is missing.

  check_hinm_linear_cpu.py examples/hinm_linear_cpu.mlir run.out
"""
import json
import re
import sys

import numpy as np


def constant(text, name):
    m = re.search(r"%%%s = arith.constant dense<(.*?)> : tensor<([0-9x]+)x(\w+)>"
                  % name, text)
    if not m:
        sys.exit("check: constant %%%s not found" % name)
    shape = [int(d) for d in m.group(2).split("x")]
    return np.array(json.loads(m.group(1)), dtype=np.float64).reshape(shape)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src = open(sys.argv[1]).read()
    out = open(sys.argv[2]).read()
    w, perm, index = constant(src, "dense"), constant(src, "perm"), constant(src, "index")
    mask, x = constant(src, "mask"), constant(src, "x")
    fmt = re.search(r"vector_size = (\d+)", src)
    V = int(fmt.group(1))
    rows = w.shape[0]
    pruned = np.zeros_like(w)
    for p, r in enumerate(perm.astype(int)):
        if r < rows:
            cols = index[p // V][mask[p] != 0].astype(int)
            pruned[r, cols] = w[r, cols]
    ref = pruned @ x
    m = re.search(r"sizes = \[([^\]]*)\].*?data =(.*)", out, re.S)
    if not m:
        sys.exit("check: no printMemrefF32 output in %s" % sys.argv[2])
    got = np.array([float(t) for t in re.findall(r"[-+]?[0-9.]+(?:e[-+]?\d+)?|nan|inf", m.group(2))])
    if got.size != ref.size:
        sys.exit("check: %d values printed, expected %d" % (got.size, ref.size))
    err = np.abs(got - ref.reshape(-1))
    kept = np.count_nonzero(pruned)
    print("hinm CPU run: %dx%d weights, %d kept (%.1f%% sparsity), result %s"
          % (w.shape[0], w.shape[1], kept, 100.0 * (1 - kept / w.size), ref.shape))
    print("max abs error vs numpy dense pruned product: %.3g (max |y| %.3g, "
          "max rel error %.3g)" % (err.max(), np.abs(ref).max(),
                                   (err / np.maximum(np.abs(ref.reshape(-1)), 1e-3)).max()))
    if not np.all(np.isfinite(got)) or err.max() > 1e-4 * max(1.0, np.abs(ref).max()):
        print("check: FAIL")
        return 1
    print("check: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
