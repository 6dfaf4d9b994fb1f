#!/usr/bin/env python3
"""Compares a printMemrefF32 printout (stdin or --actual) with a reference file
written by gen_case.py. Prints the element count and the max absolute and
relative errors; exits 1 when an element is outside atol + rtol * |ref|, when
the shape differs, or when the printout holds NaN/Inf.

  mlir-runner ... | compare.py --ref %t.ref --rtol 1e-4 --atol 1e-4
"""
import argparse
import re
import sys

import numpy as np

NUM = re.compile(r"[-+]?(?:nan|inf|\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)")


def read_printout(text):
    """Shape and values of the first printMemref block in `text`."""
    head = re.search(r"sizes = \[([^\]]*)\].*?data =", text, re.S)
    if not head:
        sys.exit("compare.py: no printMemref output found")
    shape = tuple(int(s) for s in head.group(1).split(",") if s.strip())
    body = text[head.end():]
    vals = [float(t) for t in NUM.findall(body)[: int(np.prod(shape))]]
    return shape, np.array(vals, dtype=np.float64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", required=True)
    ap.add_argument("--actual", help="printout file (default: stdin)")
    ap.add_argument("--rtol", type=float, default=1e-4)
    ap.add_argument("--atol", type=float, default=1e-4)
    a = ap.parse_args()
    text = open(a.actual).read() if a.actual else sys.stdin.read()
    shape, got = read_printout(text)
    with open(a.ref) as f:
        ref_shape = tuple(int(s) for s in f.readline().split())
        ref = np.loadtxt(f, dtype=np.float64, ndmin=2).reshape(-1)
    if shape != ref_shape or got.size != ref.size:
        print("compare: FAIL shape %s (%d values) vs reference %s"
              % (shape, got.size, ref_shape))
        return 1
    if not np.all(np.isfinite(got)):
        print("compare: FAIL non-finite values in the output")
        return 1
    err = np.abs(got - ref)
    rel = err / np.maximum(np.abs(ref), 1e-6)
    bad = err > a.atol + a.rtol * np.abs(ref)
    print("compare: %d values, max |ref| %.4g, max abs err %.3g, max rel err %.3g"
          % (ref.size, np.abs(ref).max(), err.max(), rel[np.abs(ref) > a.atol].max()
             if np.any(np.abs(ref) > a.atol) else 0.0))
    if np.any(bad):
        i = int(np.argmax(bad))
        print("compare: FAIL %d values out of tolerance; first at flat index %d: "
              "got %.8g, expected %.8g" % (int(bad.sum()), i, got[i], ref[i]))
        return 1
    print("compare: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
