//===- HiNMDialect.h - hinm dialect -----------------------------*- C++ -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_DIALECT_HINM_IR_HINMDIALECT_H
#define HINM_DIALECT_HINM_IR_HINMDIALECT_H

#include "hinm/Algorithm/Format.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "hinm/Dialect/HiNM/IR/HiNMDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "hinm/Dialect/HiNM/IR/HiNMAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "hinm/Dialect/HiNM/IR/HiNMTypes.h.inc"

namespace hinm {
/// Discardable attribute (i64) of a hinm.matmul with a dynamic N: N is a
/// multiple of this value at run time, because hinm-pad-matmul-columns
/// padded the activations. The GPU lowering then skips its N check.
inline constexpr llvm::StringLiteral kNMultipleOfAttrName =
    "hinm.n_multiple_of";
/// Discardable unit attribute a user (or a front end) puts on a linalg
/// product or convolution that hinm-sparsify must leave dense, as pruning
/// practice keeps the first and last layers of a network.
inline constexpr llvm::StringLiteral kKeepDenseAttrName = "hinm.keep_dense";
/// Discardable dictionary attribute on a linalg product or convolution: the
/// format and permutation hinm-sparsify uses for this op instead of its
/// pass options (`vector_size`, `n`, `m`: integers; `vector_sparsity`: a
/// float; `permute`: "none", "ocp", "ivp" or "2cp"), as pruning practice
/// gives layers different sparsities. The dialect verifies its keys and
/// types; the pass, the values combined with its own options.
inline constexpr llvm::StringLiteral kSparsifyAttrName = "hinm.sparsify";
} // namespace hinm

#endif // HINM_DIALECT_HINM_IR_HINMDIALECT_H
