//===- hinm-bench-run.cpp - run a hinm-bench plan on the GPU --------------===//
//
// Part of the hinm project. Runs the cases of a plan written by
// `hinm-bench --emit-plan=DIR` (PTX, cubins, launch records) on the GPU:
// cuBLAS and our kernels, the full check against hinm::referenceMatmul, and
// CUDA-graph timing. It links neither MLIR nor the LLVM shared library, so
// it runs on GPU machines without LLVM 22; scripts/gpu-bench.sh uses it.
//
//===----------------------------------------------------------------------===//
#include "Cases.h"
#include "JSONForms.h"
#include "Options.h"
#include "Plan.h"
#include "Report.h"
#include "Run.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

#include <cstdint>
#include <sys/random.h>

using namespace hinm;
using namespace hinm::bench;

// LLVM's Support library, linked statically here, calls arc4random, which
// glibc has only since 2.36. Defining it keeps the runner loadable on GPU
// images with an older glibc (2.34 is then the minimum); the runner needs no
// cryptographic randomness (Support uses it for temporary file names).
extern "C" uint32_t arc4random(void) noexcept {
  uint32_t v = 0;
  if (getrandom(&v, sizeof(v), 0) != static_cast<ssize_t>(sizeof(v)))
    v = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&v) * 2654435761u);
  return v;
}

static llvm::cl::OptionCategory runCategory("hinm-bench-run options");
static llvm::cl::opt<std::string>
    planDir("plan", llvm::cl::desc("Plan folder from hinm-bench --emit-plan"),
            llvm::cl::value_desc("dir"), llvm::cl::Required,
            llvm::cl::cat(runCategory));

static int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "hinm-bench-run") << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  llvm::cl::HideUnrelatedOptions(
      {&runCategory,
       &const_cast<llvm::cl::OptionCategory &>(optionCategory())});
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "hinm-bench-run: run a hinm-bench plan on the GPU (--shapes and "
      "--variants select cases of the plan; default all)\n");

  auto runOpts = runOptionsFromFlags();
  if (!runOpts)
    return fail(toString(runOpts.takeError()));
  auto machine = machineFromFlags();
  if (!machine)
    return fail(toString(machine.takeError()));
  auto planned = readPlan(planDir);
  if (!planned)
    return fail(toString(planned.takeError()));

  // Optional filters.
  llvm::StringSet<> shapeSet, variantSet;
  if (!shapesFlag().empty()) {
    auto shapes = parseShapes(shapesFlag());
    if (!shapes)
      return fail(toString(shapes.takeError()));
    for (const Shape &s : *shapes)
      shapeSet.insert(s.str());
  }
  if (!variantsFlag().empty()) {
    auto variants = parseVariants(variantsFlag());
    if (!variants)
      return fail(toString(variants.takeError()));
    for (const Variant &v : *variants)
      variantSet.insert(v.name);
  }
  std::vector<CompiledCase> cases;
  for (CompiledCase &c : *planned)
    if ((shapeSet.empty() || shapeSet.contains(c.shape.str())) &&
        (variantSet.empty() || variantSet.contains(c.variant.name)))
      cases.push_back(std::move(c));
  if (cases.empty())
    return fail("no case of the plan matches --shapes/--variants");

  if (runOpts->prepareOnly) {
    runCases(cases, *runOpts, llvm::outs());
    return 0;
  }
  auto dev = openDevice(*runOpts);
  if (!dev)
    return fail(toString(dev.takeError()));
  llvm::outs() << llvm::formatv("device: {0} (sm_{1}{2}, {3} SMs, L2 {4} MB), "
                                "driver {5}\n",
                                dev->name, dev->ccMajor, dev->ccMinor,
                                dev->smCount, dev->l2Bytes >> 20,
                                dev->driverVersion);
  llvm::outs() << "== running " << cases.size()
               << " cases (checking every output against "
                  "hinm::referenceMatmul, then timing)\n";
  if (!jsonFlag().empty())
    runOpts->afterCase = [&](const std::vector<CaseResult> &partial) {
      llvm::consumeError(writeJSON(
          jsonFlag(), toJSON(cases, partial, *machine, &*dev, "gpu")));
    };
  std::vector<CaseResult> results = runCases(cases, *runOpts, llvm::outs());
  printResults(llvm::outs(), cases, results, *machine, &*dev);
  if (!jsonFlag().empty())
    if (llvm::Error e = writeJSON(
            jsonFlag(), toJSON(cases, results, *machine, &*dev, "gpu")))
      return fail(toString(std::move(e)));
  for (const CaseResult &r : results)
    if (!r.skipped && (!r.error.empty() || !r.correct))
      return 1;
  return 0;
}
