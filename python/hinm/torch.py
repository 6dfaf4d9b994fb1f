# ===- torch.py - HiNM pruning of PyTorch models -------------------------===#
#
# Part of the hinm project.
#
# ===----------------------------------------------------------------------===#
"""HiNM pruning of PyTorch models and export of their linear layers as MLIR.

``apply_hinm(model)`` prunes every ``nn.Linear`` and ``nn.Conv1d/2d/3d``
weight (a grouped convolution group by group) to HiNM with the C++ library
(``hinm.prune``, 2CP by default) and fixes the masks with
``torch.nn.utils.prune.custom_from_mask``: the module's ``weight`` becomes
``weight_orig * weight_mask``, so neither gradients nor optimizer steps
(momentum, weight decay) can bring a pruned weight back.
``remove_hinm(model)`` makes the pruning permanent (plain ``weight``
parameters holding zeros).

``export_linear_mlir(model, batch)`` prints the model's linear layers as
``linalg.matmul`` on constant (masked) weights, the input that
``hinm-opt --hinm-sparsify --hinm-cpu-pipeline`` compiles.

torch is imported when a function runs, not when ``hinm`` is imported, so
the rest of the package works without it.
"""

from typing import Dict, Iterable, Optional, Sequence, Tuple

import numpy as np

from . import _core


class HiNMMasks(dict):
    """What ``apply_hinm`` returns: a dict ``{module name: bool mask}`` (the
    mask has the weight's shape and device; True = kept) with two reports:

    ``skipped``  ``{module name: reason}`` for layers left dense
    ``info``     ``{module name: dict}`` with ``format`` (HiNMFormat),
                 ``shape`` (the 2-D HiNM view), ``kept_importance``,
                 ``total_importance``, ``row_perm``, ``vector_index`` and
                 ``nm_mask`` (the selection, as ``hinm.prune`` returns it);
                 for a grouped convolution ``format``, ``shape`` (one
                 group's view), the summed importances and ``groups``, the
                 list of the groups' own dicts
    """

    def __init__(self):
        super().__init__()
        self.skipped: Dict[str, str] = {}
        self.info: Dict[str, dict] = {}

    def sparsity(self) -> float:
        """Share of pruned weights over the masked layers."""
        total = sum(m.numel() for m in self.values())
        kept = sum(int(m.sum()) for m in self.values())
        return 1.0 - kept / total if total else 0.0


