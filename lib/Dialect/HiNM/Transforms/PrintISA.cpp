//===- PrintISA.cpp - write the PTX of gpu.binary ops ---------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

namespace hinm {
#define GEN_PASS_DEF_HINMPRINTISAPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;

namespace {
struct HiNMPrintISAPass
    : hinm::impl::HiNMPrintISAPassBase<HiNMPrintISAPass> {
  using Base::Base;

  void runOnOperation() override {
    std::string text;
    getOperation().walk([&](gpu::BinaryOp binary) {
      for (Attribute attr : binary.getObjects()) {
        auto object = dyn_cast<gpu::ObjectAttr>(attr);
        if (object && object.getFormat() == gpu::CompilationTarget::Assembly)
          text += object.getObject().getValue().str();
      }
    });
    if (text.empty()) {
      getOperation().emitError()
          << "no gpu.binary holds assembly (PTX): compile with format=isa";
      return signalPassFailure();
    }
    std::string errorMessage;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(output, &errorMessage);
    if (!file) {
      getOperation().emitError() << "cannot open '" << output
                                 << "': " << errorMessage;
      return signalPassFailure();
    }
    file->os() << text;
    file->keep();
    markAllAnalysesPreserved();
  }
};
} // namespace
