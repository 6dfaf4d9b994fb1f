"""Writes the .npy inputs of the hinm-prune lit tests into a directory.

good_a.npy / good_b.npy: float32 [64, 48] and [40, 16] random matrices;
int32.npy: wrong dtype; cube.npy: 3-D; truncated.npy: data cut short;
narrow.npy: 2 columns (< M); nan.npy: a NaN at [3, 5]; not_npy.npy: not a .npy file at all.
With --manifest, also writes manifest.json listing good_b before good_a
and a missing file.
"""
import json
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
np.save(os.path.join(out, "good_a.npy"),
        rng.standard_normal((64, 48)).astype(np.float32))
np.save(os.path.join(out, "good_b.npy"),
        rng.standard_normal((40, 16)).astype(np.float32))
if "--good-only" not in sys.argv:
    np.save(os.path.join(out, "int32.npy"),
            np.arange(64, dtype=np.int32).reshape(8, 8))
    np.save(os.path.join(out, "cube.npy"), np.zeros((2, 4, 4), np.float32))
    np.save(os.path.join(out, "narrow.npy"), np.ones((32, 2), np.float32))
    bad = np.ones((16, 8), np.float32)
    bad[3, 5] = np.nan
    np.save(os.path.join(out, "nan.npy"), bad)
    path = os.path.join(out, "truncated.npy")
    np.save(path, np.ones((16, 16), np.float32))
    with open(path, "rb+") as f:
        f.truncate(os.path.getsize(path) - 100)
    with open(os.path.join(out, "not_npy.npy"), "wb") as f:
        f.write(b"hello world")
if "--manifest" in sys.argv:
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"layers": [{"file": "good_b.npy"}, {"file": "good_a.npy"},
                              {"file": "missing.npy"}]}, f)
