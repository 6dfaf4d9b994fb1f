//===- hinm-opt.cpp - the hinm optimizer driver ---------------------------===//
//
// Part of the hinm project. mlir-opt plus everything of hinm: all upstream
// dialects, passes, extensions and LLVM IR translations (the GPU ones too, so
// gpu-module-to-binary can serialize NVVM modules to PTX).
//
//===----------------------------------------------------------------------===//
#include "hinm/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  hinm::registerAllPasses();
  hinm::registerAllPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  hinm::registerAllDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "hinm optimizer driver: MLIR plus HiNM sparsity\n",
      registry));
}
