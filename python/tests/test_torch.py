# Tests of hinm.torch: HiNM masks on PyTorch layers that stay fixed during
# fine-tuning, conv and skipped layers, and the MLIR export compiled by
# hinm-opt --hinm-sparsify --hinm-cpu-pipeline and run with mlir-runner
# against torch's output of the masked layers.
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

import hinm  # noqa: E402
from hinm.tools import find_hinm_opt  # noqa: E402
from hinm.torch import (apply_hinm, export_linear_mlir,  # noqa: E402
                        parse_memref_print, remove_hinm)


def check_hinm_mask(mask2d, fmt):
    """Every row keeps kept*n/m weights (n of every m kept columns)."""
    assert (mask2d.sum(axis=1) == fmt.kept // fmt.m * fmt.n).all()


def test_linear_masks_and_zeroed_weights():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 10))
    masks = apply_hinm(model, vector_size=16)
    assert set(masks) == {"0", "2"} and not masks.skipped
    for name, layer in (("0", model[0]), ("2", model[2])):
        mask = masks[name]
        assert mask.shape == layer.weight.shape and mask.dtype == torch.bool
        info = masks.info[name]
        check_hinm_mask(mask.numpy(), info["format"])
        # Pruned weights are zero in both the effective and stored weight.
        assert not layer.weight[~mask].any()
        assert not layer.weight_orig[~mask].any()
        # The mask is the one hinm.prune computes for the dense weight.
        assert info["shape"] == tuple(layer.weight.shape)
    # 50% vectors x 2:4 = 75% pruned.
    assert masks.sparsity() == pytest.approx(0.75)


def test_masks_stay_fixed_after_optimizer_steps():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 16))
    masks = apply_hinm(model, vector_size=16)
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9,
                          weight_decay=1e-3)
    x, target = torch.randn(8, 32), torch.randn(8, 16)
    before = model[0].weight.detach().clone()
    for _ in range(3):
        opt.zero_grad()
        loss = ((model(x) - target) ** 2).mean()
        loss.backward()
        # No gradient reaches the pruned entries.
        assert not model[0].weight_orig.grad[~masks["0"]].any()
        opt.step()
    model(x)  # refreshes module.weight from weight_orig * weight_mask
    for name, layer in (("0", model[0]), ("2", model[2])):
        assert not layer.weight[~masks[name]].any()
    # The kept weights did train.
    assert not torch.equal(model[0].weight.detach(), before)
    remove_hinm(model)
    assert not hasattr(model[0], "weight_mask")
    assert isinstance(model[0].weight, nn.Parameter)
    assert not model[0].weight[~masks["0"]].any()


def test_conv_layers_are_pruned_as_out_by_in_kh_kw():
    torch.manual_seed(2)
    conv = nn.Conv2d(8, 24, kernel_size=3, padding=1)
    model = nn.Sequential(conv)
    masks = apply_hinm(model, vector_size=16)
    mask = masks["0"]
    assert mask.shape == (24, 8, 3, 3)
    info = masks.info["0"]
    assert info["shape"] == (24, 72)
    check_hinm_mask(mask.reshape(24, -1).numpy(), info["format"])
    # The same selection as hinm.prune on the im2col view.
    w = conv.weight_orig.detach().clone()
    assert not w[~mask].any()
    out = conv(torch.randn(2, 8, 5, 5))
    assert out.shape == (2, 24, 5, 5)


def test_conv1d_and_conv3d_are_pruned_by_default():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv1d(6, 16, kernel_size=5),
                          nn.Conv3d(16, 32, kernel_size=(2, 3, 3)))
    dense = [layer.weight.detach().clone() for layer in model]
    masks = apply_hinm(model, vector_size=16)
    assert set(masks) == {"0", "1"} and not masks.skipped
    for name, rows, cols in (("0", 16, 30), ("1", 32, 288)):
        info = masks.info[name]
        assert info["shape"] == (rows, cols)
        mask = masks[name]
        assert mask.shape == model[int(name)].weight.shape
        check_hinm_mask(mask.reshape(rows, -1).numpy(), info["format"])
        # The selection is hinm.prune's on the [out, in * prod(kernel)] view
        # of the dense weight, in (in, k...) column order.
        w2d = np.ascontiguousarray(dense[int(name)].reshape(rows, -1).numpy())
        _, ref = hinm.prune(w2d, vector_size=16)
        assert np.array_equal(mask.reshape(rows, -1).numpy(), ref["mask"])


