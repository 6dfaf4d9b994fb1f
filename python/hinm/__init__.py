# ===- __init__.py - the hinm Python package ------------------------------===#
#
# Part of the hinm project.
#
# ===----------------------------------------------------------------------===#
"""Hierarchical N:M (HiNM) sparsity.

``hinm`` binds the MLIR-free C++ library of the project -- the storage format
(``HiNMFormat``, ``Storage``, ``pack``, ``unpack``, ``reference_matmul``,
``verify_*``) and pruning with channel permutation (``prune``, ``efficacy``,
``format_for``; permutations none, ocp, ivp, 2cp; ``price_stripes``, the
pricing of an LP bound on the best 2:4 stripes; ``has_lp_solver``, whether
the search option ``ivp_lp`` can run) -- and drives the
``hinm-opt`` compiler as a tool (``hinm.tools``). ``hinm.torch`` (imported on
demand, needs PyTorch) prunes ``nn.Linear``/``nn.Conv{1,2,3}d`` weights with fixed
masks (``apply_hinm``) and exports linear layers as MLIR for
``hinm-opt --hinm-sparsify`` (``export_linear_mlir``).

    storage, info = hinm.prune(w, vector_size=32, vector_sparsity=0.5,
                               n=2, m=4, permute="2cp", seed=0)
    info["mask"]                       # bool [rows, cols], True = kept
    hinm.efficacy(w)["efficacy"]       # {"none": 0.0, "ocp": .., "2cp": ..}

The MLIR Python bindings are not used: Debian's LLVM is built without them (see
docs/integration.md).
"""

from ._core import (  # noqa: F401  (re-exported API)
    HiNMFormat,
    Storage,
    efficacy,
    format_for,
    has_lp_solver,
    kept_for_vector_sparsity,
    metadata_index,
    pack,
    price_stripes,
    prune,
    reference_matmul,
    unpack,
    verify_metadata,
    verify_row_perm,
    verify_selection,
    verify_vector_index,
)
from . import tools  # noqa: F401

__all__ = [
    "HiNMFormat",
    "Storage",
    "efficacy",
    "format_for",
    "has_lp_solver",
    "kept_for_vector_sparsity",
    "metadata_index",
    "pack",
    "price_stripes",
    "prune",
    "reference_matmul",
    "tools",
    "unpack",
    "verify_metadata",
    "verify_row_perm",
    "verify_selection",
    "verify_vector_index",
]
