//===- Report.cpp - hinm-bench: tables and the JSON report ----------------===//
//
// Part of the hinm project. See Report.h.
//
//===----------------------------------------------------------------------===//
#include "Report.h"

#include "JSONForms.h"
#include "Targets.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

static std::string formatName(const CompiledCase &c) {
  if (c.variant.isCuBLAS())
    return c.variant.f16Out ? "dense f16 out" : "dense f32 out";
  return formatv("V{0} kept {1}/{2}", c.format.vectorSize, c.format.kept,
                 c.shape.k)
      .str();
}

/// The reason of a pipeline failure in one line.
static StringRef briefError(StringRef error) {
  StringRef key = "cannot be lowered to the GPU kernel: ";
  size_t pos = error.find(key);
  if (pos != StringRef::npos)
    return error.substr(pos + key.size()).split('\n').first;
  return error.split('\n').first;
}

void hinm::bench::printDryRun(raw_ostream &os,
                              const std::vector<CompiledCase> &cases,
                              const Machine &m) {
  os << "== kernels (ptxas -v)\n";
  for (const CompiledCase &c : cases) {
    if (c.variant.isCuBLAS())
      continue;
    if (!c.error.empty()) {
      os << formatv("{0,-16} {1,-28} {2}: {3}\n", c.shape.str(), c.label(),
                    c.tiles.empty() ? "ERROR" : "SKIPPED",
                    c.tiles.empty() ? StringRef(c.error) : briefError(c.error));
      continue;
    }
    for (const KernelLaunch &k : c.kernels) {
      os << formatv("{0,-16} {1,-28} {2,-20} grid {3}x{4}x{5} block {6}: ",
                    c.shape.str(), c.label(), k.name, k.grid[0],
                    k.grid[1], k.grid[2], k.block[0] * k.block[1] * k.block[2]);
      if (!k.ptxas.valid) {
        os << "no ptxas figures\n";
        continue;
      }
      os << formatv("{0} registers, {1} bytes smem, {2} bytes stack, {3} "
                    "bytes spill stores, {4} bytes spill loads\n",
                    k.ptxas.registers, k.ptxas.sharedBytes, k.ptxas.stackBytes,
                    k.ptxas.spillStores, k.ptxas.spillLoads);
    }
  }
  os << formatv("== floor model: HBM {0:F2} TB/s, dense FP16 {1:F0} TFLOP/s, "
                "2:4 sparse {2:F0} TFLOP/s\n",
                m.hbmBytesPerSec / 1e12, m.denseFlopsPerSec / 1e12,
                m.sparseFlopsPerSec / 1e12);
  os << formatv("{0,-16} {1,-28} {2,-20} {3,10} {4,10} {5,10} {6,10} {7,9} "
                "{8,9} {9,9} {10}\n",
                "shape", "variant", "format", "W MB", "meta+idx MB", "X MB",
                "Y MB", "mem us", "math us", "floor us", "bound");
  for (const CompiledCase &c : cases) {
    if (!c.error.empty())
      continue;
    Floor f = floorFor(c.shape, c.variant, c.format, m);
    os << formatv("{0,-16} {1,-28} {2,-20} {3,10:F3} {4,10:F3} {5,10:F3} "
                  "{6,10:F3} {7,9:F2} {8,9:F2} {9,9:F2} {10}\n",
                  c.shape.str(), c.label(), formatName(c),
                  f.weightBytes / 1e6, (f.metaBytes + f.indexBytes) / 1e6,
                  f.xBytes / 1e6, f.outBytes / 1e6, f.memorySeconds * 1e6,
                  f.mathSeconds * 1e6, f.seconds() * 1e6, f.bound());
  }
}