def _default_layers():
    import torch.nn as nn
    return (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


def _effective_weight(module):
    """The weight the module computes with: ``weight_orig * weight_mask``
    after torch pruning (``module.weight`` is only refreshed by a forward
    pass), else ``weight``."""
    if hasattr(module, "weight_orig") and hasattr(module, "weight_mask"):
        return module.weight_orig * module.weight_mask
    return module.weight


def _grouped_skip_reason(module, groups: int) -> Optional[str]:
    """Why a convolution with ``groups > 1`` stays dense, or None: the forms
    hinm-sparsify keeps dense after torch-mlir's lowering (a depthwise
    convolution, in = out = groups, becomes linalg.depthwise_conv_*; a
    grouped 3-D one a linalg.generic)."""
    if groups == 1:
        return None
    if module.in_channels == groups and module.out_channels == groups:
        return (f"depthwise convolution (groups={groups}): not pruned, as "
                "hinm-sparsify keeps linalg.depthwise_conv_* dense")
    if module.weight.dim() == 5:
        return (f"grouped 3-D convolution (groups={groups}): not pruned, as "
                "hinm-sparsify keeps it dense")
    return None


_OVERRIDE_KEYS = ("vector_size", "vector_sparsity", "n", "m", "permute")


def _layer_options(model, layers, base: dict,
                   overrides: Optional[Dict[str, dict]]) -> Dict[str, dict]:
    """The options of every layer ``overrides`` names: ``base`` updated with
    the layer's own. Unknown keys and names that are no layer of ``model``
    of the types in ``layers`` raise ValueError."""
    if not overrides:
        return {}
    names = {name for name, module in model.named_modules()
             if isinstance(module, layers)}
    out = {}
    for name, own in overrides.items():
        if name not in names:
            raise ValueError(f"hinm: overrides name '{name}', which is not a "
                             "layer apply_hinm prunes in this model")
        unknown = sorted(set(own) - set(_OVERRIDE_KEYS))
        if unknown:
            raise ValueError(f"hinm: overrides for '{name}': unknown key "
                             f"'{unknown[0]}' (expected "
                             f"{', '.join(_OVERRIDE_KEYS)})")
        out[name] = {**base, **own}
    return out


def apply_hinm(model, vector_size: int = 32, vector_sparsity: float = 0.5,
               n: int = 2, m: int = 4, permute: str = "2cp", seed: int = 0,
               layers: Optional[Tuple[type, ...]] = None, threads: int = 1,
               iterations: int = 0,
               search: Optional[dict] = None,
               overrides: Optional[Dict[str, dict]] = None) -> HiNMMasks:
    """Prunes the weights of ``model``'s layers of the types in ``layers``
    (default ``(nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)``) to HiNM and
    keeps them pruned.

    Each weight is seen as a matrix ``[out, in * prod(kernel)]`` (rows =
    output channels; the im2col view ``hinm-sparsify`` prunes a constant
    1-D, 2-D or 3-D convolution filter in), pruned by ``hinm.prune`` with the given options (see
    its docstring; ``search`` tunes the permutation searches as there), and
    masked with ``torch.nn.utils.prune.custom_from_mask``. A grouped 1-D or
    2-D convolution is pruned group by group, each group's
    ``[out/groups, in/groups * prod(kernel)]`` filter on its own, as
    hinm-sparsify prunes a grouped convolution (its ``.info`` then holds
    ``groups``, the list of the groups' selections, with the summed
    importances); depthwise convolutions (``in = out = groups``) and grouped
    3-D ones are left dense and listed in ``.skipped``, as hinm-sparsify has
    no rewrite for them;
    the pruned entries of ``weight_orig`` are zeroed as well, and the
    selection is kept as ``module.hinm_selection`` (for
    ``export_linear_mlir(form="pack")``). A layer whose
    shape does not fit the format (fewer columns than ``m``) is left dense
    and listed in ``.skipped`` with the reason. Bad options raise ValueError
    before any layer changes; a NaN or infinite weight raises ValueError
    naming the layer. The selection depends on the weights,
    options and ``seed`` only (not on ``threads``).

    ``overrides`` gives layers their own format: ``{module name: {key:
    value}}`` with keys among ``vector_size``, ``vector_sparsity``, ``n``,
    ``m`` and ``permute``, which replace the arguments of the same names for
    that layer (pruning practice gives layers different sparsities). An
    unknown key, a name that is no pruned layer of the model, or values that
    make no format raise ValueError before any layer changes. Every pruned
    layer's options are in its ``info["options"]``;
    ``export_linear_mlir`` writes them on the layer's ``linalg.matmul`` as
    the ``hinm.sparsify`` attribute, so ``hinm-sparsify`` prunes it with the
    same format.
    """
    import torch
    import torch.nn.utils.prune as torch_prune

    if layers is None:
        layers = _default_layers()
    # Bad options are an error, not a reason to skip every layer: try them
    # on a tiny all-zero matrix that fits any valid format.
    base = {"vector_size": vector_size, "vector_sparsity": vector_sparsity,
            "n": n, "m": m, "permute": permute}
    layer_options = _layer_options(model, layers, base, overrides)

    def check(opts, what):
        mm = opts["m"]
        probe = np.zeros((1, mm if isinstance(mm, int) and 0 < mm <= 4096
                          else 4), dtype=np.float32)
        try:
            _core.prune(probe, **opts, iterations=iterations, seed=seed,
                        threads=threads, search=search)
        except ValueError as err:
            if what is None:
                raise
            raise ValueError(f"hinm: overrides for '{what}': {err}") from None
    check(base, None)
    for name in (overrides or {}):
        check(layer_options[name], name)
    result = HiNMMasks()
    for name, module in model.named_modules():
        if not isinstance(module, layers):
            continue
        weight = getattr(module, "weight", None)
        if weight is None or not isinstance(weight, torch.Tensor):
            result.skipped[name] = "no weight tensor"
            continue
        groups = getattr(module, "groups", 1)
        skip = _grouped_skip_reason(module, groups)
        if skip:
            result.skipped[name] = skip
            continue
        with torch.no_grad():
            w = _effective_weight(module).detach()
        shape = tuple(w.shape)
        # A grouped convolution is `groups` products, one per group's
        # [out/groups, in/groups * prod(kernel)] filter, each pruned on its
        # own as hinm-sparsify prunes linalg.conv_2d_ngchw_gfchw.
        rows = shape[0] // groups
        cols = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        opts = layer_options.get(name, base)
        try:
            _core.format_for(rows, cols, vector_size=opts["vector_size"],
                             vector_sparsity=opts["vector_sparsity"],
                             n=opts["n"], m=opts["m"])
        except ValueError as err:
            what = "group filters" if groups > 1 else "weight"
            result.skipped[name] = f"{what} {rows}x{cols}: {err}"
            continue
        w2d = np.ascontiguousarray(
            w.to(device="cpu", dtype=torch.float32).reshape(shape[0], cols)
            .numpy())
        infos, masks2d = [], []
        for g in range(groups):
            try:
                _, info = _core.prune(
                    np.ascontiguousarray(w2d[g * rows:(g + 1) * rows]),
                    **opts, iterations=iterations, seed=seed,
                    threads=threads, search=search)
            except ValueError as err:
                raise ValueError(f"hinm: layer '{name}': {err}") from None
            masks2d.append(info.pop("mask"))
            info["shape"] = (rows, cols)
            infos.append(info)
        mask = torch.from_numpy(np.concatenate(masks2d)).reshape(shape).to(
            weight.device)
        torch_prune.custom_from_mask(module, "weight", mask)
        with torch.no_grad():
            module.weight_orig.mul_(mask.to(module.weight_orig.dtype))
            module.weight = module.weight_orig * module.weight_mask
        if groups == 1:
            info = infos[0]
            info["options"] = dict(opts)
        else:
            info = {"format": infos[0]["format"], "shape": (rows, cols),
                    "groups": infos,
                    "kept_importance": sum(i["kept_importance"] for i in infos),
                    "total_importance": sum(i["total_importance"]
                                            for i in infos),
                    "options": dict(opts)}
        # For export_linear_mlir(form="pack"): the exact selection.
        module.hinm_selection = info
        result[name] = mask
        result.info[name] = info
    return result


def remove_hinm(model) -> None:
    """Makes the pruning permanent: every pruned ``weight`` becomes a plain
    parameter again (holding the zeros); masks are dropped."""
    import torch.nn.utils.prune as torch_prune

    for module in model.modules():
        if hasattr(module, "weight_mask") and hasattr(module, "weight_orig"):
            torch_prune.remove(module, "weight")
        if hasattr(module, "hinm_selection"):
            del module.hinm_selection


# ---------------------------------------------------------------------------
# MLIR export
# ---------------------------------------------------------------------------

_DTYPES = {"f32": np.float32, "f16": np.float16}


def _literal(array: np.ndarray) -> str:
    """A dense<...> body: nested brackets of exactly round-tripping numbers
    (repr of the float64 value of an f32/f16 is read back to the same
    value)."""
    if array.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in array) + "]"
    return "[" + ", ".join(_literal(row) for row in array) + "]"


