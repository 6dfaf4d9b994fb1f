//===- Targets.h - hinm-bench: the targets of issue 5 -----------*- C++ -*-===//
//
// Part of the hinm project. Issue 5 sets targets for the HiNM kernel against
// cuBLAS (measured in the same run) and against the figures the issue quotes
// for cuSPARSELt and Spatha; a run reports each as PASS or FAIL.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_TARGETS_H
#define HINM_TOOLS_HINM_BENCH_TARGETS_H

#include "CompiledCase.h"
#include "Run.h"

#include <string>
#include <vector>

namespace hinm {
namespace bench {

/// One target of issue 5 evaluated on the results (or an informative
/// comparison with the figures).
struct TargetRow {
  std::string shape, target, label;
  double us = 0, boundUs = 0;
  bool info = false; // a comparison, not a pass/fail target
  bool pass = false;
};
/// The targets on the shapes it names, from the best correct result
/// of each variant over its tile configurations.
std::vector<TargetRow> evaluateTargets(const std::vector<CompiledCase> &cases,
                                       const std::vector<CaseResult> &results);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_TARGETS_H
