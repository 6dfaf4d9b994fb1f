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
// HiNMToLinalg
//===----------------------------------------------------------------------===//

def ConvertHiNMToLinalg : Pass<"convert-hinm-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lowers hinm ops to linalg, tensor, arith and scf (the CPU reference)";
  let description = [{
    Replaces every `!hinm.matrix` value by its four storage tensors (values,
    vector index, metadata, row permutation), also across function
    signatures, calls, returns and scf control flow, and every hinm op by
    tensor code:

    * `hinm.assemble` / `hinm.disassemble` become the parts themselves;
    * `hinm.matmul` becomes a gather of the kept activation rows through the
      vector index (`linalg.generic`), a decode of the N:M metadata into
      compacted column numbers (`linalg.generic`), the product over the
      stored values only, accumulated in the result type (`linalg.generic`),
      and a gather through the inverse row permutation that puts rows back
      in their original order and drops padding rows;
    * `hinm.pack` and `hinm.to_dense` become `scf.for` loops on tensors.

    Contents that would make the code read out of bounds (vector indices
    outside `[0, cols)`, a row permutation that is not one, metadata fields
    not below M, an N:M mask that does not keep N of every M, activations
    whose row count differs from the weight's columns) are checked at run
    time with `hinm.assert`, whose message names the first bad entry (e.g.
    `hinm.matmul: vector index out of range: block 0, entry 3 is 8, not in
    [0, 8)`).

    Example:

    ```mlir
    // hinm-opt --convert-hinm-to-linalg
    %y = hinm.matmul %w, %x : !hinm.matrix<64x128xf16, #hinm.format<vector_size = 32, kept = 64, n = 2, m = 4>>,
                              tensor<128x16xf16> -> tensor<64x16xf32>
    // becomes linalg.generic ops over %values, %index, %meta, %perm.
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

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
    the run-time storage parts and the activations to the device
    (`gpu.alloc` + `gpu.memcpy`, one async token chain), a `gpu.launch` of a
    tiled sparse tensor-core kernel, and the copy of the result back.
    Constant storage parts are not copied per call: each becomes a private
    `memref.global` constant in device global memory, read by the kernel
    through `memref.get_global` (outlining moves it into the kernel's
    module, so it is uploaded when the module is loaded):

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
      m16n8k32 with f32 accumulation (f16 when the result is f16); f16 or
      bf16 weights and activations (bf16: f32 results only, as mma has no
      bf16 accumulator);
    * with `ordered-metadata` on (the default for sm_90 and newer), every
      `nvgpu.mma.sp.sync` carries the unit attribute `hinm.ordered_metadata`,
      which `hinm-lower-sparse-mma` turns into
      `mma.sp::ordered_metadata`. Its one extra requirement, the two indices
      of each group in ascending order, holds for every `hinm` storage
      (`hinm::pack` writes them so; the `hinm.assemble` verifier checks
      constant metadata).
    * with `runtime-checks` on (the default), the host code checks every
      storage part that is not a constant before copying it to the device,
      with `hinm.assert` (the same check code as the CPU lowering): vector
      index entries in [0, cols) and distinct within a block, the row
      permutation a permutation of [0, P), metadata fields strictly
      ascending within each group (which both `mma.sp` forms assume). A
      failed check names the bad entry's position and value.
    * epilogue: storage row p goes to result row perm[p]; padding rows
      (perm[p] >= rows) are skipped.

    Between the layers of a network (docs/gpu-codegen.md, sections 1b-1d):
    * `fuse-epilogue`: the elementwise linalg ops that consume the result
      (a bias, an activation, a cast) run in the kernel before its store;
    * a result that only the next `hinm.matmul` reads, as its activations
      in the same block, is not copied back: the next kernel reads the
      device buffer;
    * `device-gather`: when only ops that move or map elements stand
      between the two matmuls (`tensor.expand_shape`/`collapse_shape`,
      `tensor.pad` with a constant value, all-parallel linalg ops with an
      identity output map and a scalar arith/math body whose other tensor
      inputs are constants: a bias and ReLU in NCHW form, an im2col gather,
      a transpose), they become one gather kernel of 256-thread blocks, one
      output element per thread, that reads the first kernel's output and
      writes the second one's activations on the device. Such ops that do
      not lead to another matmul (the last layer's bias and ReLU in NCHW
      form) run as a gather kernel too, up to the first op that does not
      qualify, and its output is copied back instead of the matmul's.

    The lane maps come from `hinm/Algorithm/MmaSpLayout.h`, the header the
    lane-level model test checks; unittests/GPU/KernelInterpreterTest runs
    the emitted IR on the CPU. Unsupported matmuls (not 2:4, not f16, V not
    a multiple of 16, kept not a multiple of 32, N not a multiple of 8,
    dynamic shapes, bf16 with a bf16 result, bad tile options, a `chip`
    older than sm_80, `ordered-metadata=true` with `features` below +ptx85)
    get an
    error at the op and the pass fails, leaving the module unchanged.

    Run `one-shot-bufferize` (function boundaries, identity layouts) after
    it, then `gpu-launch-sink-index-computations` (or the kernels get their
    index constants as parameters and divide by them at run time),
    `gpu-kernel-outlining` and `buffer-deallocation-pipeline` to
    free the host buffers, and `hinm-lower-sparse-mma` before
    `convert-nvgpu-to-nvvm`; `--hinm-gpu-pipeline` does this and the NVVM
    lowering. The device buffers the pass allocates it also frees, and marks
    both `bufferization.manual_deallocation`; so that the deallocation can
    run on the host code, the pass gives `gpu.wait` and `gpu.launch_func`
    conservative memory effects (an external model; upstream declares
    none).

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
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
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
    Option<"orderedMetadata", "ordered-metadata", "std::string",
           /*default=*/"\"auto\"",
           "Use mma.sp::ordered_metadata: true, false, or auto (true for "
           "sm_90 and newer, where plain mma.sp is the slow path, unless "
           "`features` ask for PTX older than 8.5); needs PTX ISA 8.5">,
    Option<"features", "features", "std::string", /*default=*/"\"\"",
           "PTX features the kernel will be compiled with (e.g. +ptx80; the "
           "GPU pipeline passes its own); when given, ordered-metadata=auto "
           "follows it and ordered-metadata=true is checked against it "
           "(needs +ptx85 or newer)">,
    Option<"runtimeChecks", "runtime-checks", "bool", /*default=*/"true",
           "Check run-time storage parts on the host before copying them to "
           "the device (hinm.assert: vector index range and distinctness, row "
           "permutation, metadata fields ascending within each group); "
           "constant parts are verified at compile time and never checked; "
           "false drops the checks (for benchmarking)">,
    Option<"deviceGlobalWeights", "device-global-weights", "bool",
           /*default=*/"true",
           "Keep constant storage parts in device globals of the kernel's "
           "module (uploaded once, when the module is loaded; compiling "
           "their initializers costs PTX size and ptxas time); false copies "
           "them to the device on every call, as run-time parts">,
    Option<"fuseEpilogue", "fuse-epilogue", "bool", /*default=*/"true",
           "Apply the elementwise linalg ops that consume a matmul's result "
           "(a bias, an activation, a cast) in the kernel before its store, "
           "instead of in a separate gather kernel (device-gather) or as "
           "host loops over the copied-back result">,
    Option<"deviceGather", "device-gather", "bool", /*default=*/"true",
           "Run the ops between two matmuls that only move or map elements "
           "(reshapes, tensor.pad, an im2col gather, a transpose, a bias or "
           "activation in NCHW form) as one gather kernel, so the "
           "activations stay on the device (such ops after the last matmul "
           "run as a gather kernel whose output is copied back); false runs "
           "them on the host">,
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

def HiNMLowerSparseMma : Pass<"hinm-lower-sparse-mma", "::mlir::ModuleOp"> {
  let summary = "Lower the nvgpu.mma.sp.sync ops upstream cannot or should "
                "not lower (bf16, ordered metadata) to nvvm.mma.sp.sync";
  let description = [{
    Upstream `convert-nvgpu-to-nvvm` lowers `nvgpu.mma.sp.sync` to inline
    PTX for plain `mma.sp` only, and only for f16 (it cannot deduce the PTX
    type of bf16 operands). This pass rewrites the `nvgpu.mma.sp.sync` ops
    that have bf16 operands or the unit attribute `hinm.ordered_metadata`
    (set by `convert-hinm-to-nvgpu` with `ordered-metadata`) into
    `nvvm.mma.sp.sync`, which the NVPTX backend emits as
    `mma.sp[::ordered_metadata].sync.aligned.m16n8k32.row.col`:

    * A and B (`vector<4x2xT>`): one `vector<2xf16>` per register for f16,
      one `i32` (two packed bf16) per register for bf16;
    * C (`vector<2x2xf32>` or `vector<2x2xf16>`): four f32 scalars, or two
      `vector<2xf16>`, row-major, as upstream unpacks them;
    * metadata: the `vector<2xi16>` as one `i32`; sparsity selector 0;
    * the result struct back into the accumulator vector.

    Other `nvgpu.mma.sp.sync` ops are left to upstream. Run it after the
    kernel is built (the GPU pipeline runs it after outlining) and before
    `convert-nvgpu-to-nvvm`. Ordered metadata needs PTX ISA 8.5: the NVVM
    target's features must include +ptx85 or newer (the GPU pipeline
    arranges this).

    Example:

    ```mlir
    // hinm-opt --hinm-lower-sparse-mma
    %d = nvgpu.mma.sp.sync(%a, %b, %c) metadata(%m) {mmaShape = [16, 8, 32],
        hinm.ordered_metadata} : (vector<4x2xf16>, vector<4x2xf16>,
        vector<2x2xf32>) -> vector<2x2xf32>
    // becomes vector.extract ops, then
    // nvvm.mma.sp.sync A[...] B[...] C[...] sparseMetadata[%e] selector[%0]
    //     {orderedMetadata, shape = #nvvm.shape<m = 16, n = 8, k = 32>}
    // and llvm.extractvalue + vector.from_elements for the result.
    ```
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // HINM_CONVERSION_PASSES_TD