def _int_literal(array: np.ndarray) -> str:
    """A dense<...> body of integers, or of true/false for a bool array."""
    if array.ndim == 1:
        if array.dtype == np.bool_:
            return "[" + ", ".join("true" if v else "false" for v in array) + "]"
        return "[" + ", ".join(str(int(v)) for v in array) + "]"
    return "[" + ", ".join(_int_literal(row) for row in array) + "]"


def _tensor(shape: Sequence[Optional[int]], elt: str) -> str:
    """A tensor type; a None dimension is dynamic ("?")."""
    return ("tensor<" + "x".join("?" if d is None else str(d) for d in shape)
            + "x" + elt + ">")


def _empty(batch: Optional[int]) -> str:
    """tensor.empty for a [batch, ...] tensor: a dynamic batch is the
    function's %batch (emitted by _emit_batch_dim)."""
    return "tensor.empty()" if batch is not None else "tensor.empty(%batch)"


def _emit_batch_dim(lines, batch, in_f, elt):
    """With a dynamic batch, reads it from the function's %x as %batch."""
    if batch is None:
        lines.append("    %c0_batch = arith.constant 0 : index")
        lines.append(f"    %batch = tensor.dim %x, %c0_batch : "
                     f"{_tensor([None, in_f], elt)}")


def _linear_layers(model_or_layers):
    """The export plan: (steps, chained). With chained, steps is the
    sequence of ("linear", name, module) and ("relu",) of an nn.Linear or an
    nn.Sequential of Linear and ReLU layers (Dropout, Identity and Flatten
    are skipped, as in eval mode), emitted as one function; otherwise the
    ("linear", name, module) steps of every Linear layer, one function
    each."""
    import torch.nn as nn

    if isinstance(model_or_layers, nn.Linear):
        return [("linear", "0", model_or_layers)], True
    if isinstance(model_or_layers, nn.Sequential):
        steps = []
        for name, child in model_or_layers.named_children():
            if isinstance(child, nn.Linear):
                steps.append(("linear", name, child))
            elif isinstance(child, nn.ReLU):
                steps.append(("relu",))
            elif isinstance(child, (nn.Identity, nn.Dropout, nn.Flatten)):
                continue
            else:
                steps = None
                break
        if steps and any(s[0] == "linear" for s in steps):
            while steps[0][0] != "linear":  # leading ReLUs are not exported
                steps.pop(0)
            return steps, True
    if isinstance(model_or_layers, nn.Module):
        found = [("linear", name or "0", mod) for name, mod in
                 model_or_layers.named_modules() if isinstance(mod, nn.Linear)]
    else:
        found = []
        for i, mod in enumerate(model_or_layers):
            if not isinstance(mod, nn.Linear):
                raise TypeError(f"export_linear_mlir: item {i} is "
                                f"{type(mod).__name__}, not nn.Linear")
            found.append(("linear", str(i), mod))
    if not found:
        raise ValueError("export_linear_mlir: no nn.Linear layer found")
    return found, False


