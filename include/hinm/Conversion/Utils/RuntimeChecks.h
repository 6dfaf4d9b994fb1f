//===- RuntimeChecks.h - run-time checks of hinm storage parts --*- C++ -*-===//
//
// Part of the hinm project. Builders of the hinm.assert checks that run-time
// storage parts (hinm.assemble of function arguments or computed tensors)
// obey the storage format of docs/format.md. The verifiers check constant
// parts at compile time; these checks cover what they cannot see. Both the
// CPU lowering (convert-hinm-to-linalg) and the host code of the GPU lowering
// (convert-hinm-to-nvgpu) call them, so the CPU run-time tests
// (test/Integration/CPU/runtime-errors.mlir) exercise the same check code the
// GPU host code runs before copying the parts to the device.
//
// All builders work on ranked static tensors and emit scf/tensor/arith ops
// (linalg.fill for scratch tables) and hinm.assert, whose message names the
// first bad entry's position and value; they bufferize with the surrounding
// host code.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_CONVERSION_UTILS_RUNTIMECHECKS_H
#define HINM_CONVERSION_UTILS_RUNTIMECHECKS_H

#include "hinm/Dialect/HiNM/IR/HiNMDialect.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Value.h"

namespace hinm {

/// Aborts at run time unless every element `e` of the integer tensor `t`
/// satisfies lo <= e < hi: loops over the elements (nothing allocated) with a
/// hinm.assert on each. The first bad element aborts with
/// "<message>: <position> is <e>, not in [lo, hi)", where `position` holds
/// one `{}` per dimension of `t` for the element's indices (e.g. "block {},
/// entry {}").
void assertAllInRange(mlir::ImplicitLocOpBuilder &b, mlir::Value t, int64_t lo,
                      int64_t hi, llvm::StringRef message,
                      llvm::StringRef position);

/// Checks the vector index tensor<B x K x i32> of a `type` matrix: entries in
/// [0, cols) ("<opName>: vector index out of range: block b, entry k is ...")
/// and distinct within each block ("<opName>: vector index repeats a column
/// within a block: block b, entry k names column c again").
/// The distinctness check uses a `cols`-entry scratch tensor, which the
/// pipelines' ownership-based deallocation frees after bufferization.
void assertVectorIndexValid(mlir::ImplicitLocOpBuilder &b,
                            mlir::Value vectorIndex, MatrixType type,
                            llvm::StringRef opName);

/// Checks the row permutation tensor<P x i32> of a `type` matrix: entries in
/// [0, P) ("<opName>: row permutation entry out of range: entry p is ...")
/// and none twice ("<opName>: row permutation repeats an entry: entries p0
/// and p1 both hold r"). Returns the inverse
/// permutation, tensor<P x i32>: inverse[r] is the storage row holding r.
mlir::Value assertRowPermValidAndInvert(mlir::ImplicitLocOpBuilder &b,
                                        mlir::Value rowPerm, MatrixType type,
                                        llvm::StringRef opName);

/// Checks the metadata tensor<P x W x i32> of a `type` matrix: every field
/// below M ("<opName>: metadata index not below M: storage row p, stored
/// element j holds ..."; emitted only when M is not a power of two, otherwise
/// a field cannot exceed M - 1) and the N positions of each group strictly
/// ascending ("<opName>: metadata positions of a group not strictly
/// ascending: storage row p, stored element j holds x after y"), which the
/// format requires and mma.sp::ordered_metadata relies on.
void assertMetadataValid(mlir::ImplicitLocOpBuilder &b, mlir::Value metadata,
                         MatrixType type, llvm::StringRef opName);

/// Whether `part` is a constant (arith.constant): hinm.assemble's and
/// hinm.pack's verifiers already checked it, so it needs no run-time check.
bool isVerifiedConstant(mlir::Value part);

} // namespace hinm

#endif // HINM_CONVERSION_UTILS_RUNTIMECHECKS_H
