//===- CPUPipeline.cpp - --hinm-cpu-pipeline ------------------------------===//
//
// Part of the hinm project. From a module with hinm ops and ordinary
// func/linalg/tensor/memref/arith code to the LLVM dialect for the host CPU,
// ready for mlir-runner. docs/cpu-lowering.md explains every stage.
//
//===----------------------------------------------------------------------===//
#include "hinm/Pipelines/Pipelines.h"
#include "PipelineStages.h"

#include "hinm/Conversion/HiNMToLinalg/HiNMToLinalg.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void hinm::buildHiNMCPUPipeline(OpPassManager &pm) {
  // 1. hinm -> linalg/tensor/scf on storage tensors (matrices become their
  //    four parts, across function boundaries too).
  pm.addPass(hinm::createConvertHiNMToLinalg());
  // Elementwise arith/math on whole tensors (arith.extf of a result, say)
  // becomes linalg.generic, which bufferizes.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // 2. Tensors -> buffers, function signatures included, so a program can
  //    pass tensors (and matrices, as their parts) between functions; then
  //    insert the deallocations (ownership-based).
  hinm::addWholeProgramBufferization(pm);
  bufferization::buildBufferDeallocationPipeline(pm);

  // 3. linalg on buffers -> scf loops -> cf.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Failed run-time checks print their reason on stderr (upstream's puts()
  // output is lost when stdout is a pipe, since abort() does not flush).
  pm.addPass(hinm::createHiNMAssertToStderrPass());
  pm.addPass(createSCFToControlFlowPass());

  // 4. Everything to the LLVM dialect. Functions carrying
  //    llvm.emit_c_interface (printMemrefF32 and friends) get their
  //    _mlir_ciface_ wrappers here.
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void hinm::registerHiNMCPUPipeline() {
  PassPipelineRegistration<>(
      "hinm-cpu-pipeline",
      "Lowers hinm ops and func/linalg/tensor/memref/arith code to the LLVM "
      "dialect for the host CPU (run the result with mlir-runner)",
      [](OpPassManager &pm) { buildHiNMCPUPipeline(pm); });
}