def _sparsify_attr(options: Optional[dict]) -> str:
    """The ``{hinm.sparsify = {...}}`` attribute dictionary of a layer
    apply_hinm pruned with ``options``; "" for none."""
    if not options:
        return ""
    sparsity = np.format_float_positional(float(options["vector_sparsity"]))
    return (f" {{hinm.sparsify = {{vector_size = {int(options['vector_size'])}"
            f", vector_sparsity = {sparsity}, n = {int(options['n'])}, "
            f"m = {int(options['m'])}, permute = \"{options['permute']}\"}}}}")


def _emit_layer(lines, x, batch, w, b, elt, tag, options=None):
    """Appends y = x W^T (+ b) for a [out, in] weight and returns the SSA
    name of the f32 [batch, out] result. The weight is a constant in the
    RHS form [in, out] (Y = X W) that hinm-sparsify views as W[out, in].
    ``options`` (apply_hinm's for the layer) become its hinm.sparsify
    attribute."""
    out_f, in_f = w.shape
    res_t = _tensor([batch, out_f], "f32")
    lines.append(f"    %{tag}_w = arith.constant dense<{_literal(w.T)}> : "
                 f"{_tensor([in_f, out_f], elt)}")
    lines.append(f"    %{tag}_init = {_empty(batch)} : {res_t}")
    if b is None:
        lines.append(f"    %{tag}_zero = arith.constant 0.0 : f32")
        lines.append(f"    %{tag}_acc = linalg.fill ins(%{tag}_zero : f32) "
                     f"outs(%{tag}_init : {res_t}) -> {res_t}")
    else:
        lines.append(f"    %{tag}_b = arith.constant dense<{_literal(b)}> : "
                     f"{_tensor([out_f], 'f32')}")
        lines.append(f"    %{tag}_acc = linalg.broadcast ins(%{tag}_b : "
                     f"{_tensor([out_f], 'f32')}) outs(%{tag}_init : {res_t}) "
                     f"dimensions = [0]")
    lines.append(f"    %{tag}_y = linalg.matmul{_sparsify_attr(options)} "
                 f"ins({x}, %{tag}_w : "
                 f"{_tensor([batch, in_f], elt)}, {_tensor([in_f, out_f], elt)})"
                 f" outs(%{tag}_acc : {res_t}) -> {res_t}")
    return f"%{tag}_y", res_t


