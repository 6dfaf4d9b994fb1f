//===- RunCases.cpp - hinm-bench: running cases on the GPU ----------------===//
//
// Part of the hinm project. See Run.h. The loop over the cases: data, device
// run, progress lines; a sticky CUDA error resets the context so that the
// next case starts clean.
//
//===----------------------------------------------------------------------===//
#include "Run.h"

#include "CaseData.h"
#include "CaseRunner.h"
#include "CudaDriver.h"

#include "llvm/Support/FormatVariadic.h"

#include <chrono>
#include <optional>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

std::vector<CaseResult>
hinm::bench::runCases(const std::vector<CompiledCase> &cases,
                      const RunOptions &o, raw_ostream &log) {
  std::vector<CaseResult> results(cases.size());
  CaseDataCache dataCache(o.seed, o.threads);
  for (size_t i = 0; i < cases.size(); ++i) {
    const CompiledCase &c = cases[i];
    CaseResult &res = results[i];
    if (!c.error.empty()) {
      res.error = c.error;
      res.skipped = !c.tiles.empty();
      log << c.shape.str() << " " << c.label()
          << (res.skipped ? ": skipped (tile configuration does not fit)\n"
                          : ": not run (compile error)\n");
      if (o.afterCase)
        o.afterCase(results);
      continue;
    }
    if (!api().ready && !o.prepareOnly) {
      res.error = "no usable CUDA context (reset after an earlier error "
                  "failed)";
      if (o.afterCase)
        o.afterCase(results);
      continue;
    }
    const Shape &s = c.shape;
    std::string err;
    HiNMFormat fmt = c.variant.formatFor(s, err);
    if (!c.variant.isCuBLAS() && !(fmt == c.format))
      err = "the plan's format differs from this tool's for " + c.variant.name;
    if (!err.empty()) {
      res.error = err;
      continue;
    }
    auto t0 = std::chrono::steady_clock::now();
    const CaseData *data = dataCache.get(c, fmt, err);
    if (!data) {
      res.error = err;
      continue;
    }
    double prepSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    if (o.prepareOnly) {
      log << formatv("{0,-16} {1,-28} data and reference ready in {2:F1} s\n",
                     s.str(), c.label(), prepSeconds);
      continue;
    }
    std::optional<CaseFailure> fail = runOnDevice(c, *data, o, res, log);
    if (fail) {
      res.error = fail->text;
      if (fail->sticky) {
        log << "  note: sticky CUDA error; resetting the context\n";
        api().resetContext();
      }
    }
    log << formatv("{0,-16} {1,-28} ", s.str(), c.label());
    if (!res.error.empty())
      log << "FAILED: " << res.error << "\n";
    else
      log << formatv("median {0,9:F2} us  check {1} (max err {2:E2})  "
                     "[data {3:F1} s]\n",
                     res.medianUs, res.correct ? "ok" : "MISMATCH",
                     res.maxAbsErr, prepSeconds);
    log.flush();
    if (o.afterCase)
      o.afterCase(results);
  }
  return results;
}
