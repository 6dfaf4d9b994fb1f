//===- Passes.td - hinm transformation passes --------------*- tablegen -*-===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TRANSFORMS_PASSES_TD
#define HINM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def HiNMPrintISAPass : Pass<"hinm-print-isa", "::mlir::ModuleOp"> {
  let summary = "Writes the PTX held by gpu.binary ops to a file or stdout";
  let description = [{
    `gpu-module-to-binary` (and `--hinm-gpu-pipeline`) with `format=isa`
    stores the PTX text of every GPU module in a `#gpu.object` of a
    `gpu.binary` op. This pass writes that text, one object after the other,
    to `output` ("-" for stdout), so it can be read, diffed, checked with
    FileCheck or assembled with ptxas. The IR is left unchanged. A module with
    no assembly-format object is an error: there is nothing to print.

    A program with several matmuls has one GPU module, and one PTX module,
    per kernel; ptxas takes one PTX module per file. With `split`, `output`
    is a directory (created if missing) and each object is written to
    `<output>/<gpu.binary name>.ptx` (a binary with several PTX objects adds
    `.<i>` before the extension), each a file ptxas assembles on its own.

    Examples:

    ```
    hinm-opt model.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" \
        --hinm-print-isa=output=model.ptx -o /dev/null
    hinm-opt model.mlir --hinm-gpu-pipeline="chip=sm_80 format=isa" \
        --hinm-print-isa="output=ptx split" -o /dev/null
    ```
  }];
  let options = [
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File the PTX is written to ('-' for stdout); with split, a "
           "directory">,
    Option<"split", "split", "bool", /*default=*/"false",
           "One file per PTX module: <output>/<gpu.binary name>.ptx">,
  ];
}