def _emit_packed_layer(lines, x, batch, w, b, elt, tag, sel):
    """Appends y = x W^T (+ b) as hinm.matmul on a hinm.pack of the dense
    weight under `sel` (the selection apply_hinm made), so the program
    computes exactly the masked layer. hinm.matmul is W X with W [out, in]:
    the activations are transposed in and the result back out."""
    out_f, in_f = w.shape
    fmt = sel["format"]
    if sel["shape"] != (out_f, in_f):
        raise ValueError(f"export_linear_mlir: the layer's selection is for "
                         f"{sel['shape']}, the weight is {(out_f, in_f)}")
    mat = (f"!hinm.matrix<{out_f}x{in_f}x{elt}, #hinm.format<vector_size = "
           f"{fmt.vector_size}, kept = {fmt.kept}, n = {fmt.n}, m = {fmt.m}>>")
    perm, vidx, nm = sel["row_perm"], sel["vector_index"], sel["nm_mask"]
    xt_t = _tensor([in_f, batch], elt)
    yt_t = _tensor([out_f, batch], "f32")
    res_t = _tensor([batch, out_f], "f32")
    lines.append(f"    %{tag}_d = arith.constant dense<{_literal(w)}> : "
                 f"{_tensor([out_f, in_f], elt)}")
    lines.append(f"    %{tag}_p = arith.constant dense<{_int_literal(perm)}> : "
                 f"{_tensor(perm.shape, 'i32')}")
    lines.append(f"    %{tag}_i = arith.constant dense<{_int_literal(vidx)}> : "
                 f"{_tensor(vidx.shape, 'i32')}")
    lines.append(f"    %{tag}_m = arith.constant dense<{_int_literal(nm)}> : "
                 f"{_tensor(nm.shape, 'i1')}")
    lines.append(f"    %{tag}_w = hinm.pack %{tag}_d, %{tag}_p, %{tag}_i, "
                 f"%{tag}_m : {mat}")
    lines.append(f"    %{tag}_xt_init = {_empty(batch)} : {xt_t}")
    lines.append(f"    %{tag}_xt = linalg.transpose ins({x} : "
                 f"{_tensor([batch, in_f], elt)}) outs(%{tag}_xt_init : "
                 f"{xt_t}) permutation = [1, 0]")
    lines.append(f"    %{tag}_yt = hinm.matmul %{tag}_w, %{tag}_xt : {mat}, "
                 f"{xt_t} -> {yt_t}")
    lines.append(f"    %{tag}_init = {_empty(batch)} : {res_t}")
    lines.append(f"    %{tag}_y0 = linalg.transpose ins(%{tag}_yt : {yt_t}) "
                 f"outs(%{tag}_init : {res_t}) permutation = [1, 0]")
    if b is None:
        return f"%{tag}_y0", res_t
    lines.append(f"    %{tag}_b = arith.constant dense<{_literal(b)}> : "
                 f"{_tensor([out_f], 'f32')}")
    lines.append(f"    %{tag}_bb = linalg.broadcast ins(%{tag}_b : "
                 f"{_tensor([out_f], 'f32')}) outs(%{tag}_init : {res_t}) "
                 f"dimensions = [0]")
    lines.append(f"    %{tag}_y = linalg.add ins(%{tag}_y0, %{tag}_bb : "
                 f"{res_t}, {res_t}) outs(%{tag}_init : {res_t}) -> {res_t}")
    return f"%{tag}_y", res_t


