//===- GPUPipeline.cpp - --hinm-gpu-pipeline ------------------------------===//
//
// Part of the hinm project. hinm.matmul -> mma.sp kernel (nvgpu) -> buffers
// -> upstream NVVM lowering -> gpu.binary (PTX text, cubin or fatbin) plus
// LLVM host code calling the mgpu* runtime. docs/gpu-codegen.md has the
// stages.
//
//===----------------------------------------------------------------------===//
#include "hinm/Pipelines/Pipelines.h"
#include "PipelineStages.h"

#include "hinm/Conversion/HiNMToNVGPU/HiNMToNVGPU.h"
#include "hinm/Conversion/Passes.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {
struct HiNMGPUPipelineOptions
    : public PassPipelineOptions<HiNMGPUPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("Target SM (sm_80 or newer: mma.sp)"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (PTX version); default +ptx80, or +ptx85 "
                     "when the kernel uses ordered metadata"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> orderedMetadata{
      *this, "ordered-metadata",
      llvm::cl::desc("mma.sp::ordered_metadata: auto (sm_90 and newer, "
                     "unless features ask for PTX < 8.5), true or false"),
      llvm::cl::init("auto")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("gpu.binary format: isa (PTX text), bin (cubin), fatbin"),
      llvm::cl::init("fatbin")};
  PassOptions::Option<int> optLevel{
      *this, "opt-level", llvm::cl::desc("NVVM optimization level"),
      llvm::cl::init(3)};
  PassOptions::Option<std::string> ptxasOptions{
      *this, "ptxas-options",
      llvm::cl::desc("Extra ptxas command-line options (bin/fatbin)"),
      llvm::cl::init("")};
  PassOptions::Option<int64_t> blockM{
      *this, "block-m", llvm::cl::desc("Rows per block tile"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> blockN{
      *this, "block-n", llvm::cl::desc("Columns of N per block tile"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> warpsM{
      *this, "warps-m", llvm::cl::desc("Warps along rows"), llvm::cl::init(2)};
  PassOptions::Option<int64_t> warpsN{
      *this, "warps-n", llvm::cl::desc("Warps along N"), llvm::cl::init(2)};
  PassOptions::Option<int64_t> kTile{
      *this, "k-tile",
      llvm::cl::desc("Kept columns per pipeline step (32 or 64)"),
      llvm::cl::init(64)};
  PassOptions::Option<int64_t> stages{
      *this, "stages", llvm::cl::desc("cp.async pipeline depth"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> deviceGlobalWeights{
      *this, "device-global-weights",
      llvm::cl::desc("Keep constant weights in device globals of the "
                     "kernel's module (uploaded once); false copies them to "
                     "the device on every call"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseEpilogue{
      *this, "fuse-epilogue",
      llvm::cl::desc("Apply the elementwise linalg ops that consume a "
                     "matmul's result (bias, activation, cast) in the "
                     "kernel; false runs them as a separate gather kernel "
                     "(or on the host with device-gather=false)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> deviceGather{
      *this, "device-gather",
      llvm::cl::desc("Run the reshapes, pads, im2col gathers and "
                     "elementwise maps between two matmuls (or after the "
                     "last one) as one gather kernel; false runs them on "
                     "the host"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> runtimeChecks{
      *this, "runtime-checks",
      llvm::cl::desc("Check run-time storage parts on the host before the "
                     "launch (hinm.assert); false drops the checks"),
      llvm::cl::init(true)};
};

void buildHiNMGPUPipeline(OpPassManager &pm,
                          const HiNMGPUPipelineOptions &opts) {
  // Constant hinm.pack folds to hinm.assemble of constants.
  pm.addPass(createCanonicalizerPass());
  // A kept count that is not a multiple of the mma.sp k step (72 of a
  // 144-column layer) runs on zero-padded storage: the product is the same.
  pm.addNestedPass<func::FuncOp>(hinm::createHiNMPadMatmulKeptPass());
  // N that the kernel's 16-byte activation rows cannot take (a batch of 1,
  // 3, 12...) is padded with zero columns and sliced back.
  pm.addNestedPass<func::FuncOp>(hinm::createHiNMPadMatmulColumnsPass());
  // A convolution's bias, activation and cast written after the reshape of
  // its GEMM result move before it, where the conversion fuses them into
  // the kernel.
  pm.addNestedPass<func::FuncOp>(hinm::createHiNMSinkResultReshapesPass());
  hinm::ConvertHiNMToNVGPUOptions conv;
  conv.blockM = opts.blockM;
  conv.blockN = opts.blockN;
  conv.warpsM = opts.warpsM;
  conv.warpsN = opts.warpsN;
  conv.stages = opts.stages;
  conv.kTile = opts.kTile;
  conv.chip = opts.chip;
  conv.orderedMetadata = opts.orderedMetadata;
  conv.runtimeChecks = opts.runtimeChecks;
  conv.deviceGlobalWeights = opts.deviceGlobalWeights;
  conv.fuseEpilogue = opts.fuseEpilogue;
  conv.deviceGather = opts.deviceGather;
  // Without explicit features, pick the PTX version the kernel needs: 8.0,
  // or 8.5 for mma.sp::ordered_metadata. With explicit ones, the conversion
  // decides (auto keeps plain mma.sp below 8.5) and reports a bad chip, a
  // bad ordered-metadata value or ordered-metadata=true below 8.5.
  std::string features = opts.features;
  if (features.empty()) {
    bool ordered = false;
    StringRef c(opts.chip);
    unsigned sm = 0;
    if (c.consume_front("sm_") &&
        !c.take_while([](char ch) { return isdigit(ch); })
             .getAsInteger(10, sm))
      (void)hinm::resolveOrderedMetadata(opts.orderedMetadata, sm,
                                         /*ptx=*/0, ordered);
    features = ordered ? "+ptx85" : "+ptx80";
  }
  conv.features = features;
  pm.addPass(hinm::createConvertHiNMToNVGPU(conv));
  hinm::addWholeProgramBufferization(pm);
  // Host-side linalg ops around the matmuls (fills, reference products) run
  // as loops on the CPU.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Outline here, after the clean-up (the kernel's arguments are fixed now:
  // static shapes and folded casts keep its register use down), rather than
  // in upstream's pipeline, which then finds nothing: the deallocation below
  // cannot look into a gpu.launch body (nvgpu ops declare no memory
  // effects), and the shared arrays must be aligned before the NVVM lowering.
  // Constants and index arithmetic on them move into the launch bodies
  // first. Outlining passes every value defined outside a launch as a kernel
  // parameter, and CSE shares the index constants of the host code and the
  // kernels: without this, the kernels divided by parameters (64-bit div/rem
  // with a 32-bit fast path, 45 to 91 per kernel) where the tile sizes are
  // powers of two (shifts and masks).
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  // Outlining copied the device globals of constant weights into the
  // kernels' modules; the host's copies are unused now (and their device
  // memory space has no host lowering).
  pm.addPass(createSymbolDCEPass());
  // Free the host buffers (results that feed other ops, bias and padding
  // temporaries, the checks' scratch) as the CPU pipeline does; the device
  // buffers are freed by hand and marked so.
  bufferization::buildBufferDeallocationPipeline(pm);
  // A failed run-time check of the storage parts prints its reason on
  // stderr before aborting (upstream's puts() output is lost in a pipe).
  pm.addPass(hinm::createHiNMAssertToStderrPass());
  pm.addPass(hinm::createHiNMAlignWorkgroupBuffers());
  // bf16 and ordered-metadata mma.sp: nvvm.mma.sp.sync, before upstream's
  // convert-nvgpu-to-nvvm lowers the remaining (plain f16) ones.
  pm.addPass(hinm::createHiNMLowerSparseMma());

  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = opts.chip;
  nvvm.cubinFeatures = features;
  nvvm.cubinFormat = opts.format;
  nvvm.optLevel = opts.optLevel;
  nvvm.cmdOptions = opts.ptxasOptions;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}
} // namespace

void hinm::registerHiNMGPUPipeline() {
  PassPipelineRegistration<HiNMGPUPipelineOptions>(
      "hinm-gpu-pipeline",
      "hinm.matmul to an mma.sp GPU kernel in a gpu.binary plus LLVM host "
      "code (chip=sm_80 format=isa|bin|fatbin ordered-metadata=auto|true|false)",
      buildHiNMGPUPipeline);
}
