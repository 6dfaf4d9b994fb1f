"""Helpers for sparsify-matches-prune.test.

  compare_sparsify_prune.py npy LAYER.mlir OUT.npy
      writes the `%w` constant of LAYER.mlir as a float32 .npy (the values
      hinm-sparsify prunes), so hinm-prune sees the same matrix;
  compare_sparsify_prune.py check REMARK JSON REMARK JSON [REMARK JSON ...]
      checks that the 2cp kept importance hinm-sparsify reports equals the
      one hinm-prune writes, for every option set, and that every option set
      after the first gives a different result from the first (the options
      reached the library).
"""
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "examples"))


def remark_kept(path):
    text = open(path).read()
    m = re.search(r"permute=2cp: kept importance ([0-9.]+) of", text)
    if not m:
        sys.exit(f"no hinm-sparsify report in {path}")
    return float(m.group(1))


def json_kept(path):
    layers = json.load(open(path))["layers"]
    if len(layers) != 1:
        sys.exit(f"{path}: expected one layer, got {len(layers)}")
    return layers[0]["kept"]["2cp"]


def main():
    if sys.argv[1] == "npy":
        from check_layer_example import constants
        w = constants(open(sys.argv[2]).read())["%w"].astype(np.float32)
        os.makedirs(os.path.dirname(sys.argv[3]), exist_ok=True)
        np.save(sys.argv[3], w)
        return
    pairs = sys.argv[2:]
    if len(pairs) < 4 or len(pairs) % 2:
        sys.exit("check needs REMARK JSON pairs, at least two")
    kept = []
    for remark, js in zip(pairs[0::2], pairs[1::2]):
        a, b = remark_kept(remark), json_kept(js)
        if abs(a - b) > 5.1e-5:  # the remark rounds to 4 decimals
            sys.exit(f"hinm-sparsify kept {a} but hinm-prune kept {b} ({remark}, {js})")
        kept.append(b)
    for remark, k in zip(pairs[2::2], kept[1:]):
        if k == kept[0]:
            sys.exit(f"{remark} kept {k}, as the first option set: the options "
                     "did not reach the search")
    print("agree: " + ", ".join(f"{k:.4f}" for k in kept))


main()