def test_grouped_convs_are_pruned_group_by_group():
    torch.manual_seed(4)
    model = nn.Sequential(nn.Conv2d(16, 32, 3, groups=2),
                          nn.Conv1d(12, 48, 5, groups=3))
    dense = [layer.weight.detach().clone() for layer in model]
    masks = apply_hinm(model, vector_size=16)
    assert set(masks) == {"0", "1"} and not masks.skipped
    for i, groups in ((0, 2), (1, 3)):
        mask, info = masks[str(i)], masks.info[str(i)]
        rows = dense[i].shape[0] // groups
        cols = dense[i][0].numel()
        assert info["shape"] == (rows, cols)
        assert len(info["groups"]) == groups
        w2d = dense[i].reshape(dense[i].shape[0], -1).numpy()
        m2d = mask.reshape(dense[i].shape[0], -1).numpy()
        check_hinm_mask(m2d, info["format"])
        # Each group's rows are hinm.prune's mask of that group's filter
        # alone, as hinm-sparsify prunes a grouped convolution; the whole
        # [out, in/groups * k] matrix pruned at once would share blocks
        # across groups.
        for g in range(groups):
            part = np.ascontiguousarray(w2d[g * rows:(g + 1) * rows])
            _, ref = hinm.prune(part, vector_size=16)
            assert np.array_equal(m2d[g * rows:(g + 1) * rows], ref["mask"])
        _, whole = hinm.prune(np.ascontiguousarray(w2d), vector_size=16)
        assert not np.array_equal(m2d, whole["mask"])
        assert not model[i].weight[~mask].any()


def test_depthwise_and_grouped_3d_convs_are_skipped_with_reason():
    torch.manual_seed(5)
    model = nn.Sequential(nn.Conv2d(32, 32, 3, groups=32),
                          nn.Conv3d(8, 32, 3, groups=2))
    before = [layer.weight.detach().clone() for layer in model]
    masks = apply_hinm(model, vector_size=16)
    assert not masks
    assert "depthwise" in masks.skipped["0"]
    assert "groups=32" in masks.skipped["0"]
    assert "3-D" in masks.skipped["1"]
    # Skipped layers are untouched: no mask, the same weights.
    for i in (0, 1):
        assert not hasattr(model[i], "weight_mask")
        assert torch.equal(model[i].weight, before[i])


def test_grouped_conv_whose_groups_do_not_fit_is_skipped():
    # 2 input channels per group, a 1x1 kernel: 2 columns < m = 4.
    model = nn.Sequential(nn.Conv2d(8, 32, 1, groups=4))
    masks = apply_hinm(model, vector_size=16)
    assert not masks
    assert masks.skipped["0"].startswith("group filters 8x2:")


def test_overrides_give_layers_their_own_format():
    torch.manual_seed(6)
    model = nn.Sequential(nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 32))
    masks = apply_hinm(model, vector_size=16, overrides={
        "2": {"vector_sparsity": 0.75, "permute": "ocp"}})
    assert masks.info["0"]["options"] == {
        "vector_size": 16, "vector_sparsity": 0.5, "n": 2, "m": 4,
        "permute": "2cp"}
    assert masks.info["2"]["options"]["vector_sparsity"] == 0.75
    assert masks.info["2"]["options"]["permute"] == "ocp"
    # 50% of the vectors x 2:4 keeps a quarter; 25% x 2:4 an eighth.
    assert masks["0"].float().mean().item() == pytest.approx(0.25)
    assert masks["2"].float().mean().item() == pytest.approx(0.125)
    check_hinm_mask(masks["2"].numpy(), masks.info["2"]["format"])
    assert masks.info["2"]["format"].kept == 12


@pytest.mark.parametrize("overrides, message", [
    ({"2": {"vectorsparsity": 0.75}}, "unknown key 'vectorsparsity'"),
    ({"7": {"n": 1}}, "overrides name '7'"),
    ({"1": {"n": 1}}, "overrides name '1'"),          # the ReLU
    ({"2": {"vector_size": 24}}, "overrides for '2': .*multiple of 16"),
    ({"0": {"n": 4}}, "overrides for '0': .*4:4"),
])
def test_bad_overrides_raise_before_any_layer_changes(overrides, message):
    model = nn.Sequential(nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 32))
    with pytest.raises(ValueError, match=message):
        apply_hinm(model, vector_size=16, overrides=overrides)
    assert not any(hasattr(layer, "weight_mask") for layer in model)


def test_export_carries_each_layers_options_to_the_compiler():
    # The exported linalg.matmul ops hold apply_hinm's options as
    # hinm.sparsify, so the pass prunes each layer in its format whatever its
    # own options (here V = 32, no permutation).
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(64, 48), nn.ReLU(), nn.Linear(48, 32))
    apply_hinm(model, vector_size=16, overrides={
        "2": {"vector_sparsity": 0.75, "permute": "ocp"}})
    x = torch.randn(2, 64)
    text = export_linear_mlir(model, batch=2, example_input=x)
    assert text.count("hinm.sparsify") == 2
    assert ('hinm.sparsify = {vector_size = 16, vector_sparsity = 0.75, '
            'n = 2, m = 4, permute = "ocp"}') in text
    _, remarks = compile_and_run(
        text, ["--hinm-sparsify=vector-size=32 permute=none report"])
    formats = re.findall(r"\(HiNM view\), (V=\d+ kept=\d+ 2:4, permute=\w+)",
                         remarks)
    assert formats == ["V=16 kept=32 2:4, permute=2cp",
                       "V=16 kept=12 2:4, permute=ocp"]


