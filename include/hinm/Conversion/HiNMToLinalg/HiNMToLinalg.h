//===- HiNMToLinalg.h - hinm to linalg/tensor/scf conversion ----*- C++ -*-===//
//
// Part of the hinm project. The CPU reference lowering: every hinm op becomes
// tensor code (linalg.generic, tensor, arith, scf) on the four storage
// tensors of a !hinm.matrix. docs/cpu-lowering.md describes it op by op.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_CONVERSION_HINMTOLINALG_HINMTOLINALG_H
#define HINM_CONVERSION_HINMTOLINALG_HINMTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class ConversionTarget;
class RewritePatternSet;
class TypeConverter;
} // namespace mlir

namespace hinm {

#define GEN_PASS_DECL_CONVERTHINMTOLINALG
#include "hinm/Conversion/Passes.h.inc"

/// Adds the 1:N conversion !hinm.matrix -> (values, vector index, metadata,
/// row perm) tensors, and the identity for every other type.
void populateHiNMToLinalgTypeConversion(mlir::TypeConverter &converter);

/// Adds the patterns that rewrite hinm ops into linalg/tensor/arith/scf.
void populateHiNMToLinalgConversionPatterns(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns);

/// Adds the patterns and legality rules that carry matrices across func
/// signatures, calls, returns, branches and scf control flow.
void populateHiNMToLinalgStructuralConversions(
    const mlir::TypeConverter &converter, mlir::RewritePatternSet &patterns,
    mlir::ConversionTarget &target);

} // namespace hinm

#endif // HINM_CONVERSION_HINMTOLINALG_HINMTOLINALG_H
