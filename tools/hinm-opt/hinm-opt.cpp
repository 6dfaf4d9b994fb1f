//===- hinm-opt.cpp - the hinm optimizer driver ---------------------------===//
//
// Part of the hinm project. mlir-opt plus everything of hinm: all upstream
// dialects, passes, extensions and LLVM IR translations (the GPU ones too, so
// gpu-module-to-binary can serialize NVVM modules to PTX).
//
// It runs upstream's MlirOptMain on the input buffer, after one check of its
// own: textual input nested deeper than kMaxNesting brackets is refused with
// a located error, because upstream's recursive parser would overflow the
// stack on it (hinm/Tools/InputNesting.h).
//
//===----------------------------------------------------------------------===//
#include "hinm/InitAll.h"
#include "hinm/Tools/InputNesting.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

/// Deepest bracket nesting accepted. Release builds of upstream's parser
/// overflow an 8 MB stack between 2,000 and 4,000 nested regions (two
/// brackets each) and between 8,000 and 14,000 nested `[` (measured, see
/// docs/reliability.md); real IR stays below 100.
static constexpr int64_t kMaxNesting = 1024;

/// A located error for textual input that nests too deep; bytecode is not
/// scanned (its bytes are not brackets).
static bool nestsTooDeep(const llvm::MemoryBuffer &buffer,
                         llvm::StringRef name) {
  if (mlir::isBytecode(buffer.getMemBufferRef()))
    return false;
  llvm::StringRef text = buffer.getBuffer();
  std::optional<size_t> at = hinm::findNestingOver(text, kMaxNesting);
  if (!at)
    return false;
  llvm::SourceMgr mgr;
  mgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(buffer.getMemBufferRef(),
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  auto [line, col] = mgr.getLineAndColumn(
      llvm::SMLoc::getFromPointer(text.data() + *at));
  llvm::errs() << name << ":" << line << ":" << col
               << ": error: brackets nested more than " << kMaxNesting
               << " deep; hinm-opt refuses such input (upstream MLIR's "
                  "recursive parser would overflow the stack)\n";
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::registerAllPasses();
  hinm::registerAllPasses();
  hinm::registerAllPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  hinm::registerAllDialects(registry);

  auto [inputName, outputName] = mlir::registerAndParseCLIOptions(
      argc, argv, "hinm optimizer driver: MLIR plus HiNM sparsity\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input;
  // --show-dialects and --list-passes need no input.
  if (config.shouldShowDialects() || config.shouldListPasses()) {
    input = llvm::MemoryBuffer::getMemBuffer("");
  } else {
    input = mlir::openInputFile(inputName, &error);
    if (!input) {
      llvm::errs() << error << "\n";
      return 1;
    }
    if (nestsTooDeep(*input, inputName == "-" ? "<stdin>" : inputName))
      return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputName, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
