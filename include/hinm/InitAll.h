//===- InitAll.h - register everything of hinm ------------------*- C++ -*-===//
//
// Part of the hinm project. One registration point shared by hinm-opt, the
// plugin, the C API and Python (the torch-mlir / CIRCT pattern).
//
//===----------------------------------------------------------------------===//
#ifndef HINM_INITALL_H
#define HINM_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace hinm {
using mlir::DialectRegistry;

/// Inserts the hinm dialect (and the dialects its ops create) into `registry`.
void registerAllDialects(DialectRegistry &registry);
/// Registers hinm's passes and conversions with the global pass registry.
void registerAllPasses();
/// Registers hinm's one-flag pipelines (--hinm-cpu-pipeline, ...).
void registerAllPipelines();

} // namespace hinm

#endif // HINM_INITALL_H
