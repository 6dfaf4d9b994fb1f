//===- hinm-fuzz.cpp - libFuzzer target for hinm IR -----------------------===//
//
// Part of the hinm project. Feeds mutated IR through parse + verify and the
// hinm passes that are registered (sparsify, lowerings), so that malformed
// input must produce diagnostics, never crashes. Seeds: test/**/*.mlir.
// Build with -DHINM_ENABLE_FUZZER=ON and clang; see docs/reliability.md.
//
//===----------------------------------------------------------------------===//
#include "hinm/InitAll.h"
#include "hinm/Tools/InputNesting.h"
#include "hinm/Tools/LinalgArrayGuard.h"
#include "hinm/Tools/ResourceBlobGuard.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cstdint>
#include <string>

using namespace mlir;

namespace {
/// The pipelines tried on every input that parses and verifies. Entries
/// naming passes that this build does not have are skipped.
const char *const kPipelines[] = {
    "builtin.module(canonicalize)",
    "builtin.module(func.func(hinm-sparsify{vector-size=16 vector-sparsity=0.5 "
    "permute=2cp iterations=2}))",
    "builtin.module(convert-hinm-to-linalg)",
    "builtin.module(convert-hinm-to-nvgpu)",
    "builtin.module(func.func(hinm-pad-matmul-kept))",
    "builtin.module(func.func(hinm-pad-matmul-columns))",
    "builtin.module(func.func(hinm-sink-result-reshapes))",
    "builtin.module(hinm-assert-to-stderr)",
};

/// Inputs nested deeper than this are skipped: upstream's recursive parser
/// overflows the stack on a few thousand levels (more so under ASan's larger
/// frames), in stock mlir-opt too (hinm/Tools/InputNesting.h). That is not
/// hinm code, and hinm-opt refuses such input itself (at 1024 levels), so
/// the fuzzer stays on ours. The bound is far above any real IR.
constexpr int64_t kMaxNesting = 256;

/// Upstream's nvgpu.mma.sync / mma.sp.sync verifiers read mmaShape[0..2]
/// without checking its length (ODS only checks the elements are i64): an
/// mmaShape of fewer than 3 entries is an out-of-bounds read in libMLIR,
/// which a CI fuzz run found (`mmaShape = [1]`; docs/reliability.md). Such
/// modules are skipped before the verifier runs, like deep nesting.
bool hasShortMmaShape(ModuleOp module) {
  bool found = false;
  module->walk([&](Operation *op) {
    if (op->getName().getDialectNamespace() != "nvgpu")
      return;
    if (auto shape = op->getAttrOfType<ArrayAttr>("mmaShape"))
      found |= shape.size() < 3;
  });
  return found;
}

struct FuzzState {
  DialectRegistry registry;
  std::unique_ptr<MLIRContext> context;
  FuzzState() {
    registerAllPasses();
    hinm::registerAllPasses();
    hinm::registerAllPipelines();
    registerAllDialects(registry);
    registerAllExtensions(registry);
    hinm::registerAllDialects(registry);
    context = std::make_unique<MLIRContext>(registry,
                                            MLIRContext::Threading::DISABLED);
    context->loadAllAvailableDialects();
  }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FuzzState state;
  MLIRContext &ctx = *state.context;
  // Diagnostics are the expected outcome for most inputs: swallow them.
  ScopedDiagnosticHandler handler(&ctx, [](Diagnostic &) { return success(); });
  std::string text(reinterpret_cast<const char *>(data), size);
  // Input upstream's parser crashes on, which hinm-opt refuses the same way,
  // and blobs aligned to more than a page: ASan's allocator backs such an
  // alignment with real memory (2 GB for 2^31), which a release build only
  // reserves, so they would end the run as out-of-memory.
  if (hinm::findNestingOver(text, kMaxNesting) ||
      hinm::findMalformedLinalgArray(text) ||
      hinm::findResourceBlob(text, [](uint32_t alignment) {
        return alignment == 0 || alignment > 4096;
      }))
    return 0;
  for (const char *pipeline : kPipelines) {
    // Parsed unverified, so that hasShortMmaShape runs before the verifier.
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
        text, ParserConfig(&ctx, /*verifyAfterParse=*/false));
    if (!module || hasShortMmaShape(*module) || failed(verify(*module)))
      return 0;
    PassManager pm(&ctx);
    std::string errors;
    llvm::raw_string_ostream errorStream(errors);
    if (failed(parsePassPipeline(pipeline, pm, errorStream)))
      continue; // pass not in this build
    (void)pm.run(*module);
  }
  return 0;
}
