//===- PipelineStages.h - Stages shared by hinm's pipelines -----*- C++ -*-===//
//
// Part of the hinm project. Not installed.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_PIPELINES_PIPELINESTAGES_H
#define HINM_LIB_PIPELINES_PIPELINESTAGES_H

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace hinm {

/// One-shot bufferization of the whole module, function signatures
/// included (identity layouts), so programs can pass tensors, and matrices
/// as their parts, between functions. Both the CPU and the GPU pipeline
/// bufferize this way; deallocation is each pipeline's own choice.
void addWholeProgramBufferization(mlir::OpPassManager &pm);

} // namespace hinm

#endif // HINM_LIB_PIPELINES_PIPELINESTAGES_H
