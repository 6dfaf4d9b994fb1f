//===- CaseRunner.h - hinm-bench: one case on the device --------*- C++ -*-===//
//
// Part of the hinm project. Runs one case on the device that openDevice
// opened: uploads its data, loads the kernels (or makes a cuBLAS handle),
// launches once and checks the output, then times CUDA-graph replays.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_CASE_RUNNER_H
#define HINM_TOOLS_HINM_BENCH_CASE_RUNNER_H

#include "CaseData.h"
#include "CompiledCase.h"
#include "Run.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

namespace hinm {
namespace bench {

/// Error out of the GPU part of one case (CUDA call failed).
struct CaseFailure {
  std::string text;
  bool sticky = false;
};

/// Runs case `c` on data `d` and fills `res`. A failure with `sticky` set has
/// left the context unusable (CudaApi::resetContext before the next case).
std::optional<CaseFailure> runOnDevice(const CompiledCase &c,
                                       const CaseData &d, const RunOptions &o,
                                       CaseResult &res, llvm::raw_ostream &log);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_CASE_RUNNER_H