def test_layer_that_does_not_fit_is_skipped_with_reason():
    model = nn.Sequential(nn.Linear(3, 32), nn.Linear(32, 8),
                          nn.Conv2d(3, 16, kernel_size=1))
    masks = apply_hinm(model, vector_size=16)
    assert set(masks) == {"1"}
    assert set(masks.skipped) == {"0", "2"}
    assert "fewer than M = 4" in masks.skipped["0"]
    assert "32x3" in masks.skipped["0"]
    assert "16x3" in masks.skipped["2"]
    # Skipped layers are untouched.
    assert not hasattr(model[0], "weight_mask")
    # Only Linear layers when asked.
    model2 = nn.Sequential(nn.Linear(32, 16), nn.Conv2d(4, 16, 3))
    assert set(apply_hinm(model2, vector_size=16, layers=(nn.Linear,))) == {"0"}


def test_bad_options_raise_before_any_change():
    model = nn.Sequential(nn.Linear(3, 32), nn.Linear(32, 16))
    for bad in (dict(vector_size=24), dict(permute="random"),
                dict(vector_sparsity=1.5), dict(n=3, m=2),
                dict(search={"anneal": 1})):
        with pytest.raises(ValueError):
            apply_hinm(model, **bad)
        assert not hasattr(model[1], "weight_mask")


def test_nan_weight_raises_with_layer_name():
    model = nn.Sequential(nn.Linear(32, 16))
    with torch.no_grad():
        model[0].weight[2, 3] = float("nan")
    with pytest.raises(ValueError, match="layer '0'.*NaN"):
        apply_hinm(model, vector_size=16)


def test_search_options_reach_every_layer():
    # The masks are those hinm.prune gives with the same search options.
    torch.manual_seed(4)
    model = nn.Sequential(nn.Linear(48, 96))
    w = model[0].weight.detach().numpy().copy()
    search = {"joint_rounds": -1, "ivp_anneal": -1}
    masks = apply_hinm(model, vector_size=16, search=search)
    _, info = hinm.prune(w, vector_size=16, search=search)
    assert np.array_equal(masks["0"].numpy(), info["mask"])


def test_same_seed_same_masks_any_threads():
    def build():
        torch.manual_seed(3)
        return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
    a = apply_hinm(build(), vector_size=16, seed=5, threads=1)
    b = apply_hinm(build(), vector_size=16, seed=5, threads=2)
    for name in a:
        assert torch.equal(a[name], b[name])


def test_export_text_shape():
    torch.manual_seed(4)
    model = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4, bias=False))
    text = export_linear_mlir(model, batch=2)
    assert text.count("func.func @forward(") == 1
    assert text.count("linalg.matmul") == 2
    assert "tensor<16x8xf32>" in text          # W^T of the first layer
    assert "linalg.broadcast" in text           # first bias
    assert "linalg.fill" in text                # no bias on the second
    assert "arith.maximumf" in text             # the ReLU
    # Not a chain: one func per Linear layer.
    per_layer = export_linear_mlir([model[0], model[2]], batch=2)
    assert "@forward_0(" in per_layer and "@forward_1(" in per_layer
    f16 = export_linear_mlir(model, batch=2, dtype="f16")
    assert "tensor<16x8xf16>" in f16 and "arith.truncf" in f16
    with pytest.raises(ValueError, match="dtype"):
        export_linear_mlir(model, batch=2, dtype="f64")
    with pytest.raises(ValueError, match="batch"):
        export_linear_mlir(model, batch=0)


MLIR_RUNNER = "/usr/lib/llvm-22/bin/mlir-runner"
RUNNER_LIBS = ("/usr/lib/llvm-22/lib/libmlir_runner_utils.so,"
               "/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so")


