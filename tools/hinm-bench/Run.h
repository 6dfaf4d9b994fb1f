//===- Run.h - hinm-bench: running cases on the GPU -------------*- C++ -*-===//
//
// Part of the hinm project. Runs compiled cases on the GPU, hinm-bench's
// default mode and all of hinm-bench-run: each case's output is checked
// against the CPU reference, then timed with CUDA graphs. Also the CPU half
// alone (--prepare-only), to time the data and references without a device.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_RUN_H
#define HINM_TOOLS_HINM_BENCH_RUN_H

#include "CompiledCase.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hinm {
namespace bench {

/// Timing and check results of one case.
struct CaseResult {
  bool ran = false, checked = false, correct = false;
  /// A non-default tile configuration that does not fit this case: reported,
  /// but not a failure.
  bool skipped = false;
  std::string error;
  std::string timingMethod; // "graph" or "stream"
  std::string loadedFrom;   // "ptx" or "cubin"
  int cublasVersion = 0;    // cuBLAS cases
  double medianUs = 0, minUs = 0, p10Us = 0, p90Us = 0;
  int samples = 0;
  double maxAbsErr = 0, maxRelErr = 0;
  int64_t mismatches = 0, elements = 0;
  std::string firstMismatch;
};

struct RunOptions {
  int iters = 100;         // timed samples (graph replays)
  int graphLaunches = 20;  // launches captured per graph
  int warmup = 10;
  uint64_t seed = 1;
  int device = 0;
  std::string load = "ptx"; // ptx | cubin
  std::string cublasPath;   // explicit libcublas path
  int threads = 0;          // CPU threads for the reference (0 = all)
  bool prepareOnly = false; // data and references only, no device
  /// Called after each case with the results so far (to save partial
  /// reports: a hung kernel ends the process).
  std::function<void(const std::vector<CaseResult> &)> afterCase;
};

struct DeviceInfo {
  std::string name;
  int ccMajor = 0, ccMinor = 0, smCount = 0, driverVersion = 0;
  int64_t l2Bytes = 0;
};

/// Opens the CUDA driver and the device (in CudaDriver.cpp, with the driver
/// table). The error says what is missing (driver library, device) in words.
llvm::Expected<DeviceInfo> openDevice(const RunOptions &o);
/// Runs, checks and times every case (cases that failed to compile are
/// reported, not run). Prints progress to `log`.
std::vector<CaseResult> runCases(const std::vector<CompiledCase> &cases,
                                 const RunOptions &o, llvm::raw_ostream &log);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_RUN_H