def _emit_relu(lines, y, batch, width, tag):
    t = _tensor([batch, width], "f32")
    lines.append(f"    %{tag}_relu_init = {_empty(batch)} : {t}")
    lines.append(f"    %{tag}_relu = linalg.generic {{indexing_maps = "
                 f"[affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> "
                 f"(d0, d1)>], iterator_types = [\"parallel\", \"parallel\"]}} "
                 f"ins({y} : {t}) outs(%{tag}_relu_init : {t}) {{")
    lines.append("    ^bb0(%in: f32, %out: f32):")
    lines.append("      %zero = arith.constant 0.0 : f32")
    lines.append("      %max = arith.maximumf %in, %zero : f32")
    lines.append("      linalg.yield %max : f32")
    lines.append(f"    }} -> {t}")
    return f"%{tag}_relu"


def _emit_cast(lines, y, batch, width, elt, tag):
    """f32 [batch, width] -> elt (for a chained f16 layer's input)."""
    if elt == "f32":
        return y
    src, dst = _tensor([batch, width], "f32"), _tensor([batch, width], elt)
    lines.append(f"    %{tag}_cast_init = {_empty(batch)} : {dst}")
    lines.append(f"    %{tag}_cast = linalg.generic {{indexing_maps = "
                 f"[affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> "
                 f"(d0, d1)>], iterator_types = [\"parallel\", \"parallel\"]}} "
                 f"ins({y} : {src}) outs(%{tag}_cast_init : {dst}) {{")
    lines.append(f"    ^bb0(%in: f32, %out: {elt}):")
    lines.append(f"      %t = arith.truncf %in : f32 to {elt}")
    lines.append(f"      linalg.yield %t : {elt}")
    lines.append(f"    }} -> {dst}")
    return f"%{tag}_cast"


