//===- Pipelines.h - hinm one-flag pipelines --------------------*- C++ -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_PIPELINES_PIPELINES_H
#define HINM_PIPELINES_PIPELINES_H

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace hinm {

/// Adds the passes of --hinm-cpu-pipeline to `pm` (anchored on the module):
/// hinm -> linalg, bufferization, loops, LLVM dialect for the host CPU.
void buildHiNMCPUPipeline(mlir::OpPassManager &pm);

/// Registers --hinm-cpu-pipeline.
void registerHiNMCPUPipeline();

/// Registers --hinm-gpu-pipeline (hinm.matmul to a gpu.binary + host code).
void registerHiNMGPUPipeline();

} // namespace hinm

#endif // HINM_PIPELINES_PIPELINES_H
