//===- PrintISA.cpp - write the PTX of gpu.binary ops ---------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

namespace hinm {
#define GEN_PASS_DEF_HINMPRINTISAPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;

namespace {
/// One PTX module and the name of the file it gets with `split`.
struct PtxText {
  std::string fileName;
  StringRef text;
};

struct HiNMPrintISAPass
    : hinm::impl::HiNMPrintISAPassBase<HiNMPrintISAPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    if (split && output == "-")
      return emitError(UnknownLoc::get(ctx))
             << "hinm-print-isa: split writes one file per PTX module: give "
                "output a directory, not '-'";
    return success();
  }

  /// An error at the module's location, without the module printed after
  /// it (as an error on the op itself would).
  InFlightDiagnostic error() { return emitError(getOperation().getLoc()); }

  void runOnOperation() override {
    SmallVector<PtxText> modules;
    getOperation().walk([&](gpu::BinaryOp binary) {
      SmallVector<StringRef> texts;
      for (Attribute attr : binary.getObjects()) {
        auto object = dyn_cast<gpu::ObjectAttr>(attr);
        if (object && object.getFormat() == gpu::CompilationTarget::Assembly)
          texts.push_back(object.getObject().getValue());
      }
      for (auto [i, text] : llvm::enumerate(texts)) {
        std::string name = binary.getSymName().str();
        if (texts.size() > 1)
          name += "." + std::to_string(i);
        modules.push_back({name + ".ptx", text});
      }
    });
    if (modules.empty()) {
      error() << "no gpu.binary holds assembly (PTX): compile with format=isa";
      return signalPassFailure();
    }
    if (split ? failed(writeSplit(modules)) : failed(writeAll(modules)))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }

  /// Writes `text` to `path`; false (after an error) if it cannot.
  bool write(StringRef path, ArrayRef<StringRef> texts) {
    std::string errorMessage;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(path, &errorMessage);
    if (!file) {
      error() << "cannot open '" << path << "': " << errorMessage;
      return false;
    }
    for (StringRef text : texts)
      file->os() << text;
    file->keep();
    return true;
  }

  /// Every module, one after the other, to `output`.
  LogicalResult writeAll(ArrayRef<PtxText> modules) {
    SmallVector<StringRef> texts;
    for (const PtxText &m : modules)
      texts.push_back(m.text);
    return success(write(output, texts));
  }

  /// Each module to its own file in the directory `output`.
  LogicalResult writeSplit(ArrayRef<PtxText> modules) {
    if (std::error_code ec = llvm::sys::fs::create_directories(output)) {
      error() << "cannot create the directory '" << output
              << "': " << ec.message();
      return failure();
    }
    for (const PtxText &m : modules) {
      SmallString<256> path(output);
      llvm::sys::path::append(path, m.fileName);
      if (!write(path, {m.text}))
        return failure();
    }
    return success();
  }
};
} // namespace
