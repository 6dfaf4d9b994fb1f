//===- HiNMOps.h - hinm operations ------------------------------*- C++ -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_DIALECT_HINM_IR_HINMOPS_H
#define HINM_DIALECT_HINM_IR_HINMOPS_H

#include "hinm/Dialect/HiNM/IR/HiNMDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "hinm/Dialect/HiNM/IR/HiNMOps.h.inc"

#endif // HINM_DIALECT_HINM_IR_HINMOPS_H