def compile_and_run(text, passes):
    hinm_opt = find_hinm_opt()
    if hinm_opt is None or not os.access(MLIR_RUNNER, os.X_OK):
        pytest.skip("hinm-opt or mlir-runner not found")
    lowered = subprocess.run(
        [hinm_opt, "-", *passes, "--hinm-cpu-pipeline"], input=text,
        capture_output=True, text=True, timeout=300)
    assert lowered.returncode == 0, lowered.stderr
    run = subprocess.run(
        [MLIR_RUNNER, "-e", "main", "-entry-point-result=void",
         f"-shared-libs={RUNNER_LIBS}"], input=lowered.stdout,
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return parse_memref_print(run.stdout), lowered.stderr


@pytest.mark.parametrize("model_kind", ["linear", "mlp"])
def test_export_compiles_and_matches_torch(model_kind):
    torch.manual_seed(5)
    if model_kind == "linear":
        model = nn.Linear(32, 20)
    else:
        model = nn.Sequential(nn.Linear(32, 48), nn.ReLU(), nn.Linear(48, 10))
    apply_hinm(model, vector_size=16)
    x = torch.randn(4, 32)
    expected = model(x).detach().numpy().astype(np.float64)
    text = export_linear_mlir(model, batch=4, example_input=x)
    assert "linalg.matmul" in text
    got, remarks = compile_and_run(
        text, ["--hinm-sparsify=vector-size=16 permute=2cp report"])
    # hinm-sparsify re-prunes the masked constants: with 2CP it keeps every
    # remaining weight (kept importance == total), so the compiled program
    # computes exactly the masked torch layers.
    kept = re.findall(r"kept importance ([0-9.]+) of ([0-9.]+)", remarks)
    assert len(kept) == (1 if model_kind == "linear" else 2)
    for k, total in kept:
        assert float(k) == pytest.approx(float(total), rel=1e-6)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("form", ["matmul", "pack"])
def test_export_dynamic_batch_compiles_and_matches_torch(form):
    # batch=None: the functions take tensor<?x in>; --hinm-sparsify (matmul
    # form) rewrites the layers with a dynamic N, and the run on a batch of
    # 3 matches torch.
    torch.manual_seed(8)
    model = nn.Sequential(nn.Linear(32, 48), nn.ReLU(), nn.Linear(48, 10))
    apply_hinm(model, vector_size=16)
    x = torch.randn(3, 32)
    expected = model(x).detach().numpy().astype(np.float64)
    text = export_linear_mlir(model, batch=None, example_input=x, form=form)
    assert "tensor<?x32xf32>" in text and "tensor.dim %x" in text
    passes = (["--hinm-sparsify=vector-size=16 permute=2cp report"]
              if form == "matmul" else ["--canonicalize"])
    got, remarks = compile_and_run(text, passes)
    if form == "matmul":
        # Both layers were rewritten despite the dynamic batch.
        assert len(re.findall(r"remark: hinm-sparsify", remarks)) == 2
        assert "left dense" not in remarks
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="batch must be a positive int or None"):
        export_linear_mlir(model, batch=0)


def test_export_pack_form_is_exact_where_repruning_is_not():
    # A 128x128 layer at V = 16: --hinm-sparsify's second 2CP run on the
    # masked weight does not find a selection keeping all of it (checked
    # below with hinm.prune), but form="pack" carries apply_hinm's selection.
    # Whether the second run recovers everything depends on the weights (it
    # does for seeds 4, 6 and 9): seed 7 is one where it keeps only 98.7%.
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 16))
    masks = apply_hinm(model, vector_size=16)
    masked = np.ascontiguousarray(model[0].weight.detach().numpy())
    _, again = hinm.prune(masked, vector_size=16)
    assert again["kept_importance"] < again["total_importance"] * (1 - 1e-6)
    x = torch.randn(3, 128)
    expected = model(x).detach().numpy().astype(np.float64)
    text = export_linear_mlir(model, batch=3, example_input=x, form="pack")
    assert "hinm.pack" in text and "linalg.matmul" not in text
    assert text.count("hinm.matmul") == 2
    got, _ = compile_and_run(text, ["--canonicalize"])
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    # A Linear layer without a selection cannot be written in pack form.
    with pytest.raises(ValueError, match="run apply_hinm first"):
        export_linear_mlir(nn.Linear(8, 8), batch=1, form="pack")
    with pytest.raises(ValueError, match="form"):
        export_linear_mlir(model, batch=1, form="dense")
    assert masks.sparsity() == pytest.approx(0.75)


def test_sparsify_of_dense_export_matches_apply_hinm():
    # hinm.prune and --hinm-sparsify run the same library with the same
    # options: sparsifying the DENSE layer in the compiler gives the layer
    # that apply_hinm prunes in torch.
    torch.manual_seed(7)
    dense = nn.Linear(64, 40)
    x = torch.randn(5, 64)
    text = export_linear_mlir(dense, batch=5, example_input=x)
    apply_hinm(dense, vector_size=16, seed=3)
    expected = dense(x).detach().numpy().astype(np.float64)
    got, _ = compile_and_run(
        text, ["--hinm-sparsify=vector-size=16 permute=2cp seed=3"])
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
