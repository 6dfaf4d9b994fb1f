# Tests of hinm.price_stripes (the pricing of the LP bound on 2:4 stripes)
# and of scripts/stripe-bound.py, which drives it: the pricing against a
# brute force in numpy, and the bound against exact optima of small blocks.
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import hinm

ROOT = Path(__file__).resolve().parents[2]


def kept24(x, q):
    s = np.sort(x[:, list(q)].astype(np.float64), axis=1)
    return float((s[:, -1] + s[:, -2]).sum())


def test_pricing_matches_brute_force():
    rng = np.random.default_rng(1)
    x = rng.random((7, 9)).astype(np.float32)
    duals = rng.uniform(-1, 2, 9)
    quads = list(itertools.combinations(range(9), 4))
    expected = sorted(((kept24(x, q) - duals[list(q)].sum(), q)
                       for q in quads), key=lambda t: -t[0])
    cols, costs, err = hinm.price_stripes(x, duals, keep=len(quads) + 3)
    assert cols.shape == (len(quads), 4) and costs.shape == (len(quads),)
    assert err > 0
    for (rc, q), got_q, got_rc in zip(expected, cols.tolist(), costs):
        assert abs(got_rc - rc) <= err
        assert abs(got_rc - (kept24(x, got_q) - duals[got_q].sum())) <= err
    assert list(costs) == sorted(costs, reverse=True)
    top, top_costs, _ = hinm.price_stripes(x, duals, keep=5)
    assert [tuple(q) for q in top.tolist()] == [q for _, q in expected[:5]]


def test_pricing_does_not_depend_on_threads():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, (16, 30)).astype(np.float32)   # many ties
    duals = np.ones(30)
    one = hinm.price_stripes(x, duals, keep=40, threads=1)
    two = hinm.price_stripes(x, duals, keep=40, threads=2)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])


@pytest.mark.parametrize("x, duals, keep, message", [
    (np.ones((2, 5), np.float64), np.zeros(5), 1, "float32"),
    (-np.ones((2, 5), np.float32), np.zeros(5), 1, "non-negative"),
    (np.ones((2, 5), np.float32), np.zeros(4), 1, "one per column"),
    (np.ones((2, 5), np.float32), np.zeros(5), 0, "keep"),
    (np.ones((2, 3), np.float32), np.zeros(3), 1, "cols"),
    (np.ones((2, 5), np.float32), np.zeros((5, 1)), 1, "1-D"),
])
def test_pricing_rejects_bad_arguments(x, duals, keep, message):
    with pytest.raises(ValueError, match=message):
        hinm.price_stripes(x, duals, keep=keep)


def run_script(*args):
    """scripts/stripe-bound.py with this interpreter and package path."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable,
                           str(ROOT / "scripts" / "stripe-bound.py"), *args],
                          capture_output=True, text=True, env=env)


def run_bound(tmp_path, w, *args):
    """(library value, bound) the script prints for the layer w."""
    path = tmp_path / "layer.npy"
    np.save(path, w)
    r = run_script(str(path), *args)
    assert r.returncode == 0, r.stderr
    m = re.search(r"library (\S+), bound (\S+) ", r.stdout)
    assert m, r.stdout
    return float(m.group(1)), float(m.group(2))


def test_bound_covers_the_best_partition_of_the_kept_columns(tmp_path):
    # One block of 16 rows, 16 columns, 8 kept: 35 partitions into 2
    # stripes.
    w = np.random.default_rng(3).standard_normal((16, 16)).astype(np.float32)
    _, info = hinm.prune(w, vector_size=16)
    x = np.abs(w)[np.ix_(np.asarray(info["row_perm"])[:16],
                         np.asarray(info["vector_index"])[0])]
    best = max(kept24(x, q) + kept24(x, tuple(set(range(8)) - set(q)))
               for q in itertools.combinations(range(8), 4) if 0 in q)
    library, bound = run_bound(tmp_path, w, "--vector-size", "16",
                               "--scope", "kept")
    assert library <= best + 1e-4
    assert bound >= best - 1e-6


def test_bound_covers_every_hinm_pruning_of_a_one_block_layer(tmp_path):
    # 16 rows (one block at V=16), 16 columns, any 2 disjoint stripes.
    w = np.random.default_rng(4).standard_normal((16, 16)).astype(np.float32)
    x = np.abs(w)
    quads = list(itertools.combinations(range(16), 4))
    value = np.array([kept24(x, q) for q in quads])
    mask = np.array([sum(1 << c for c in q) for q in quads])
    disjoint = (mask[:, None] & mask[None, :]) == 0
    best = float(np.max(np.where(disjoint, value[:, None] + value[None, :],
                                 -np.inf)))
    library, bound = run_bound(tmp_path, w, "--vector-size", "16",
                               "--scope", "all")
    assert library <= best + 1e-4
    assert bound >= best - 1e-6
    # The LP relaxation of so small a problem is close to its optimum.
    assert bound <= best * 1.05


def test_bound_rejects_a_vector_size_the_format_does_not_allow(tmp_path):
    path = tmp_path / "layer.npy"
    np.save(path, np.ones((16, 16), np.float32))
    r = run_script(str(path), "--vector-size", "8")
    assert r.returncode != 0 and "multiple of 16" in r.stderr


def test_bound_rejects_a_missing_file(tmp_path):
    r = run_script(str(tmp_path / "missing.npy"))
    assert r.returncode != 0 and "cannot read" in r.stderr


def run_dive(tmp_path, w, *args):
    """(library value, bound, dive value) the script prints for w."""
    path = tmp_path / "layer.npy"
    np.save(path, w)
    r = run_script(str(path), "--dive", *args)
    assert r.returncode == 0, r.stderr
    bound = re.search(r"library (\S+), bound (\S+) ", r.stdout)
    dive = re.search(r"^dive (\S+);", r.stdout, re.M)
    assert bound and dive, r.stdout
    return float(bound.group(1)), float(bound.group(2)), float(dive.group(1))


def test_dive_reaches_the_best_partition_of_a_small_block(tmp_path):
    # 16 kept columns in 4 stripes: 2627625 partitions is too many to
    # list here, 12 kept columns (3 stripes, 5775 partitions) is not.
    # Seed 7: a block where the library's IVP stops short of the optimum.
    w = np.random.default_rng(7).standard_normal((16, 24)).astype(np.float32)
    _, info = hinm.prune(w, vector_size=16)
    x = np.abs(w)[np.ix_(np.asarray(info["row_perm"])[:16],
                         np.asarray(info["vector_index"])[0])]
    assert x.shape[1] == 12

    def best(cols):
        if not cols:
            return 0.0
        first, rest = cols[0], cols[1:]
        return max(kept24(x, (first,) + q) +
                   best([c for c in rest if c not in q])
                   for q in itertools.combinations(rest, 3))

    optimum = best(list(range(12)))
    library, bound, dive = run_dive(tmp_path, w, "--vector-size", "16")
    assert library < optimum - 0.1
    assert bound >= optimum - 1e-6
    # The dive's stripes are a real partition, so never above the optimum;
    # on so small a block it finds it.
    assert optimum - 1e-4 <= dive <= optimum + 1e-4


def test_dive_in_the_all_scope_stays_between_library_and_bound(tmp_path):
    w = np.random.default_rng(6).standard_normal((16, 32)).astype(np.float32)
    library, bound, dive = run_dive(tmp_path, w, "--vector-size", "16",
                                    "--scope", "all")
    assert library - 1e-4 <= dive <= bound + 1e-6
