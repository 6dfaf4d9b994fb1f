# ===- __init__.py - the hinm Python package ------------------------------===#
#
# Part of the hinm project.
#
# ===----------------------------------------------------------------------===#
"""Hierarchical N:M (HiNM) sparsity.

``hinm`` binds the MLIR-free C++ library of the project (the storage format:
``HiNMFormat``, ``pack``, ``unpack``, ``reference_matmul``, ``verify_*``) and
drives the ``hinm-opt`` compiler as a tool (``hinm.tools``). The MLIR Python
bindings are not used: Debian's LLVM is built without them (see
docs/integration.md).
"""

from ._core import (  # noqa: F401  (re-exported API)
    HiNMFormat,
    Storage,
    kept_for_vector_sparsity,
    metadata_index,
    pack,
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
    "kept_for_vector_sparsity",
    "metadata_index",
    "pack",
    "reference_matmul",
    "tools",
    "unpack",
    "verify_metadata",
    "verify_row_perm",
    "verify_selection",
    "verify_vector_index",
]
