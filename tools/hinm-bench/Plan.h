//===- Plan.h - hinm-bench: plan files --------------------------*- C++ -*-===//
//
// Part of the hinm project. The plan carries compiled cases from the build
// machine (hinm-bench --emit-plan, which needs LLVM/MLIR 22) to a GPU machine
// (hinm-bench-run, which does not): plan.json with the launch records, and
// the PTX and cubin of each case next to it.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_PLAN_H
#define HINM_TOOLS_HINM_BENCH_PLAN_H

#include "CompiledCase.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace hinm {
namespace bench {

/// Plan files: plan.json + <id>.ptx (+ <id>.cubin) in `dir`.
llvm::Error writePlan(llvm::StringRef dir,
                      const std::vector<CompiledCase> &cases);
llvm::Expected<std::vector<CompiledCase>> readPlan(llvm::StringRef dir);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_PLAN_H
