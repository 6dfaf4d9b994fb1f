//===- Passes.td - hinm conversion passes ------------------*- tablegen -*-===//
//
// Part of the hinm project. One folder per conversion, as upstream:
// lib/Conversion/HiNMToLinalg (CPU reference), lib/Conversion/HiNMToNVGPU
// (GPU code generation).
//
//===----------------------------------------------------------------------===//
#ifndef HINM_CONVERSION_PASSES_TD
#define HINM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

#endif // HINM_CONVERSION_PASSES_TD
