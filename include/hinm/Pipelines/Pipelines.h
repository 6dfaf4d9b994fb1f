//===- Pipelines.h - hinm pass pipelines ------------------------*- C++ -*-===//
//
// Part of the hinm project. Registration of the end-to-end pipelines.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_PIPELINES_PIPELINES_H
#define HINM_PIPELINES_PIPELINES_H

namespace hinm {

/// Registers --hinm-gpu-pipeline (hinm.matmul to a gpu.binary + host code).
void registerHiNMGPUPipeline();

} // namespace hinm

#endif // HINM_PIPELINES_PIPELINES_H
