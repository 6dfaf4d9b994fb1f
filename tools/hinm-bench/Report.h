//===- Report.h - hinm-bench: tables and the JSON report --------*- C++ -*-===//
//
// Part of the hinm project. What the tools print: the dry-run table (ptxas
// figures and floors), the timing table with the targets of issue 5, and the
// same in JSON (--json) for scripts and later comparison.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_REPORT_H
#define HINM_TOOLS_HINM_BENCH_REPORT_H

#include "CompiledCase.h"
#include "FloorModel.h"
#include "Run.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace hinm {
namespace bench {

/// The dry-run table: kernels and ptxas figures, and the floor per case.
void printDryRun(llvm::raw_ostream &os, const std::vector<CompiledCase> &cases,
                 const Machine &m);
/// The timing table; `results` parallel to `cases`.
void printResults(llvm::raw_ostream &os, const std::vector<CompiledCase> &cases,
                  const std::vector<CaseResult> &results, const Machine &m,
                  const DeviceInfo *dev);
/// The JSON report (results may be empty for a dry run).
llvm::json::Value toJSON(const std::vector<CompiledCase> &cases,
                         const std::vector<CaseResult> &results,
                         const Machine &m, const DeviceInfo *dev,
                         llvm::StringRef mode);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_REPORT_H
