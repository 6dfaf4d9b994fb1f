//===- Passes.h - hinm transformation passes --------------------*- C++ -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_DIALECT_HINM_TRANSFORMS_PASSES_H
#define HINM_DIALECT_HINM_TRANSFORMS_PASSES_H

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace hinm {

#define GEN_PASS_DECL
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"

} // namespace hinm

#endif // HINM_DIALECT_HINM_TRANSFORMS_PASSES_H