def export_linear_mlir(model_or_layers, batch: int, dtype: str = "f32",
                       name: str = "forward",
                       example_input=None, form: str = "matmul") -> str:
    """MLIR text (func, arith, linalg, tensor) computing the model's
    ``nn.Linear`` layers for a ``[batch, in]`` input, with the current
    (masked, if ``apply_hinm`` ran) weights as ``arith.constant dense<...>``.
    ``batch=None`` makes the batch dynamic (``tensor<?x in x dtype>``, read
    with ``tensor.dim``): ``--hinm-sparsify`` and both pipelines take it.

    * An ``nn.Linear``, or an ``nn.Sequential`` of Linear layers with ReLU
      (Dropout, Identity and Flatten are skipped, as in eval mode) between
      them, becomes one function ``@<name>(%x: tensor<batch x in x dtype>) ->
      tensor<batch x out x f32>``.
    * Any other module or a list of Linear layers becomes one function per
      layer, ``@<name>_<i>`` in module order.

    Each layer is ``linalg.matmul ins(%x, %wT)`` with the transposed weight
    ``[in, out]`` as a constant (the RHS form ``Y = X W`` that
    ``--hinm-sparsify`` views as ``W[out, in]``, the same matrix
    ``apply_hinm`` pruned) and the bias, broadcast with ``linalg.broadcast``,
    as the accumulator. ``dtype`` ("f32" or "f16") is the element type of
    weights and inputs; results accumulate in f32 (a chained f16 layer's
    input is truncated to f16).

    ``form`` chooses how a layer is written:

    * ``"matmul"`` (default): ``linalg.matmul`` on the masked constant, the
      input of ``hinm-opt --hinm-sparsify=... --hinm-cpu-pipeline``. The pass
      prunes the constant again; a layer ``apply_hinm`` pruned carries its
      options (format and permutation) as the ``hinm.sparsify`` attribute,
      which the pass uses for it, while the seed and the search options are
      the pass's. On an already HiNM-sparse weight 2CP often, but
      not always, keeps every remaining weight (its ``report`` remark says
      "kept importance X of X" when it does); if not, the compiled layer
      drops a few more weights than the torch model.
    * ``"pack"``: ``hinm.matmul`` on a ``hinm.pack`` of the weight under the
      exact selection ``apply_hinm`` made (``module.hinm_selection``; a
      Linear layer without one raises ValueError), between
      ``linalg.transpose`` ops. Compile with ``hinm-opt --canonicalize
      --hinm-cpu-pipeline`` (no --hinm-sparsify); the program computes
      exactly the masked layers.

    With ``example_input`` (an array or tensor ``[batch, in]``), a
    ``@main()`` is added that calls the (first) function on it and prints the
    result with ``printMemrefF32`` (for ``mlir-runner -e main``).
    """
    import torch

    if dtype not in _DTYPES:
        raise ValueError(f"export_linear_mlir: dtype must be one of "
                         f"{sorted(_DTYPES)}, got {dtype!r}")
    if batch is not None and (not isinstance(batch, int) or
                              isinstance(batch, bool) or batch <= 0):
        raise ValueError(f"export_linear_mlir: batch must be a positive int "
                         f"or None (dynamic), got {batch!r}")
    if form not in ("matmul", "pack"):
        raise ValueError(f"export_linear_mlir: form must be 'matmul' or "
                         f"'pack', got {form!r}")
    np_dtype = _DTYPES[dtype]

    def emit(lines, x, module, w, b, tag):
        sel = getattr(module, "hinm_selection", None)
        if form == "matmul":
            return _emit_layer(lines, x, batch, w, b, dtype, tag,
                               sel.get("options") if sel else None)
        if sel is None:
            raise ValueError("export_linear_mlir(form='pack'): a Linear layer "
                             f"({module.out_features}x{module.in_features}) "
                             "has no HiNM selection; run apply_hinm first")
        return _emit_packed_layer(lines, x, batch, w, b, dtype, tag, sel)
    steps, chained = _linear_layers(model_or_layers)

    def weights(module):
        with torch.no_grad():
            w = _effective_weight(module).detach().to("cpu", torch.float32)
            b = None if module.bias is None else \
                module.bias.detach().to("cpu", torch.float32).numpy()
        w = w.numpy().astype(np_dtype)
        if not np.all(np.isfinite(w)) or (b is not None and
                                          not np.all(np.isfinite(b))):
            raise ValueError("export_linear_mlir: layer has NaN or infinite "
                             "parameters")
        return w, b

    lines = []
    funcs = []
    if chained:
        linears = [st[2] for st in steps if st[0] == "linear"]
        in_f = linears[0].in_features
        out_f = linears[-1].out_features
        funcs.append((name, in_f, out_f))
        lines.append(f"  func.func @{name}(%x: {_tensor([batch, in_f], dtype)})"
                     f" -> {_tensor([batch, out_f], 'f32')} {{")
        _emit_batch_dim(lines, batch, in_f, dtype)
        x, width, layer = "%x", in_f, 0
        for k, step in enumerate(steps):
            if step[0] == "relu":
                x = _emit_relu(lines, x, batch, width, f"s{k}")
                continue
            module = step[2]
            if module.in_features != width:
                raise ValueError(
                    f"export_linear_mlir: layer '{step[1]}' takes "
                    f"{module.in_features} features, the previous one gives "
                    f"{width}")
            if layer > 0:
                x = _emit_cast(lines, x, batch, width, dtype, f"s{k}")
            w, b = weights(module)
            x, _ = emit(lines, x, module, w, b, f"s{k}")
            width, layer = module.out_features, layer + 1
        lines.append(f"    return {x} : {_tensor([batch, width], 'f32')}")
        lines.append("  }")
    else:
        for i, (_, _, module) in enumerate(steps):
            fname = f"{name}_{i}"
            funcs.append((fname, module.in_features, module.out_features))
            lines.append(f"  func.func @{fname}(%x: "
                         f"{_tensor([batch, module.in_features], dtype)}) -> "
                         f"{_tensor([batch, module.out_features], 'f32')} {{")
            _emit_batch_dim(lines, batch, module.in_features, dtype)
            w, b = weights(module)
            y, t = emit(lines, "%x", module, w, b, "l0")
            lines.append(f"    return {y} : {t}")
            lines.append("  }")

    if example_input is not None:
        fname, in_f, out_f = funcs[0]
        x = example_input
        if isinstance(x, torch.Tensor):
            x = x.detach().to("cpu", torch.float32).numpy()
        x = np.asarray(x, dtype=np.float32).astype(np_dtype)
        rows = batch if batch is not None else (x.shape[0] if x.ndim == 2
                                                else -1)
        if x.shape != (rows, in_f) or rows <= 0:
            raise ValueError(f"export_linear_mlir: example_input has shape "
                             f"{x.shape}, expected "
                             f"{(batch if batch else 'B', in_f)}")
        # A dynamic-batch function is called through tensor.cast.
        x_t, y_t = _tensor([rows, in_f], dtype), _tensor([rows, out_f], "f32")
        fx_t, fy_t = _tensor([batch, in_f], dtype), _tensor([batch, out_f], "f32")
        lines.append("  func.func private @printMemrefF32(memref<*xf32>) "
                     "attributes {llvm.emit_c_interface}")
        lines.append("  func.func @main() {")
        lines.append(f"    %x0 = arith.constant dense<{_literal(x)}> : {x_t}")
        lines.append(f"    %x = tensor.cast %x0 : {x_t} to {fx_t}")
        lines.append(f"    %y0 = call @{fname}(%x) : ({fx_t}) -> {fy_t}")
        lines.append(f"    %y = tensor.cast %y0 : {fy_t} to {y_t}")
        lines.append(f"    %buf = bufferization.to_buffer %y : {y_t} to "
                     f"memref<{rows}x{out_f}xf32>")
        lines.append(f"    %u = memref.cast %buf : memref<{rows}x{out_f}xf32> "
                     f"to memref<*xf32>")
        lines.append("    call @printMemrefF32(%u) : (memref<*xf32>) -> ()")
        lines.append("    return")
        lines.append("  }")
    return "module {\n" + "\n".join(lines) + "\n}\n"


def parse_memref_print(text: str) -> np.ndarray:
    """The numbers printed by ``printMemrefF32`` (after its header line) as
    a float64 array of the printed shape."""
    import re

    head = re.search(r"sizes = \[([0-9, ]*)\]", text)
    if not head:
        raise ValueError("no printMemrefF32 output found")
    shape = [int(s) for s in head.group(1).split(",") if s.strip()]
    body = text[head.end():]
    body = body[body.index("\n") + 1:] if "\n" in body else ""
    numbers = re.findall(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|nan|inf)", body)
    values = np.array([float(v) for v in numbers], dtype=np.float64)
    if values.size != int(np.prod(shape)):
        raise ValueError(f"printMemrefF32 output has {values.size} numbers, "
                         f"expected {int(np.prod(shape))}")
    return values.reshape(shape)


__all__ = ["HiNMMasks", "apply_hinm", "export_linear_mlir",
           "parse_memref_print", "remove_hinm"]
