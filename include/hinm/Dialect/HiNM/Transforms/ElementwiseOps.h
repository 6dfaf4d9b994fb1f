//===- ElementwiseOps.h - linalg ops that act element by element -*- C++
//-*-===//
//
// Part of the hinm project. The test shared by the passes that move
// elementwise linalg ops next to a hinm.matmul: hinm-pad-matmul-columns runs
// them on padded results, convert-hinm-to-nvgpu fuses them into the kernel.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_DIALECT_HINM_TRANSFORMS_ELEMENTWISEOPS_H
#define HINM_DIALECT_HINM_TRANSFORMS_ELEMENTWISEOPS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace hinm {

/// Whether `lop` maps the 2-D tensor `chained` element by element to a
/// result of the same shape: tensor semantics, one output, two parallel
/// loops, `chained` read (only) through the identity map, the output written
/// through it and never read (`outs` only gives the shape), and a body of
/// side-effect-free `arith`/`math` ops on scalars, without regions (no
/// `linalg.index`, which needs the loop nest). The op's other inputs are
/// not checked: each caller accepts its own kinds.
bool isElementwiseOn(mlir::linalg::LinalgOp lop, mlir::Value chained);

/// Whether the body of `lop` can be cloned anywhere a scalar computation
/// can run (a GPU thread): side-effect-free `arith`/`math` ops on scalars,
/// without regions (no `linalg.index`), yielding one value.
bool hasScalarBody(mlir::linalg::LinalgOp lop);

} // namespace hinm

#endif // HINM_DIALECT_HINM_TRANSFORMS_ELEMENTWISEOPS_H