def HiNMSparsifyPass : Pass<"hinm-sparsify", "::mlir::func::FuncOp"> {
  let summary = "Prunes constant linalg.matmul weights and convolution "
                "filters to HiNM (2CP) and rewrites them into hinm.matmul";
  let description = [{
    Finds `linalg.matmul` ops (tensor semantics, static 2-D shapes) whose
    weight operand is a compile-time constant and replaces them with a
    `hinm.matmul` on a packed constant: `hinm.assemble` of four
    `arith.constant` storage tensors computed at compile time by the
    HiNMAlgorithm library (vector pruning, N:M pruning and the chosen channel
    permutation; docs/permutation.md).

    Handled forms (d0 = output rows, d1 = output columns, d2 = reduction):
      * constant LHS `W[out, in]`, `Y = W X`: `hinm.matmul(W, X)`;
      * constant RHS `W[in, out]`, `Y = X W` (the `y = x W^T` layout of a
        linear layer): the weight is viewed as `W^T[out, in]`, and
        `Y = transpose(hinm.matmul(W^T, transpose(X)))`;
      * either operand given transposed through `indexing_maps`
        (`(d2, d0)` for the LHS, `(d1, d2)` for the RHS): constants are
        transposed at compile time, activations with `linalg.transpose`.
    The weight is read from `arith.constant dense<...>` or
    `dense_resource<...>` (f32, f16 or bf16 blobs, as torch-mlir stores
    large weights), also through transposes between the constant and the
    product: `linalg.transpose`, or a `linalg.generic` whose body only
    yields its input under two different permutation maps (torch-mlir's
    `nn.Linear`: its `[out, in]` weight transposed into `linalg.matmul`;
    any rank, so also a `[B, out, in]` batch of weights transposed per
    batch).
    The transposes and the constant are erased when nothing else uses them.
    A `dense_resource` whose blob is elided or has the wrong size is left
    dense with a warning.
    If both operands are constant the LHS is taken as the weight. The
    activations and the result may have a dynamic batch (the dimension that
    is not the reduction: a batch or sequence length known at run time, as
    frontends emit for `nn.Linear`); the `hinm.matmul` then has a dynamic N.
    A `linalg.batch_matmul` whose RHS repeats one constant `[K, N]` weight
    over the batch (`linalg.broadcast ... dimensions = [0]`, or a
    `linalg.generic` that reads it through `(d0, d1, d2) -> (d1, d2)`: what
    torch-mlir emits for a linear layer on `[B, M, K]` activations), or
    reads a 2-D constant RHS through the broadcast indexing map
    `(b, m, n, k) -> (k, n)`, is one GEMM: the activations are collapsed to
    `[B*M, K]`, the product becomes a `linalg.matmul` rewritten as above, and
    the result is expanded back to `[B, M, N]` (B may be dynamic). So is a
    `linalg.batch_matmul` that shares one constant `[M, K]` LHS over the batch
    (repeated the same ways, or read through `(b, m, n, k) -> (m, k)`):
    `Y[b] = W X[b]`, a weight applied along the rows of every batch (as
    MLP-Mixer's token mixing does), becomes `W[M, K] X[K, B*N]` with the
    activations and the accumulator transposed to `[K, B, N]` /
    `[M, B, N]` and collapsed, and the result expanded and transposed back.
    A `linalg.batch_matmul` of a statically single batch with a 3-D constant
    operand (`[1, K, N]` or `[1, M, K]`: how `tosa-to-linalg-named` lowers
    TOSA's 3-D matmul of a linear layer) is the same GEMM; the weight is read
    through a `tensor.collapse_shape` to 2-D.
    A `linalg.batch_matmul` (plain maps) whose weight differs from batch to
    batch, a 3-D constant `[B, K, N]` RHS or `[B, M, K]` LHS with a static
    B > 1 (the stacked experts of a mixture-of-experts layer, per-head
    projections), is B products: each batch of the activations, the weight
    and the accumulator is taken by `tensor.extract_slice`, each
    `linalg.matmul` is rewritten as above with its own weight (pruned and
    packed on its own), and `tensor.insert_slice` puts the results back. A
    NaN or infinite element of such a weight is an error naming it in the
    3-D weight's coordinates.
    Weights are also read through a static `tensor.extract_slice` of a
    constant (a part of a fused weight); the constant stays while other
    slices use it.
    A `linalg.matvec` (`y[M] += A[M, K] x[K]`) or `linalg.vecmat`
    (`y[N] += x[K] A[K, N]`) with a constant matrix `A` is a product with one
    activation column (row): `tensor.expand_shape` makes it a
    `linalg.matmul`, rewritten as above, and the result is collapsed back.
    A `linalg.generic` or `linalg.contract` that computes exactly what such
    a `linalg.matmul` computes is rewritten the same way: three loops, `m`
    and `n` parallel and `k` reduction in any order, the output indexed
    `(m, n)`, input 0 by `m` and `k` and input 1 by `k` and `n` (each pair in
    either order), and a body yielding `out + in0 * in1` (operands of the
    add and the multiply in either order, an input optionally `arith.extf`
    to the output type): what `linalg-generalize-named-ops` makes of a
    matmul, and the plain form of `linalg.contract`.
    Not handled (left dense, with a warning): a dynamic reduction dimension,
    a batch dynamic on one side only, broadcast maps on `linalg.matmul`;
    silently: memref operands, other `linalg.batch_matmul` ops, and generic
    or contract ops that are not such a plain product (another body, a
    batch loop, a transposed output, broadcast operands).

    1-D, 2-D and 3-D convolutions with a constant filter (`dense` or
    `dense_resource`; tensor semantics, static shapes, any batch N, strides
    and dilations; padding is a separate `tensor.pad`, left alone) go
    through their im2col GEMM view:
      * `linalg.conv_2d_nhwc_hwcf` (input `[N, H, W, C]`, filter
        `[KH, KW, C, F]`, output `[N, OH, OW, F]`);
      * `linalg.conv_2d_nhwc_fhwc` (TOSA's form: input `[N, H, W, C]`,
        filter `[F, KH, KW, C]`, output `[N, OH, OW, F]`);
      * `linalg.conv_2d_nchw_fchw` (input `[N, C, H, W]`, filter
        `[F, C, KH, KW]`, output `[N, F, OH, OW]`);
      * `linalg.conv_1d_nwc_wcf` and `linalg.conv_3d_ndhwc_dhwcf` (channels
        last, filter `[K..., C, F]`), `linalg.conv_1d_ncw_fcw` and
        `linalg.conv_3d_ncdhw_fcdhw` (channels first, filter `[F, C, K...]`).
    The filter is pruned as the weight `W[F, C*KH*KW]` with columns in
    `(c, kh, kw)` order, `column = (c*KH + kh)*KW + kw`, for ALL layouts:
    PyTorch's `Conv2d.weight.reshape(F, -1)`, the view `hinm.torch` and
    `hinm-prune` prune, so a layer gets the same mask whichever layout it is
    lowered in (1-D and 3-D alike: `(c, kw)` and `(c, kd, kh, kw)` order,
    `Conv1d`/`Conv3d.weight.reshape(F, -1)`). The input becomes
    `X[C*KH*KW, N*OH*OW]` (rows in the same order, columns
    `(n*OH + oh)*OW + ow`): a `linalg.generic` copies
    `input[n, c, oh*sh + kh*dh, ow*sw + kw*dw]` into a
    `[C, KH, KW, N, OH, OW]` tensor, collapsed with `tensor.collapse_shape`
    (`[C, K..., N, O...]` for other ranks).
    `hinm.matmul(W, X)` gives `[F, N*OH*OW]`, which `tensor.expand_shape`
    and `linalg.transpose` turn into the output layout (channels first
    with N = 1 needs no transpose). The accumulator is handled as for
    matmuls. The batch N may be dynamic (in the input and the output): it
    is read with `tensor.dim`, and the GEMM view has a dynamic column count.

    Grouped 2-D convolutions with a constant filter are G independent
    convolutions: `linalg.conv_2d_ngchw_gfchw` (torch-mlir's lowering of a
    grouped `Conv2d`: input `[N, G, C, H, W]`, filter `[G, F, C, KH, KW]`,
    output `[N, G, F, OH, OW]`), `linalg.conv_2d_ngchw_fgchw` (filter
    `[F, G, C, KH, KW]`) and `linalg.conv_2d_nhwgc_gfhwc` (input
    `[N, H, W, G, C]`, filter `[G, F, KH, KW, C]`, output
    `[N, OH, OW, G, F]`). The op is split into one `linalg.conv_2d_nchw_fchw`
    (`conv_2d_nhwc_fhwc` for the channels-last form) per group, on
    `tensor.extract_slice`s of the input, the filter and the accumulator,
    with `tensor.insert_slice` putting each result back; each group's filter
    `W_g[F, C*KH*KW]` is then pruned on its own and rewritten as above (the
    `report` remark says "filter of group g"). What rules out every group
    (element types, dynamic shapes other than the batch, too few columns)
    is a single warning and the op is not split. The filter is also read
    through `tensor.expand_shape` (torch-mlir reshapes PyTorch's
    `[F, C, KH, KW]` grouped weight into `[G, F/G, C, KH, KW]`).
    Left dense: depthwise and quantized convolutions, `linalg.conv_1d`
    /`conv_2d`/`conv_3d` without batch and channels, and other layouts (a
    warning when the filter is constant), dynamic shapes other than the
    batch and mixed element types (a warning), non-constant filters and
    memref operands (silently, as for matmuls).

    An op carrying the unit attribute `hinm.keep_dense` is left as it is,
    silently: pruning practice keeps some layers dense (often the first
    convolution and the classifier), and a front end or the user marks them
    so (`linalg.matmul {hinm.keep_dense} ins(...)`).

    An op carrying the dictionary attribute `hinm.sparsify` is pruned with
    its own format and permutation: the keys `vector_size`, `n`, `m`
    (integers), `vector_sparsity` (a float) and `permute` (`"none"`,
    `"ocp"`, `"ivp"` or `"2cp"`) replace the pass options of the same names
    for that op, and for every part of an op the pass splits (the batches of
    a stack of weights, the groups of a grouped convolution); the search
    options stay the pass's. Pruning practice gives layers different
    sparsities (`linalg.matmul {hinm.sparsify = {vector_sparsity = 0.75,
    vector_size = 64}} ins(...)`). The dialect verifier checks the keys and
    their types; values that make no format with the pass's other options
    (a vector size that is not a multiple of 16, N >= M, ...) are an error
    at the op.

    The accumulator: a `linalg.fill` of zero is dropped (the hinm.matmul
    result replaces the matmul); any other accumulator is added with
    `linalg.add`. The rewritten program computes exactly what the pruned
    dense weights compute (hinm.matmul returns rows in the original order).

    A weight that does not fit (fewer than `m` columns; `C*KH*KW` for a
    filter) is left dense with a warning. NaN or infinite weights are an
    error (pass failure) naming the first bad element (a filter's in its own
    coordinates, a grouped filter's in its 5-D ones). Bad option values are
    an error before any rewrite.
    With `report`, every rewritten op gets a remark with its kept
    importance and the efficacy of each permutation method.

    The weights of a function are pruned in parallel on the context's
    threads (one layer per task; `--mlir-disable-threading` runs them one
    after the other), after the candidates are read in op order and before
    the IR is built in op order: the output and the diagnostics are the same
    whatever the thread count. `threads` adds workers inside one layer's
    search (its blocks), which helps a function with a single large layer.

    Example:

    ```
    hinm-opt model.mlir --hinm-sparsify="vector-size=32 vector-sparsity=0.5 permute=2cp report"
    ```

    The search options (`ocp-global`, `ocp-anneal`, `ivp-kicks`,
    `ivp-anneal`, `ivp-eject`, `ivp-lp`, `ivp-sweeps`, `refine-vectors`,
    `joint-rounds`,
    `restarts`, `effort`) are the ones `hinm-prune` and the Python package
    take, so a
    layer pruned here gets the mask those give for the same options and
    seed. For example,
    the paper's 2CP without this project's extensions:

    ```
    hinm-opt model.mlir --hinm-sparsify="ocp-global=false ocp-anneal=-1 refine-vectors=false ivp-kicks=-1 ivp-anneal=-1 ivp-eject=-1 joint-rounds=-1"
    ```

    A convolution (batch 2, 3x3 kernel, 16 -> 64 channels, stride 2) and its
    rewrite (abridged):

    ```mlir
    %y = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>,
                                   dilations = dense<1> : tensor<2xi64>}
        ins(%x, %w : tensor<2x16x9x9xf32>, tensor<64x16x3x3xf32>)
        outs(%zero : tensor<2x64x4x4xf32>) -> tensor<2x64x4x4xf32>
    // becomes
    %w2 = hinm.assemble ... : !hinm.matrix<64x144xf32, #hinm.format<...>>
    %x6 = linalg.generic {indexing_maps = [
            affine_map<(c, kh, kw, n, oh, ow) -> (n, c, oh * 2 + kh, ow * 2 + kw)>,
            affine_map<(c, kh, kw, n, oh, ow) -> (c, kh, kw, n, oh, ow)>], ...}
        ins(%x : tensor<2x16x9x9xf32>) outs(%e : tensor<16x3x3x2x4x4xf32>)
    %xc = tensor.collapse_shape %x6 [[0, 1, 2], [3, 4, 5]]
        : tensor<16x3x3x2x4x4xf32> into tensor<144x32xf32>
    %p = hinm.matmul %w2, %xc : !hinm.matrix<...>, tensor<144x32xf32> -> tensor<64x32xf32>
    %p4 = tensor.expand_shape %p [[0], [1, 2, 3]] output_shape [64, 2, 4, 4]
        : tensor<64x32xf32> into tensor<64x2x4x4xf32>
    %y = linalg.transpose ins(%p4 : tensor<64x2x4x4xf32>)
        outs(%e2 : tensor<2x64x4x4xf32>) permutation = [1, 0, 2, 3]
    ```
  }];
  let dependentDialects = [
    "::hinm::HiNMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"vectorSize", "vector-size", "int64_t", /*default=*/"32",
           "Rows per block V (a positive multiple of 16)">,
    Option<"vectorSparsity", "vector-sparsity", "double", /*default=*/"0.5",
           "Share of vectors (columns of a block) pruned, in [0, 1)">,
    Option<"nmN", "n", "int64_t", /*default=*/"2", "N of N:M">,
    Option<"nmM", "m", "int64_t", /*default=*/"4", "M of N:M">,
    Option<"permute", "permute", "std::string", /*default=*/"\"2cp\"",
           "Channel permutation: none, ocp, ivp or 2cp">,
    Option<"iterations", "iterations", "int64_t", /*default=*/"0",
           "OCP iteration cap (0 = chosen from the matrix size)">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed of the permutation search">,
    // The search options below are those of hinm-prune and of the Python
    // package's `search` dict (docs/permutation.md).
    Option<"ocpGlobal", "ocp-global", "bool", /*default=*/"true",
           "After the paper's OCP, reassign all rows by the N:M-aware bound "
           "(off = the paper's OCP)">,
    Option<"ocpAnneal", "ocp-anneal", "int64_t", /*default=*/"0",
           "OCP simulated-annealing row exchanges (0 = automatic, -1 = none)">,
    Option<"ivpKicks", "ivp-kicks", "int64_t", /*default=*/"0",
           "IVP iterated-local-search kicks per block (0 = automatic, "
           "-1 = none)">,
    Option<"ivpAnneal", "ivp-anneal", "int64_t", /*default=*/"0",
           "IVP simulated-annealing moves per block (0 = automatic, "
           "-1 = none)">,
    Option<"ivpEject", "ivp-eject", "int64_t", /*default=*/"0",
           "IVP ejection-assignment rounds without gain before that step "
           "stops (0 = automatic, -1 = none)">,
    Option<"ivpLP", "ivp-lp", "bool", /*default=*/"false",
           "End IVP with an LP dive over each block's stripes (2:4; needs a "
           "build with COIN-OR CLP; slow)">,
    Option<"ivpSweeps", "ivp-sweeps", "int64_t", /*default=*/"0",
           "IVP local-search sweep cap per block (0 = automatic)">,
    Option<"refineVectors", "refine-vectors", "bool", /*default=*/"true",
           "With IVP, also exchange kept vectors for pruned ones when N:M "
           "then keeps more (off = the paper's IVP)">,
    Option<"jointRounds", "joint-rounds", "int64_t", /*default=*/"0",
           "2CP joint refinement rounds: rows re-placed against the finished "
           "blocks, then IVP again (0 = automatic, -1 = none)">,
    Option<"restarts", "restarts", "int64_t", /*default=*/"0",
           "Extra runs of the search from seeds derived from `seed`; the "
           "one that keeps the most wins (0 = one run)">,
    Option<"effort", "effort", "double", /*default=*/"1.0",
           "Multiplier of the automatic work budgets of the annealing "
           "searches, in [0.01, 1000] (slower, usually keeps more)">,
    Option<"threads", "threads", "unsigned", /*default=*/"1",
           "Worker threads inside one layer's search (0 = all; layers "
           "already run in parallel on the context's threads; the result "
           "does not depend on it)">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark per rewritten op with kept importance and "
           "efficacy of every permutation method">,
  ];
}

def HiNMPadMatmulColumnsPass
    : Pass<"hinm-pad-matmul-columns", "::mlir::func::FuncOp"> {
  let summary = "Pads the activation columns of hinm.matmul to a multiple "
                "for the GPU kernel";
  let description = [{
    The GPU kernel (`convert-hinm-to-nvgpu`) copies activation rows with
    16-byte `cp.async`, so it needs N, the column count of the activations
    and of the result, to be a multiple of 8 f16/bf16 elements. Inference
    often has other N: a batch of 1, 3 or 12 tokens, or a batch known only
    at run time. For a `hinm.matmul` whose static N is not a multiple of
    `multiple`, or whose N is dynamic, this pass pads the activations with
    zero columns up to the next multiple (an amount computed at run time
    for a dynamic N), multiplies, and slices the first N columns of the
    result back out. The zero columns only produce zero result columns that
    the slice drops, so the program computes exactly what it computed
    before; the cost is the padded columns' work (N = 1 runs as N = 8). A
    padded matmul with a dynamic N is marked `hinm.n_multiple_of =
    <multiple>`, so that it is not padded again and the GPU lowering needs
    no run-time check. Static N that already fits is left alone.
    `--hinm-gpu-pipeline` runs this pass before the conversion.

    Layers stay padded from one to the next: when a padded matmul's
    activations are the slice of another padded matmul's result, possibly
    through column-wise elementwise ops (all loops parallel, scalars and
    per-row vectors as other operands: a bias, an activation, a cast), those
    ops run on the padded result itself and the second padding disappears.
    The padded columns then hold whatever the ops make of them instead of
    zeros, which is exact for the columns kept: matmul columns are
    independent, and the pass checks that the later padded columns are only
    ever sliced away. That leaves one slice at the end of the chain, and
    lets the GPU conversion fuse the ops into the kernel and keep the
    intermediate result on the device. Likewise a column-wise op on the
    slice of a padded matmul result (the bias after the last layer) runs on
    the padded result, and the slice follows it. (Static N only.)

    Example (N = 3):

    ```mlir
    %y = hinm.matmul %w, %x : !W, tensor<512x3xf16> -> tensor<80x3xf32>
    // becomes
    %zero = arith.constant 0.000000e+00 : f16
    %xp = tensor.pad %x low[0, 0] high[0, 5] {
    ^bb0(%i: index, %j: index):
      tensor.yield %zero : f16
    } : tensor<512x3xf16> to tensor<512x8xf16>
    %yp = hinm.matmul %w, %xp : !W, tensor<512x8xf16> -> tensor<80x8xf32>
    %y = tensor.extract_slice %yp[0, 0] [80, 3] [1, 1]
        : tensor<80x8xf32> to tensor<80x3xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"multiple", "multiple", "int64_t", /*default=*/"8",
           "Pad N up to a multiple of this (1 to 4096)">,
  ];
}

def HiNMPadMatmulKeptPass
    : Pass<"hinm-pad-matmul-kept", "::mlir::func::FuncOp"> {
  let summary = "Pads the kept count of hinm.matmul weights to a multiple "
                "for the GPU kernel";
  let description = [{
    The GPU kernel (`convert-hinm-to-nvgpu`) consumes a block's kept
    columns in k tiles of 32, one `mma.sp` k step, so it needs the format's
    `kept` to be a multiple of 32. Pruning keeps a multiple of M: a layer of
    144 input columns at 50% vector sparsity keeps 72, one of 120 keeps 60.
    For a `hinm.matmul` whose weight comes from `hinm.assemble` and whose
    `kept` is not a multiple of `multiple` (and of M), this pass rewrites it
    into a `hinm.matmul` on an equivalent matrix with `kept` rounded up:
    the matrix gains that many all-zero columns, appended after its last
    one, which every block keeps in new groups that store zeros, and the
    activations gain as many zero rows (`tensor.pad`). The product is
    exactly the same: the added terms are zero times zero, and no pruned
    column is read, so an Inf or NaN there cannot leak into the result. The
    cost is the added k steps (72 runs as 96). The format of the user's
    matrix is unchanged everywhere else.

    Constant storage parts are padded at compile time (new constants,
    checked by `hinm.assemble`'s verifier); parts known only at run time
    (a `!hinm.matrix` function argument) are padded by `tensor.pad`,
    `tensor.insert_slice` and a `linalg.generic` that merges the new
    metadata fields into each row's words. Weights that do not come from
    `hinm.assemble` are left for the conversion to report.
    `--hinm-gpu-pipeline` runs this pass before the conversion.

    Example (kept 72 of 144 columns):

    ```mlir
    %y = hinm.matmul %w, %x : !hinm.matrix<64x144xf16, #hinm.format<
        vector_size = 32, kept = 72, n = 2, m = 4>>, tensor<144x64xf16>
        -> tensor<64x64xf32>
    // becomes (%wp: hinm.assemble of the padded constants)
    %xp = tensor.pad %x low[0, 0] high[24, 0] { ... zero ... }
        : tensor<144x64xf16> to tensor<168x64xf16>
    %y = hinm.matmul %wp, %xp : !hinm.matrix<64x168xf16, #hinm.format<
        vector_size = 32, kept = 96, n = 2, m = 4>>, tensor<168x64xf16>
        -> tensor<64x64xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"multiple", "multiple", "int64_t", /*default=*/"32",
           "Round kept up to a multiple of this and of M (1 to 4096)">,
  ];
}

def HiNMSinkResultReshapesPass
    : Pass<"hinm-sink-result-reshapes", "::mlir::func::FuncOp"> {
  let summary = "Moves elementwise ops on a reshaped hinm.matmul result "
                "before the reshape";
  let description = [{
    A convolution's `hinm.matmul` computes its GEMM view, `rows x N*H*W`,
    and a `tensor.expand_shape` turns that into the convolution's result
    (`N x C x H x W` for a batch of one). The bias, activation and cast that
    follow are then elementwise linalg ops on the 4-D tensor, which the GPU
    conversion cannot fuse into the kernel's epilogue: it fuses ops on the
    matmul's 2-D result. This pass rewrites such an op to run on the 2-D
    result and puts the `tensor.expand_shape` after it, so the ops become
    the matmul's epilogue (applied before the kernel's store) and, between
    two layers, the gather kernel reads the already activated, narrower
    values.

    It applies to a linalg op whose loops are all parallel, whose body is
    scalar `arith`/`math`, whose output map is the identity and unread, and
    that reads the `tensor.expand_shape` of a matmul result (possibly
    through ops this pass already moved) through the identity map. Each
    other input must be a scalar, a tensor read through a map that becomes
    a projected permutation of the 2-D loops once the reshape's index map
    is substituted (a per-channel bias `(n, c, h, w) -> (c)` becomes
    `(row, col) -> (row)` when the batch is 1), or a tensor of the 4-D
    shape read through the identity (collapsed like the result). Other ops
    are left alone. The rewrite changes no value: every element is computed
    by the same body from the same inputs. `--hinm-gpu-pipeline` runs it
    before the conversion.

    Example:

    ```mlir
    %y = hinm.matmul %w, %x : !W, tensor<576x256xf16> -> tensor<64x256xf32>
    %e = tensor.expand_shape %y [[0, 1], [2, 3]] output_shape [1, 64, 16, 16]
        : tensor<64x256xf32> into tensor<1x64x16x16xf32>
    %r = linalg.generic {indexing_maps = [(n, c, h, w) -> (n, c, h, w),
                                          (n, c, h, w) -> (c),
                                          (n, c, h, w) -> (n, c, h, w)], ...}
        ins(%e, %bias : tensor<1x64x16x16xf32>, tensor<64xf32>) ... // bias + ReLU
    // becomes
    %r2 = linalg.generic {indexing_maps = [(i, j) -> (i, j), (i, j) -> (i),
                                           (i, j) -> (i, j)], ...}
        ins(%y, %bias : tensor<64x256xf32>, tensor<64xf32>) ...
    %r = tensor.expand_shape %r2 [[0, 1], [2, 3]] output_shape [1, 64, 16, 16]
        : tensor<64x256xf32> into tensor<1x64x16x16xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def HiNMAssertToStderrPass : Pass<"hinm-assert-to-stderr", "::mlir::ModuleOp"> {
  let summary = "Lowers cf.assert and hinm.assert to a report on stderr and abort()";
  let description = [{
    Upstream lowers a failed `cf.assert` to `puts(message)` and `abort()`.
    `puts` writes to stdout, which is block-buffered when it is a pipe or a
    file, and `abort()` does not flush it: the message of a failed run-time
    check (a shape mismatch through dynamic dims, an index out of range in
    run-time storage) is then lost and only the crash remains. This pass
    rewrites each `cf.assert %cond, "msg"` in a function into `scf.if` on
    the negated condition that writes `msg` to the unbuffered stderr
    (`fputs`) and calls `abort()`, so the reason always reaches the user.
    A `hinm.assert` with values becomes the same branch with
    `fprintf(stderr, ...)`, each `{}` of its message printed as a 64-bit
    signed integer (`%lld`; a `%` in the message is escaped), so the report
    says which entry failed. `--hinm-cpu-pipeline` and
    `--hinm-gpu-pipeline` run it before lowering scf.

    Example:

    ```mlir
    cf.assert %ok, "hinm.matmul: input rows differ from the weight's columns"
    // becomes
    %fail = arith.xori %ok, %true : i1
    scf.if %fail {
      // llvm.call @fputs(<message>, <stderr>); llvm.call @abort()
    }

    hinm.assert %ok, "hinm.matmul: row permutation entry out of range: entry {} is {}, not in [0, 32)"
        (%p, %r : index, i32)
    // becomes
    scf.if %fail {
      // %p64 = arith.index_cast %p; %r64 = arith.extsi %r
      // llvm.call @fprintf(<stderr>, <"...: entry %lld is %lld, ...">, %p64, %r64)
      // llvm.call @abort()
    }
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // HINM_TRANSFORMS_PASSES_TD
