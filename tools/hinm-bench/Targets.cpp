//===- Targets.cpp - hinm-bench: the targets of issue 5 -------------------===//
//
// Part of the hinm project. See Targets.h.
//
//===----------------------------------------------------------------------===//
#include "Targets.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

namespace {
/// Figures measured by the project on one H100 (issue 5), weight R x K times
/// K x N.
struct IssueFigures {
  Shape shape;
  double cublas, cusparselt, spatha; // us; Spatha 64:2:8
};
const IssueFigures kIssueFigures[] = {
    {{1024, 1024, 1024}, 5.8, 7.5, 10.6},
    {{1024, 2048, 1024}, 9.3, 10.3, 17.9},
    {{1024, 4096, 1024}, 15.8, 16.1, 32.6},
    {{4096, 4096, 4096}, 193, 146, 264},
};

/// The best correct median of `variant` on `shape` over its tile
/// configurations; 0 if none.
double bestMedian(const std::vector<CompiledCase> &cases,
                  const std::vector<CaseResult> &results, const Shape &s,
                  StringRef variant, std::string &label) {
  double best = 0;
  for (size_t i = 0; i < cases.size() && i < results.size(); ++i) {
    const CaseResult &r = results[i];
    if (cases[i].variant.name != variant || cases[i].shape.str() != s.str() ||
        !r.error.empty() || !r.correct || r.medianUs <= 0)
      continue;
    if (best == 0 || r.medianUs < best) {
      best = r.medianUs;
      label = cases[i].label();
    }
  }
  return best;
}

} // namespace

std::vector<TargetRow>
hinm::bench::evaluateTargets(const std::vector<CompiledCase> &cases,
                             const std::vector<CaseResult> &results) {
  std::vector<TargetRow> rows;
  for (const IssueFigures &f : kIssueFigures) {
    std::string cubLabel, hinmLabel, spLabel;
    double cub = bestMedian(cases, results, f.shape, "cublas", cubLabel);
    double hinm = bestMedian(cases, results, f.shape, "hinm-v64-s75", hinmLabel);
    double sp = bestMedian(cases, results, f.shape, "sp24", spLabel);
    auto add = [&](std::string target, const std::string &label, double us,
                   double bound, bool strict) {
      if (us <= 0 || bound <= 0)
        return;
      TargetRow t;
      t.shape = f.shape.str();
      t.target = std::move(target);
      t.label = label;
      t.us = us;
      t.boundUs = bound;
      t.pass = strict ? us < bound : us <= bound;
      rows.push_back(std::move(t));
    };
    bool square = f.shape.rows == f.shape.k;
    if (f.shape.k == 4096 && !square)
      add("HiNM 75% V=64 <= 0.5x cuBLAS (measured)", hinmLabel, hinm, 0.5 * cub,
          false);
    if (f.shape.k == 1024)
      add("HiNM 75% V=64 < 1.0x cuBLAS (measured)", hinmLabel, hinm, cub,
          true);
    add(formatv("HiNM 75% V=64 >= 3x Spatha 64:2:8 ({0} us)", f.spatha).str(),
        hinmLabel, hinm, f.spatha / 3.0, false);
    add(formatv("2:4 <= cuSPARSELt ({0} us)", f.cusparselt).str(), spLabel, sp,
        f.cusparselt, false);
    if (cub > 0) {
      TargetRow t;
      t.shape = f.shape.str();
      t.target = formatv("cuBLAS here vs the issue's {0} us", f.cublas).str();
      t.label = cubLabel;
      t.us = cub;
      t.boundUs = f.cublas;
      t.info = true;
      rows.push_back(std::move(t));
    }
  }
  return rows;
}