/// The cuBLAS (FP32 out) median of a shape, 0 if none.
static double cublasMedian(const std::vector<CompiledCase> &cases,
                           const std::vector<CaseResult> &results,
                           const Shape &s) {
  for (size_t i = 0; i < cases.size() && i < results.size(); ++i)
    if (cases[i].variant.isCuBLAS() && !cases[i].variant.f16Out &&
        cases[i].shape.str() == s.str() && results[i].error.empty() &&
        results[i].medianUs > 0)
      return results[i].medianUs;
  return 0;
}

void hinm::bench::printResults(raw_ostream &os,
                               const std::vector<CompiledCase> &cases,
                               const std::vector<CaseResult> &results,
                               const Machine &m, const DeviceInfo *dev) {
  if (dev)
    os << formatv("== results on {0} (sm_{1}{2}, {3} SMs), driver {4}\n",
                  dev->name, dev->ccMajor, dev->ccMinor, dev->smCount,
                  dev->driverVersion);
  os << formatv("{0,-16} {1,-28} {2,10} {3,19} {4,9} {5,9} {6,9} {7,8} "
                "{8,10} {9}\n",
                "shape", "variant", "median us", "p10..p90 us", "vs cuBLAS",
                "TFLOP/s", "floor us", "x floor", "max err", "check");
  for (size_t i = 0; i < cases.size() && i < results.size(); ++i) {
    const CompiledCase &c = cases[i];
    const CaseResult &r = results[i];
    os << formatv("{0,-16} {1,-28} ", c.shape.str(), c.label());
    if (r.skipped) {
      os << "skipped: " << briefError(r.error) << "\n";
      continue;
    }
    if (!r.error.empty() || r.medianUs <= 0) {
      std::string e = r.error.empty() ? "no timing" : r.error;
      os << "FAILED: " << StringRef(e).split('\n').first << "\n";
      continue;
    }
    double base = cublasMedian(cases, results, c.shape);
    Floor f = floorFor(c.shape, c.variant, c.format, m);
    std::string ratio = base > 0 ? formatv("{0:F2}x", r.medianUs / base).str()
                                 : std::string("-");
    os << formatv("{0,10:F2} {1,8:F2}..{2,-9:F2} {3,9} {4,9:F1} {5,9:F2} "
                  "{6,8:F2} {7,10:E2} {8}\n",
                  r.medianUs, r.p10Us, r.p90Us, ratio,
                  c.shape.denseFlops() / (r.medianUs * 1e-6) / 1e12,
                  f.seconds() * 1e6, r.medianUs / (f.seconds() * 1e6),
                  r.maxAbsErr, r.correct ? "ok" : "MISMATCH " + r.firstMismatch);
  }
  std::vector<TargetRow> targets = evaluateTargets(cases, results);
  if (targets.empty())
    return;
  os << "== targets of issue 5 (best tile configuration of each variant; "
        "only checked-correct results count)\n";
  os << formatv("{0,-16} {1,-44} {2,-26} {3,9} {4,9} {5}\n", "shape",
                "target", "ours", "us", "bound us", "result");
  for (const TargetRow &t : targets)
    os << formatv("{0,-16} {1,-44} {2,-26} {3,9:F2} {4,9:F2} {5}\n", t.shape,
                  t.target, t.label, t.us, t.boundUs,
                  t.info ? formatv("(info) {0:F2}x", t.us / t.boundUs).str()
                         : std::string(t.pass ? "PASS" : "FAIL"));
}

