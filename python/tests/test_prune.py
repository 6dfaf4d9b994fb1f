# Tests of the pruning bindings (hinm.prune, hinm.efficacy, hinm.format_for
# over include/hinm/Algorithm/Prune.h): the returned masks satisfy the HiNM
# format, the storage matches them, results are deterministic, bad input
# raises ValueError, and 2CP helps on a real layer.
import os
from pathlib import Path

import numpy as np
import pytest

import hinm


def random_weights(rows, cols, seed=0):
    return np.random.default_rng(seed).standard_normal((rows, cols)).astype(
        np.float32)


def check_format(info, rows, cols):
    """The dense mask of `info` has the HiNM structure, checked from the
    selection independently of the library: per storage block only the
    `kept` vector_index columns hold kept weights, and every group of m
    compacted columns keeps exactly n per real row."""
    fmt = info["format"]
    mask, row_perm = info["mask"], info["row_perm"]
    vidx, nm = info["vector_index"], info["nm_mask"]
    assert mask.shape == (rows, cols) and mask.dtype == bool
    pr = fmt.padded_rows(rows)
    assert sorted(row_perm.tolist()) == list(range(pr))
    assert nm.shape == (pr, fmt.kept)
    groups = nm.reshape(pr, fmt.kept // fmt.m, fmt.m).sum(axis=2)
    assert (groups == fmt.n).all()
    for b in range(fmt.num_blocks(rows)):
        block_rows = [r for r in row_perm[b * fmt.vector_size:
                                          (b + 1) * fmt.vector_size] if r < rows]
        assert len(set(vidx[b].tolist())) == fmt.kept
        outside = np.ones(cols, dtype=bool)
        outside[vidx[b]] = False
        assert not mask[block_rows][:, outside].any()
    # n of every m kept columns per row: kept count per row is kept*n/m.
    assert (mask.sum(axis=1) == fmt.kept // fmt.m * fmt.n).all()


@pytest.mark.parametrize("permute", ["none", "ocp", "ivp", "2cp"])
@pytest.mark.parametrize("shape,opts", [
    ((64, 64), dict(vector_size=32)),
    ((40, 48), dict(vector_size=16, vector_sparsity=0.25)),
    ((32, 64), dict(vector_size=16, n=1, m=4)),
    ((10, 64), dict(vector_size=16)),          # one padded block
])
def test_masks_satisfy_format(permute, shape, opts):
    rows, cols = shape
    w = random_weights(rows, cols, seed=rows + cols)
    storage, info = hinm.prune(w, permute=permute, **opts)
    assert info["permute"] == permute
    fmt = info["format"]
    assert fmt.vector_size == opts["vector_size"]
    assert fmt.kept == hinm.kept_for_vector_sparsity(
        cols, opts.get("vector_sparsity", 0.5), fmt.m)
    check_format(info, rows, cols)
    # The storage is the weights under the mask, and the selection packs to
    # the same storage.
    np.testing.assert_array_equal(hinm.unpack(storage), w * info["mask"])
    again = hinm.pack(w, fmt, info["row_perm"], info["vector_index"],
                      info["nm_mask"])
    np.testing.assert_array_equal(again.values, storage.values)
    np.testing.assert_array_equal(again.metadata, storage.metadata)
    # Importance bookkeeping: |w| kept under the mask.
    assert info["kept_importance"] == pytest.approx(
        float(np.abs(w[info["mask"]]).sum()), rel=1e-5)
    assert info["total_importance"] == pytest.approx(
        float(np.abs(w).sum()), rel=1e-5)


def test_format_for_matches_prune():
    fmt = hinm.format_for(100, 96, vector_size=16, vector_sparsity=0.5)
    assert (fmt.vector_size, fmt.kept, fmt.n, fmt.m) == (16, 48, 2, 4)
    _, info = hinm.prune(random_weights(100, 96), vector_size=16)
    assert info["format"] == fmt
    with pytest.raises(ValueError, match="fewer than M = 4"):
        hinm.format_for(32, 3)


def test_same_seed_same_result_and_threads_do_not_matter():
    w = random_weights(96, 128, seed=5)
    _, a = hinm.prune(w, vector_size=16, seed=3, threads=1)
    _, b = hinm.prune(w, vector_size=16, seed=3, threads=1)
    _, c = hinm.prune(w, vector_size=16, seed=3, threads=2)
    for key in ("row_perm", "vector_index", "nm_mask", "mask"):
        np.testing.assert_array_equal(a[key], b[key])
        np.testing.assert_array_equal(a[key], c[key])
    assert a["kept_importance"] == c["kept_importance"]


def test_importance_argument_drives_selection():
    w = random_weights(32, 32, seed=1)
    # Importance that makes columns 0..15 dominant: vector pruning (kept = 16
    # of 32) must keep exactly them, whatever |w| says.
    imp = np.abs(w)
    imp[:, :16] *= 100.0
    _, info = hinm.prune(w, vector_size=32, permute="none", importance=imp)
    assert sorted(info["vector_index"][0].tolist()) == list(range(16))
    assert info["kept_importance"] == pytest.approx(
        float(imp[info["mask"]].sum()), rel=1e-5)
    assert info["total_importance"] == pytest.approx(float(imp.sum()),
                                                     rel=1e-5)
    _, plain = hinm.prune(w, vector_size=32, permute="none")
    assert sorted(plain["vector_index"][0].tolist()) != list(range(16))


def test_efficacy_report():
    w = random_weights(64, 128, seed=9)
    rep = hinm.efficacy(w, vector_size=16)
    assert set(rep["efficacy"]) == {"none", "ocp", "ivp", "2cp"}
    assert set(rep["kept_importance"]) == {"none", "ocp", "ivp", "2cp", "ideal"}
    assert rep["efficacy"]["none"] == 0.0
    for method, pct in rep["efficacy"].items():
        assert 0.0 <= pct <= 100.0, (method, pct)
    kept = rep["kept_importance"]
    assert kept["ideal"] == rep["ideal_importance"]
    assert kept["none"] <= kept["2cp"] <= kept["ideal"] + 1e-6
    assert rep["total_importance"] >= kept["ideal"]
    # The report's kept importance is what prune() keeps with the method.
    _, info = hinm.prune(w, vector_size=16, permute="ocp")
    assert kept["ocp"] == pytest.approx(info["kept_importance"])
    only = hinm.efficacy(w, vector_size=16, methods=["ivp"])
    assert set(only["efficacy"]) == {"none", "ivp"}


@pytest.mark.parametrize("call", [hinm.prune, hinm.efficacy])
def test_bad_inputs_raise_value_error(call):
    w = random_weights(32, 32)
    with pytest.raises(ValueError, match="float32"):
        call(w.astype(np.float64))
    with pytest.raises(ValueError, match="C-contiguous"):
        call(np.asfortranarray(random_weights(32, 36)))
    with pytest.raises(ValueError, match="2 dimension"):
        call(w.reshape(-1))
    bad = w.copy()
    bad[3, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        call(bad)
    bad[3, 5] = np.inf
    with pytest.raises(ValueError, match="infinite"):
        call(bad)
    with pytest.raises(ValueError, match="importance has shape"):
        call(w, importance=np.ones((32, 31), dtype=np.float32))
    with pytest.raises(ValueError, match="negative"):
        call(w, importance=-np.ones((32, 32), dtype=np.float32))
    with pytest.raises(ValueError, match="fewer than M"):
        call(random_weights(32, 2))
    with pytest.raises(ValueError, match="vector sparsity"):
        call(w, vector_sparsity=1.0)
    with pytest.raises(ValueError):
        call(w, vector_size=24)          # not a multiple of 16
    with pytest.raises(ValueError, match="the most hinm prunes"):
        call(w, vector_size=2 ** 40)     # padding would not fit in memory
    with pytest.raises(ValueError, match="threads"):
        call(w, threads=-1)
    with pytest.raises(ValueError, match="seed"):
        call(w, seed=-1)


def test_search_options_reach_the_library():
    # Turning searches off changes the result (the dict reaches the
    # library), and the joint rounds never keep less than 2CP without them.
    w = random_weights(96, 48, seed=3)
    default = hinm.prune(w, vector_size=16)[1]["kept_importance"]
    no_joint = hinm.prune(w, vector_size=16,
                          search={"joint_rounds": -1})[1]["kept_importance"]
    assert default >= no_joint
    plain = hinm.prune(w, vector_size=16, search={
        "ivp_kicks": -1, "ivp_anneal": -1, "ivp_eject": -1, "ocp_anneal": -1,
        "joint_rounds": -1, "refine_vectors": False,
        "ocp_global": False})[1]["kept_importance"]
    assert plain < default
    # The ejection rounds run last in IVP: without them IVP keeps no more.
    ivp = {"permute": "ivp", "vector_size": 16}
    no_eject = hinm.prune(w, **ivp, search={"ivp_eject": -1})[1]
    assert hinm.prune(w, **ivp)[1]["kept_importance"] >= \
        no_eject["kept_importance"]
    eff = hinm.efficacy(w, vector_size=16, methods=["2cp"],
                        search={"joint_rounds": -1})
    assert eff["kept_importance"]["2cp"] == pytest.approx(no_joint)


def test_ivp_lp_dive_never_keeps_less():
    # The LP dive runs last in IVP and is taken only where it keeps more.
    w = random_weights(64, 64, seed=5)
    ivp = {"permute": "ivp", "vector_size": 16}
    if not hinm.has_lp_solver():
        with pytest.raises(ValueError, match="needs an LP solver"):
            hinm.prune(w, **ivp, search={"ivp_lp": True})
        return
    without = hinm.prune(w, **ivp)[1]["kept_importance"]
    storage, info = hinm.prune(w, **ivp, search={"ivp_lp": True})
    assert info["kept_importance"] >= without
    with pytest.raises(ValueError, match="2:4 only"):
        hinm.prune(w, **ivp, m=8, search={"ivp_lp": True})


def test_restarts_never_keep_less():
    # Restarts add runs from derived seeds and keep the best one.
    w = random_weights(64, 32, seed=4)
    quick = {"ivp_anneal": 2000, "ivp_kicks": 20}
    one = hinm.prune(w, vector_size=16, search=quick)[1]["kept_importance"]
    three = hinm.prune(w, vector_size=16, search={**quick, "restarts": 2})[1]
    assert three["kept_importance"] >= one
    with pytest.raises(ValueError, match="restarts"):
        hinm.prune(w, search={"restarts": -1})


def test_effort_scales_the_search():
    # effort multiplies the annealing budgets: a fiftieth of the default
    # keeps less on this block (fixed seed); ints and floats are accepted.
    w = random_weights(64, 256, seed=1)
    def kept(effort):
        return hinm.prune(w, vector_size=32, permute="ivp", search={
            "effort": effort, "ivp_kicks": -1})[1]["kept_importance"]
    assert kept(0.02) < kept(1)
    assert kept(2) == kept(2.0)
    for bad in (0, 1001, float("nan")):
        with pytest.raises(ValueError, match="effort must be in"):
            hinm.prune(w, search={"effort": bad})
    with pytest.raises(ValueError, match="'effort' must be a number"):
        hinm.prune(w, search={"effort": True})


@pytest.mark.parametrize("call", [hinm.prune, hinm.efficacy])
def test_bad_search_options(call):
    w = random_weights(32, 32)
    with pytest.raises(ValueError, match="unknown search option 'anneal'"):
        call(w, search={"anneal": 1})
    with pytest.raises(ValueError, match="'ivp_anneal' must be an int"):
        call(w, search={"ivp_anneal": 0.5})
    with pytest.raises(ValueError, match="'ocp_global' must be a bool"):
        call(w, search={"ocp_global": 1})
    with pytest.raises(ValueError, match="iteration counts"):
        call(w, search={"ivp_sweeps": -2})
    for key in ("ivp_kicks", "ivp_anneal", "ivp_eject", "ocp_anneal",
                "joint_rounds"):
        with pytest.raises(ValueError, match="must be >= -1"):
            call(w, search={key: -2})
    with pytest.raises(ValueError, match="must be a dict"):
        call(w, search=[("ivp_anneal", 0)])


def test_bad_permute_name():
    with pytest.raises(ValueError, match="2cp"):
        hinm.prune(random_weights(32, 32), permute="random")
    with pytest.raises(ValueError, match="2cp"):
        hinm.efficacy(random_weights(32, 32), methods=["ocp", "bogus"])


def shared_dir():
    env = os.environ.get("HINM_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared"


def test_real_layer_2cp_keeps_more_than_none():
    path = (shared_dir() / "data" / "weights" /
            "ppocrv4_rec.002.p2o_Conv_10_conv2d_166_w_0.npy")
    if not path.is_file():
        pytest.skip(f"{path} not found (set HINM_SHARED)")
    w = np.ascontiguousarray(np.load(path), dtype=np.float32)
    assert w.shape == (128, 128)
    _, none = hinm.prune(w, permute="none")
    _, twocp = hinm.prune(w, permute="2cp")
    check_format(twocp, *w.shape)
    assert twocp["kept_importance"] >= none["kept_importance"]
    rep = hinm.efficacy(w, methods=["2cp"])
    assert rep["kept_importance"]["2cp"] == pytest.approx(
        twocp["kept_importance"])
    assert 0.0 <= rep["efficacy"]["2cp"] <= 100.0


def test_hinm_and_hinm_torch_import_without_torch():
    # torch is imported by hinm.torch's functions, not by importing the
    # package or the module: hinm works where PyTorch is not installed.
    import subprocess
    import sys
    code = ("import sys, hinm, hinm.torch; "
            "assert 'torch' not in sys.modules, 'torch imported'")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, env={**os.environ,
                                         "PYTHONPATH": os.pathsep.join(sys.path)})
    assert res.returncode == 0, res.stderr
