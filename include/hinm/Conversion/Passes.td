//===- Passes.td - hinm conversion passes ------------------*- tablegen -*-===//
//
// Part of the hinm project. One folder per conversion, as upstream:
// lib/Conversion/HiNMToLinalg (CPU reference), lib/Conversion/HiNMToNVGPU
// (GPU code generation).
//
//===----------------------------------------------------------------------===//
#ifndef HINM_CONVERSION_PASSES_TD
#define HINM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// HiNMToNVGPU
//===----------------------------------------------------------------------===//

def ConvertHiNMToNVGPU : Pass<"convert-hinm-to-nvgpu", "::mlir::ModuleOp"> {
  let summary = "Lower hinm.matmul to a gpu.launch of an mma.sp kernel (nvgpu)";
  let description = [{
    Rewrites every `hinm.matmul` whose weight is a `hinm.assemble` (of
    constants or of run-time tensors; `!hinm.matrix` arguments of functions
    not called inside the module are first expanded into their four storage
    tensors) into host code that copies
    the storage parts and the activations to the device (`gpu.alloc` +
    `gpu.memcpy`, one async token chain), a `gpu.launch` of a tiled sparse
    tensor-core kernel, and the copy of the result back:

    * grid: (paddedRows / block-m) x ceil(N / block-n) thread blocks of
      warps-m x warps-n warps; the rows of a block tile lie in one V-block,
      so they share one vector index;
    * k loop over the kept vectors in steps of `k-tile` (64 by default: two
      mma.sp k steps of 32 kept columns, 16 stored values each), with a
      `stages`-deep `nvgpu.device_async_copy` (cp.async) pipeline filling
      XOR-swizzled shared-memory tiles: the compressed weights, and the
      activation rows gathered through the block's vector index;
    * `nvgpu.ldmatrix` (x4 for the weights, x4 `.trans` for the activations),
      metadata as 32-bit words from global memory, `nvgpu.mma.sp.sync`
      m16n8k32 with f32 accumulation (f16 when the result is f16);
    * epilogue: storage row p goes to result row perm[p]; padding rows
      (perm[p] >= rows) are skipped.

    The lane maps come from `hinm/Algorithm/MmaSpLayout.h`, the header the
    lane-level model test checks; unittests/GPU/KernelInterpreterTest runs
    the emitted IR on the CPU. Unsupported matmuls (not 2:4, not f16, V not
    a multiple of 16, kept not a multiple of 32, N not a multiple of 8,
    dynamic shapes, bad tile options, a `chip` older than sm_80) get an
    error at the op and the pass fails, leaving the module unchanged.

    Run `one-shot-bufferize` (function boundaries, identity layouts) after
    it; `--hinm-gpu-pipeline` does this and the NVVM lowering.

    Example:

    ```mlir
    // hinm-opt --convert-hinm-to-nvgpu="block-m=64 block-n=64 stages=3"
    %y = hinm.matmul %w, %x : !hinm.matrix<64x128xf16, #hinm.format<
        vector_size = 32, kept = 64, n = 2, m = 4>>, tensor<128x64xf16>
        -> tensor<64x64xf32>
    // becomes gpu.alloc/gpu.memcpy/gpu.launch ... with nvgpu ops inside.
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
  let options = [
    Option<"blockM", "block-m", "int64_t", /*default=*/"64",
           "Rows of the block tile (reduced to V when V is smaller)">,
    Option<"blockN", "block-n", "int64_t", /*default=*/"64",
           "Columns of N per block tile (a multiple of 8 * warps-n)">,
    Option<"warpsM", "warps-m", "int64_t", /*default=*/"2",
           "Warps along the rows of the block tile">,
    Option<"warpsN", "warps-n", "int64_t", /*default=*/"2",
           "Warps along N of the block tile">,
    Option<"stages", "stages", "int64_t", /*default=*/"3",
           "Depth of the cp.async shared-memory pipeline (>= 2)">,
    Option<"kTile", "k-tile", "int64_t", /*default=*/"64",
           "Kept columns per pipeline step: 32 or 64 (two mma.sp k steps "
           "per barrier; 32 is used when kept is not a multiple of 64)">,
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_80\"",
           "Target SM; cp.async and mma.sp need sm_80 or newer">,
  ];
}

def HiNMAlignWorkgroupBuffers
    : Pass<"hinm-align-workgroup-buffers", "::mlir::ModuleOp"> {
  let summary = "Align the workgroup (shared-memory) buffers of GPU kernels";
  let description = [{
    cp.async with 16 bytes and ldmatrix need 16-byte aligned shared-memory
    addresses, but a `gpu.launch` workgroup attribution lowers to a shared
    array aligned only to its element type (`.shared .align 2` for f16), and
    `gpu.launch` cannot carry an alignment. Run after `gpu-kernel-outlining`:
    this pass sets `llvm.align` on every workgroup attribution of every
    `gpu.func` to at least `alignment` bytes, which the NVVM lowering turns
    into the alignment of the shared array.

    It also puts the `hinm.tiling` dictionary that `convert-hinm-to-nvgpu`
    records in the metadata of the launch's location (outlining keeps
    locations, not attributes) on the outlined `gpu.func`, so the launch
    configuration stays discoverable next to `known_block_size` /
    `known_grid_size`.

    Example:

    ```mlir
    // hinm-opt --gpu-kernel-outlining --hinm-align-workgroup-buffers
    gpu.func @k() workgroup(%a : memref<3x32x16xf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}) kernel
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Minimum alignment in bytes (a power of two)">,
  ];
}

#endif // HINM_CONVERSION_PASSES_TD
