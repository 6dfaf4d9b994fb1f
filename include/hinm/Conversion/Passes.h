//===- Passes.h - hinm conversion passes ------------------------*- C++ -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_CONVERSION_PASSES_H
#define HINM_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace hinm {

#define GEN_PASS_DECL
#include "hinm/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "hinm/Conversion/Passes.h.inc"

} // namespace hinm

#endif // HINM_CONVERSION_PASSES_H