json::Value hinm::bench::toJSON(const std::vector<CompiledCase> &cases,
                                const std::vector<CaseResult> &results,
                                const Machine &m, const DeviceInfo *dev,
                                StringRef mode) {
  json::Array arr;
  for (size_t i = 0; i < cases.size(); ++i) {
    const CompiledCase &c = cases[i];
    Floor f = floorFor(c.shape, c.variant, c.format, m);
    json::Object o{
        {"shape",
         json::Object{
             {"rows", c.shape.rows}, {"k", c.shape.k}, {"n", c.shape.n}}},
        {"variant", c.variant.name},
        {"label", c.label()},
        {"dense_flops", c.shape.denseFlops()},
        {"floor",
         json::Object{{"weight_bytes", f.weightBytes},
                      {"metadata_bytes", f.metaBytes},
                      {"index_bytes", f.indexBytes},
                      {"x_bytes", f.xBytes},
                      {"out_bytes", f.outBytes},
                      {"memory_us", f.memorySeconds * 1e6},
                      {"math_us", f.mathSeconds * 1e6},
                      {"floor_us", f.seconds() * 1e6},
                      {"bound", f.bound()}}}};
    if (!c.variant.isCuBLAS()) {
      o["format"] = formatJSON(c.format);
      o["pipeline"] = c.pipeline;
      o["tiles"] = c.tiles;
      o["chip"] = c.chip;
      o["compile_seconds"] = c.compileSeconds;
      json::Array ks;
      for (const KernelLaunch &k : c.kernels)
        ks.push_back(launchJSON(k));
      o["kernels"] = std::move(ks);
    }
    if (!c.error.empty())
      o["compile_error"] = c.error;
    if (i < results.size()) {
      const CaseResult &r = results[i];
      json::Object ro{{"ran", r.ran}, {"checked", r.checked},
                      {"correct", r.correct}, {"skipped", r.skipped}};
      if (!r.error.empty())
        ro["error"] = r.error;
      if (r.checked) {
        ro["max_abs_err"] = std::isinf(r.maxAbsErr) ? -1.0 : r.maxAbsErr;
        ro["max_rel_err"] = std::isinf(r.maxRelErr) ? -1.0 : r.maxRelErr;
        ro["mismatches"] = r.mismatches;
        ro["elements"] = r.elements;
        if (!r.firstMismatch.empty())
          ro["first_mismatch"] = r.firstMismatch;
      }
      if (!r.loadedFrom.empty())
        ro["loaded_from"] = r.loadedFrom;
      if (r.cublasVersion)
        ro["cublas_version"] = r.cublasVersion;
      if (r.samples > 0) {
        double base = cublasMedian(cases, results, c.shape);
        ro["timing_method"] = r.timingMethod;
        ro["samples"] = r.samples;
        ro["median_us"] = r.medianUs;
        ro["min_us"] = r.minUs;
        ro["p10_us"] = r.p10Us;
        ro["p90_us"] = r.p90Us;
        ro["tflops_effective"] =
            c.shape.denseFlops() / (r.medianUs * 1e-6) / 1e12;
        ro["x_floor"] = r.medianUs / (f.seconds() * 1e6);
        // The floor's compulsory bytes over the measured time.
        ro["floor_bytes_gbps"] = f.totalBytes() / (r.medianUs * 1e-6) / 1e9;
        if (base > 0)
          ro["ratio_vs_cublas"] = r.medianUs / base;
      }
      o["result"] = std::move(ro);
    }
    arr.push_back(std::move(o));
  }
  json::Array targets;
  for (const TargetRow &t : evaluateTargets(cases, results))
    targets.push_back(json::Object{{"shape", t.shape},
                                   {"target", t.target},
                                   {"label", t.label},
                                   {"us", t.us},
                                   {"bound_us", t.boundUs},
                                   {"info", t.info},
                                   {"pass", t.pass}});
  json::Object top{{"tool", "hinm-bench"},
                   {"targets", std::move(targets)},
                   {"mode", mode},
                   {"machine_model",
                    json::Object{{"hbm_bytes_per_sec", m.hbmBytesPerSec},
                                 {"dense_flops_per_sec", m.denseFlopsPerSec},
                                 {"sparse_flops_per_sec", m.sparseFlopsPerSec}}},
                   {"cases", std::move(arr)}};
  if (dev)
    top["device"] = json::Object{
        {"name", dev->name},
        {"compute_capability",
         std::to_string(dev->ccMajor) + "." + std::to_string(dev->ccMinor)},
        {"multiprocessors", dev->smCount},
        {"l2_bytes", dev->l2Bytes},
        {"driver_version", dev->driverVersion}};
  return top;
}
