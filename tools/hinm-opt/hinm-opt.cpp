//===- hinm-opt.cpp - the hinm optimizer driver ---------------------------===//
//
// Part of the hinm project. mlir-opt plus everything of hinm: all upstream
// dialects, passes, extensions and LLVM IR translations (the GPU ones too, so
// gpu-module-to-binary can serialize NVVM modules to PTX).
//
// It runs upstream's MlirOptMain on the input buffer, after checks of its
// own for textual input that upstream's parser would crash on, refused with
// a located error: nesting deeper than kMaxNesting brackets (the recursive
// parser would overflow the stack; hinm/Tools/InputNesting.h), and a
// malformed `permutation` / `dimensions` array of linalg.transpose,
// broadcast or reduce (hinm/Tools/LinalgArrayGuard.h), and a resource blob
// declaring alignment 0 (hinm/Tools/ResourceBlobGuard.h).
//
//===----------------------------------------------------------------------===//
#include "hinm/InitAll.h"
#include "hinm/Tools/InputNesting.h"
#include "hinm/Tools/LinalgArrayGuard.h"
#include "hinm/Tools/ResourceBlobGuard.h"

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

/// A located error for textual input that upstream's parser would crash
/// on: nesting too deep, a malformed linalg dimension array
/// (hinm/Tools/LinalgArrayGuard.h) or a blob of alignment 0
/// (hinm/Tools/ResourceBlobGuard.h). Bytecode is not scanned (its bytes are
/// not text).
static bool crashesUpstreamParser(const llvm::MemoryBuffer &buffer,
                                  llvm::StringRef name) {
  if (mlir::isBytecode(buffer.getMemBufferRef()))
    return false;
  llvm::StringRef text = buffer.getBuffer();
  std::string why;
  std::optional<size_t> at = hinm::findNestingOver(text, kMaxNesting);
  if (at) {
    why = "brackets nested more than " + std::to_string(kMaxNesting) +
          " deep; hinm-opt refuses such input (upstream MLIR's recursive "
          "parser would overflow the stack)";
  } else if ((at = hinm::findMalformedLinalgArray(text))) {
    why = "'" +
          text.substr(*at)
              .take_while([](char c) { return llvm::isAlpha(c); })
              .str() +
          "' is not followed by '= [' integers ']'; hinm-opt refuses such "
          "input (upstream's linalg parser would crash on it)";
  } else if (std::optional<hinm::ResourceBlob> blob = hinm::findResourceBlob(
                 text, [](uint32_t alignment) { return alignment == 0; })) {
    at = blob->offset;
    why = "resource blob declares alignment 0 in its first four bytes; "
          "hinm-opt refuses such input (upstream's parser would abort "
          "allocating it); write the alignment as a power of two, e.g. "
          "\"0x01000000...\" for 1";
  } else {
    return false;
  }
  llvm::SourceMgr mgr;
  mgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(buffer.getMemBufferRef(),
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  auto [line, col] = mgr.getLineAndColumn(
      llvm::SMLoc::getFromPointer(text.data() + *at));
  llvm::errs() << name << ":" << line << ":" << col << ": error: " << why
               << "\n";
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
    if (crashesUpstreamParser(*input, inputName == "-" ? "<stdin>" : inputName))
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
