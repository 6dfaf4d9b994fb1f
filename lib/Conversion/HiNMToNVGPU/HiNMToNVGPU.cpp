//===- HiNMToNVGPU.cpp - hinm.matmul to an mma.sp GPU kernel --------------===//
//
// Part of the hinm project. Rewrites hinm.matmul into host code (device
// copies of the storage parts and activations, one async token chain) and a
// gpu.launch whose body is a tiled sparse tensor-core kernel (built by
// MatmulKernel.cpp: cp.async gather of activation rows through the vector
// index, ldmatrix, mma.sp m16n8k32, an epilogue that applies the row
// permutation). This file chooses the tiling, checks what the kernel needs,
// and builds the host side: device buffers and globals, gather kernels
// between layers, values kept on the device. docs/gpu-codegen.md walks
// through it.
//
//===----------------------------------------------------------------------===//
#include "hinm/Conversion/HiNMToNVGPU/HiNMToNVGPU.h"

#include "DeviceGather.h"
#include "Epilogue.h"
#include "MatmulKernel.h"
#include "hinm/Algorithm/MmaSpLayout.h"
#include "hinm/Conversion/Passes.h"
#include "hinm/Conversion/Utils/RuntimeChecks.h"
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"

#include <numeric>

namespace hinm {
#define GEN_PASS_DEF_CONVERTHINMTONVGPU
#include "hinm/Conversion/Passes.h.inc"
} // namespace hinm

using namespace mlir;
using namespace hinm;

//===----------------------------------------------------------------------===//
// Tiling
//===----------------------------------------------------------------------===//

static bool isPowerOf2(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

/// Name of the tiling dictionary on the launch and the outlined kernel.
static constexpr llvm::StringLiteral kTilingAttrName = "hinm.tiling";

std::string hinm::chooseGPUTiling(const GPUTileOptions &o, int64_t paddedRows,
                                  int64_t vectorSize, int64_t kept, int64_t n,
                                  GPUTiling &t) {
  if (o.blockM < 16 || o.blockM % 16 != 0)
    return "block-m must be a positive multiple of 16, got " +
           std::to_string(o.blockM);
  if (o.warpsM < 1 || o.warpsN < 1)
    return "warps-m and warps-n must be >= 1";
  if (o.warpsM * o.warpsN > 32)
    return "at most 32 warps per block";
  if (o.blockN < 8 || !isPowerOf2(o.blockN / 8) || o.blockN % 8 != 0)
    return "block-n must be 8 times a power of two, got " +
           std::to_string(o.blockN);
  if (o.blockN % (8 * o.warpsN) != 0)
    return "block-n must be a multiple of 8 * warps-n";
  if (o.stages < 2)
    return "stages must be >= 2 (cp.async double buffering at least)";
  if (o.kTile != 32 && o.kTile != 64)
    return "k-tile must be 32 or 64, got " + std::to_string(o.kTile);
  if (vectorSize % 16 != 0 || kept % 32 != 0 || n % 8 != 0)
    return "V must be a multiple of 16, kept of 32 and N of 8";
  // All rows of a block tile must lie in one V-block (one vector index).
  t.blockM = std::gcd(o.blockM, vectorSize);
  t.warpsM = std::min(o.warpsM, t.blockM / 16);
  while ((t.blockM / 16) % t.warpsM != 0)
    --t.warpsM;
  t.warpRows = t.blockM / t.warpsM;
  t.mTiles = t.warpRows / mmasp::kTileM;
  t.blockN = o.blockN;
  t.warpsN = o.warpsN;
  t.warpCols = t.blockN / t.warpsN;
  t.nTiles = t.warpCols / mmasp::kTileN;
  t.stages = o.stages;
  t.threads = t.warpsM * t.warpsN * 32;
  t.gridX = paddedRows / t.blockM;
  t.gridY = (n + t.blockN - 1) / t.blockN;
  auto shared = [&](int64_t kTile) {
    return t.stages * (t.blockM * kTile / 2 + kTile * t.blockN) * 2;
  };
  const int64_t limit = 48 * 1024; // static shared memory per block
  // A 64-wide k tile needs kept % 64 == 0 and twice the shared memory of a
  // 32-wide one; otherwise fall back to 32.
  t.kTile = o.kTile;
  if (kept % t.kTile != 0 || shared(t.kTile) > limit)
    t.kTile = mmasp::kTileK;
  t.kSteps = t.kTile / mmasp::kTileK;
  t.kTiles = kept / t.kTile;
  t.sharedBytes = shared(t.kTile);
  if (t.sharedBytes > limit)
    return "the tiles need " + std::to_string(t.sharedBytes) +
           " bytes of shared memory, more than the 48 KiB of static shared "
           "memory; lower stages, block-m or block-n";
  return "";
}

std::string hinm::resolveOrderedMetadata(const std::string &option,
                                         unsigned sm, unsigned ptx,
                                         bool &ordered) {
  bool ptxAllows = ptx == 0 || ptx >= kOrderedMetadataMinPtx;
  if (option == "auto") {
    // The form sm_90 and newer run at full rate, where the PTX version
    // allows it (an explicit older +ptxNN keeps plain mma.sp).
    ordered = sm >= 90 && ptxAllows;
    return "";
  }
  if (option == "true" || option == "1")
    ordered = true;
  else if (option == "false" || option == "0")
    ordered = false;
  else
    return "ordered-metadata must be auto, true or false, got '" + option +
           "'";
  // The NVPTX backend aborts ("Cannot select") on the ordered form below
  // PTX 8.5: report it instead.
  if (ordered && !ptxAllows)
    return "mma.sp::ordered_metadata needs PTX ISA 8.5 or newer, but the "
           "features ask for PTX " +
           std::to_string(ptx / 10) + "." + std::to_string(ptx % 10) +
           "; use features=+ptx85 or ordered-metadata=false";
  return "";
}

unsigned hinm::ptxVersionOf(const std::string &features) {
  // Features are comma-separated, e.g. "+ptx85" or "+ptx80,+foo".
  StringRef rest(features);
  unsigned best = 0;
  while (!rest.empty()) {
    auto [item, tail] = rest.split(',');
    rest = tail;
    item = item.trim();
    unsigned v = 0;
    if (item.consume_front("+ptx") && !item.getAsInteger(10, v))
      best = std::max(best, v);
  }
  return best;
}

//===----------------------------------------------------------------------===//
// Checks
//===----------------------------------------------------------------------===//

/// The N given to chooseGPUTiling: a dynamic N is a multiple of a 16-byte
/// chunk at run time (padded, or checked); its grid size is computed then.
static int64_t tilingN(int64_t n) {
  return ShapedType::isDynamic(n) ? mmasp::kChunkElems : n;
}

/// Why `op` cannot go to the GPU kernel ("" if it can).
static std::string unsupportedReason(MatmulOp op) {
  auto wType = cast<MatrixType>(op.getWeight().getType());
  auto fmt = wType.getFormat();
  auto in = dyn_cast<RankedTensorType>(op.getInput().getType());
  auto res = dyn_cast<RankedTensorType>(op.getResult().getType());
  if (fmt.getN() != 2 || fmt.getM() != 4)
    return "only 2:4 sparsity maps to mma.sp; got " +
           std::to_string(fmt.getN()) + ":" + std::to_string(fmt.getM());
  Type wElt = wType.getElementType();
  if (!wElt.isF16() && !wElt.isBF16())
    return "the GPU kernel needs f16 or bf16 weights (mma.sp .f16/.bf16)";
  if (!in || !res || in.getRank() != 2 || res.getRank() != 2 ||
      ShapedType::isDynamic(in.getDimSize(0)) ||
      ShapedType::isDynamic(res.getDimSize(0)))
    return "the GPU kernel needs static shapes (only N, the activations' "
           "column count, may be dynamic)";
  if (ShapedType::isDynamic(in.getDimSize(1)) !=
      ShapedType::isDynamic(res.getDimSize(1)))
    return "N must be dynamic in both the activations and the result, or "
           "static in both";
  if (in.getElementType() != wElt)
    return "the activations must have the weights' element type";
  if (fmt.getVectorSize() % 16 != 0)
    return "vector_size must be a multiple of 16 (the mma.sp tile height), "
           "got " + std::to_string(fmt.getVectorSize());
  if (fmt.getKept() % 32 != 0)
    return "kept must be a multiple of 32 (the mma.sp k step), got " +
           std::to_string(fmt.getKept()) +
           "; --hinm-pad-matmul-kept (part of --hinm-gpu-pipeline) pads a "
           "weight built by hinm.assemble";
  if (!ShapedType::isDynamic(in.getDimSize(1)) &&
      in.getDimSize(1) % mmasp::kChunkElems != 0)
    return "N must be a multiple of 8 (16-byte cp.async rows), got " +
           std::to_string(in.getDimSize(1)) +
           "; --hinm-pad-matmul-columns (part of --hinm-gpu-pipeline) pads it";
  Type resElt = res.getElementType();
  if (wElt.isBF16() && !resElt.isF32())
    return "bf16 weights need an f32 result (mma.sp has no bf16 "
           "accumulator)";
  if (!resElt.isF32() && !resElt.isF16())
    return "the result must be f32 or f16";
  return "";
}

//===----------------------------------------------------------------------===//
// Host side
//===----------------------------------------------------------------------===//

/// Checks, on the host and before anything reaches the device, the storage
/// parts of `assemble` that are not constants (the verifier checked those):
/// the kernel indexes the activations with the vector index and the output
/// with the row permutation without bounds checks, and mma.sp (both forms;
/// the ordered one makes anything else undefined) reads each group's two
/// metadata positions as ascending. The value part needs no check.
static void emitRuntimeChecks(MatmulOp op, AssembleOp assemble) {
  ImplicitLocOpBuilder b(op.getLoc(), op);
  auto wType = cast<MatrixType>(op.getWeight().getType());
  StringRef name = "hinm.matmul";
  // The scratch tensors of the checks (the seen-columns table, the unused
  // inverse permutation) are ordinary tensors: after bufferization the
  // pipeline's ownership-based deallocation frees them.
  if (!isVerifiedConstant(assemble.getVectorIndex()))
    assertVectorIndexValid(b, assemble.getVectorIndex(), wType, name);
  if (!isVerifiedConstant(assemble.getRowPerm()))
    (void)assertRowPermValidAndInvert(b, assemble.getRowPerm(), wType, name);
  if (!isVerifiedConstant(assemble.getMetadata()))
    assertMetadataValid(b, assemble.getMetadata(), wType, name);
}

/// The storage parts of hinm.assemble in operand order, as diagnostics name
/// them; a part's device global is `__hinm_<name>`.
static constexpr StringLiteral kPartNames[] = {"values", "vector_index",
                                               "metadata", "row_perm"};

/// The name of the first constant storage part of `assemble` whose
/// `dense_resource` has no data (an elided or missing blob), or "". Its
/// bytes can be neither embedded in the kernel's module nor copied from the
/// host, so the conversion reports it instead of the LLVM translation
/// failing later without a location.
static StringRef partWithoutData(AssembleOp assemble) {
  for (auto [part, name] : llvm::zip(assemble->getOperands(), kPartNames)) {
    DenseResourceElementsAttr resource;
    if (matchPattern(part, m_Constant(&resource)) &&
        !resource.getRawHandle().getBlob())
      return name;
  }
  return "";
}

/// Device-memory globals made for constant storage parts, by constant (two
/// matmuls on one weight share them).
using DeviceGlobals = DenseMap<Attribute, memref::GlobalOp>;

/// The private `memref.global` in device global memory holding constant
/// storage part `value` (created on first use, after the module's other
/// ops). `gpu-kernel-outlining` copies the globals a kernel names into its
/// gpu.module, so the part is uploaded once, with the module; the host copy
/// is unused after outlining and removed by symbol DCE.
static memref::GlobalOp deviceGlobalFor(ElementsAttr value, StringRef name,
                                        ModuleOp module,
                                        DeviceGlobals &globals) {
  if (memref::GlobalOp g = globals.lookup(value))
    return g;
  auto tt = cast<RankedTensorType>(value.getType());
  auto type = MemRefType::get(
      tt.getShape(), tt.getElementType(), MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(module.getContext(),
                                 gpu::AddressSpace::Global));
  // Created detached: the symbol table inserts it at the module's end and
  // renames it if the name is taken.
  OpBuilder b(module.getContext());
  auto g = memref::GlobalOp::create(
      b, module.getLoc(), name, b.getStringAttr("private"), type, value,
      /*constant=*/true, /*alignment=*/b.getI64IntegerAttr(16));
  SymbolTable(module).insert(g);
  globals[value] = g;
  return g;
}

namespace {
/// What the lowering of one matmul shares with the others.
struct LoweringState {
  /// Constant storage parts become device globals (else copies per call).
  bool useGlobals = true;
  DeviceGlobals globals;
  /// The elementwise ops that consume a result run in the kernel.
  bool fuseEpilogue = true;
  /// The element-moving ops between two matmuls (DeviceGather.h) run as a
  /// gather kernel, and the activations stay on the device.
  bool deviceGather = true;
  /// The matmuls not lowered yet.
  DenseSet<Operation *> pending;
  /// A value that stays on the device: its buffer, and how many kernels
  /// still read it (the next matmul or gather kernel, and later kernels'
  /// epilogues: a residual input).
  struct DeviceValue {
    Value buffer;
    int readers;
  };
  /// The tensors standing for a matmul's result or a gather kernel's output
  /// (a to_tensor of its device buffer) that only kernels read.
  DenseMap<Value, DeviceValue> deviceResults;

  /// The device buffer of `v` if it stays on the device (else null), for
  /// one reader: after the last one, the buffer goes to `toFree`, which the
  /// reader frees after its launch.
  Value readDeviceValue(Value v, SmallVectorImpl<Value> &toFree) {
    auto it = deviceResults.find(v);
    if (it == deviceResults.end())
      return Value();
    Value buffer = it->second.buffer;
    if (--it->second.readers == 0) {
      toFree.push_back(buffer);
      deviceResults.erase(it);
    }
    return buffer;
  }
};
} // namespace

/// A device buffer allocated after `tok`, which it advances. Device buffers
/// are freed by hand (createDeviceFree): the mark keeps the ownership-based
/// deallocation of the host code from managing them (it rejects frees it
/// does not know about).
static Value createDeviceAlloc(OpBuilder &b, Location loc, MemRefType type,
                               ValueRange dynSizes, Value &tok) {
  auto alloc = gpu::AllocOp::create(b, loc, type, tok.getType(),
                                    ValueRange{tok}, dynSizes, ValueRange{},
                                    /*hostShared=*/false);
  alloc->setAttr(bufferization::BufferizationDialect::kManualDeallocation,
                 b.getUnitAttr());
  tok = alloc.getAsyncToken();
  return alloc.getMemref();
}

/// A device copy of the host tensor `tensor` (a new buffer; `dynSizes` for
/// its dynamic dimensions), after `tok`, which it advances.
static Value createDeviceCopy(OpBuilder &b, Location loc, Value tensor,
                              ValueRange dynSizes, Value &tok) {
  auto tt = cast<RankedTensorType>(tensor.getType());
  auto mt = MemRefType::get(tt.getShape(), tt.getElementType());
  Value host = bufferization::ToBufferOp::create(b, loc, mt, tensor,
                                                 /*read_only=*/true);
  Value dev = createDeviceAlloc(b, loc, mt, dynSizes, tok);
  tok = gpu::MemcpyOp::create(b, loc, tok.getType(), ValueRange{tok}, dev, host)
            .getAsyncToken();
  return dev;
}

static void createDeviceFree(OpBuilder &b, Location loc, Value buf,
                             Value &tok) {
  auto dealloc =
      gpu::DeallocOp::create(b, loc, tok.getType(), ValueRange{tok}, buf);
  dealloc->setAttr(bufferization::BufferizationDialect::kManualDeallocation,
                   b.getUnitAttr());
  tok = dealloc.getAsyncToken();
}

/// Threads per block of the gather kernels (one element each), and the
/// most blocks a grid's x dimension takes.
static constexpr int64_t kGatherThreads = 256;
static constexpr int64_t kMaxGatherBlocks = (int64_t(1) << 31) - 1;

/// Lowers `chain` (its start value on the device, state.deviceResults) to
/// one gather kernel, built where the chain's last op was (every value the
/// ops capture is defined there). The kernel frees nothing; the host code
/// frees the start value's buffer after it when it is the last reader. The
/// output stays on the device for `chain.next`, which reads and frees it, or,
/// when the chain ends on the host, is copied back and freed. Constant operands
/// become device globals (or per-call copies without state.useGlobals), scalars
/// kernel arguments.
static void lowerGatherChain(const GatherChain &chain, LoweringState &state) {
  Operation *last = chain.ops.back();
  OpBuilder b(last);
  Location loc = last->getLoc();
  MLIRContext *ctx = b.getContext();
  auto module = last->getParentOfType<ModuleOp>();
  auto tokTy = gpu::AsyncTokenType::get(ctx);
  Value tok = gpu::WaitOp::create(b, loc, tokTy, ValueRange{}).getAsyncToken();
  SmallVector<Value> toFree;
  Value src = state.readDeviceValue(chain.start(), toFree);
  assert(src && "a gather chain starts at a value on the device");
  SmallVector<memref::GlobalOp> operandGlobals;
  SmallVector<Value> operandValues;
  for (Value v : chain.operands) {
    ElementsAttr value;
    operandGlobals.push_back(nullptr);
    if (!matchPattern(v, m_Constant(&value))) {
      operandValues.push_back(v); // a scalar
      continue;
    }
    if (state.useGlobals) {
      operandGlobals.back() =
          deviceGlobalFor(value, "__hinm_gather", module, state.globals);
      operandValues.push_back(Value());
      continue;
    }
    operandValues.push_back(createDeviceCopy(b, loc, v, ValueRange{}, tok));
    toFree.push_back(operandValues.back());
  }
  auto resType = cast<RankedTensorType>(chain.result().getType());
  Value dst = createDeviceAlloc(
      b, loc, MemRefType::get(resType.getShape(), resType.getElementType()),
      ValueRange{}, tok);
  int64_t total = resType.getNumElements();
  auto cidx = [&](int64_t c) -> Value {
    return arith::ConstantIndexOp::create(b, loc, c);
  };
  Value one = cidx(1);
  // At least one block: a zero-sized grid is a launch error.
  int64_t blocks =
      std::max<int64_t>(1, llvm::divideCeil(total, kGatherThreads));
  auto launch = gpu::LaunchOp::create(
      b, loc, cidx(blocks), one, one, cidx(kGatherThreads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, tokTy, ValueRange{tok});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launch.getBody().front());
    for (auto [g, v] : llvm::zip(operandGlobals, operandValues))
      if (g)
        v = memref::GetGlobalOp::create(b, loc, g.getType(), g.getSymName());
    Value linear = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                              cidx(kGatherThreads)),
        launch.getThreadIds().x);
    Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                         linear, cidx(total));
    auto guardIf = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
    b.setInsertionPointToStart(guardIf.thenBlock());
    buildGatherElement(b, loc, chain, src, operandValues, dst, linear);
    b.setInsertionPointToEnd(&launch.getBody().front());
    gpu::TerminatorOp::create(b, loc);
  }
  tok = launch.getAsyncToken();
  Value hostOut;
  if (!chain.next) {
    hostOut = memref::AllocOp::create(b, loc, cast<MemRefType>(dst.getType()));
    tok = gpu::MemcpyOp::create(b, loc, tokTy, ValueRange{tok}, hostOut, dst)
              .getAsyncToken();
    toFree.push_back(dst);
  }
  for (Value buf : toFree)
    createDeviceFree(b, loc, buf, tok);
  gpu::WaitOp::create(b, loc, Type(), ValueRange{tok});
  Value result = bufferization::ToTensorOp::create(
      b, loc, resType, hostOut ? hostOut : dst, /*restrict=*/true,
      /*writable=*/bool(hostOut));
  if (!hostOut)
    state.deviceResults[result] = {dst, 1};
  chain.result().replaceAllUsesWith(result);
  for (Operation *op : llvm::reverse(chain.ops))
    op->erase();
}

/// The pending matmul in `block` whose fused epilogue takes `user` with
/// `value` as a full-matrix operand (a residual input added to a later
/// layer's result), so that its kernel can read `value` from the device;
/// null if there is none.
static MatmulOp epilogueReading(Operation *user, Value value, Block *block,
                                const LoweringState &state) {
  if (!state.fuseEpilogue || user->getBlock() != block ||
      !isa<linalg::LinalgOp>(user))
    return nullptr;
  for (Operation *pending : state.pending) {
    auto next = cast<MatmulOp>(pending);
    if (next->getBlock() != block)
      continue;
    MatmulEpilogue epi = collectEpilogue(next);
    auto at = llvm::find(epi.ops, cast<linalg::LinalgOp>(user));
    if (at == epi.ops.end())
      continue;
    // Every input of the op that is `value` is an operand of the epilogue
    // (not its chained value) read in place: as the full matrix.
    const SmallVector<int> &inputs = epi.inputs[at - epi.ops.begin()];
    for (auto [j, in] : llvm::enumerate(inputs)) {
      if (cast<linalg::LinalgOp>(user).getDpsInputOperand(j)->get() != value)
        continue;
      if (in < 0 || epi.operands[in].kind != EpilogueOperand::Kind::Element)
        return nullptr;
    }
    return next;
  }
  return nullptr;
}

/// Rewrites `op` (weight from `assemble`) into device copies + gpu.launch.
/// Constant storage parts become device globals instead of copies
/// (state.useGlobals). With state.fuseEpilogue, the elementwise ops that
/// consume the result (collectEpilogue) run in the kernel before its store
/// and disappear from the host code; the lowering then sits where the last
/// of them was. A result that only kernels read is not copied back to the
/// host: another matmul, as its activations in the same block, directly or
/// through ops that only move or map elements (a gather chain, which
/// lowerGatherChain turns into a kernel), and later matmuls' epilogues (a
/// residual input, epilogueReading). Each reads the device buffer
/// (state.deviceResults), and the last one frees it.
static void lowerMatmul(MatmulOp op, AssembleOp assemble, const GPUTiling &t,
                        bool orderedMetadata, bool runtimeChecks,
                        LoweringState &state) {
  state.pending.erase(op);
  DeviceGlobals *globals = state.useGlobals ? &state.globals : nullptr;
  MatmulEpilogue tail =
      state.fuseEpilogue ? collectEpilogue(op) : MatmulEpilogue();
  if (runtimeChecks)
    emitRuntimeChecks(op, assemble);
  OpBuilder b(tail.empty() ? op.getOperation() : tail.last());
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto wType = cast<MatrixType>(op.getWeight().getType());
  auto resType = cast<RankedTensorType>(op.getResult().getType());
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto tokTy = gpu::AsyncTokenType::get(ctx);

  // Dynamic N comes from the activations. The kernel copies 16-byte
  // activation rows, so N must be a multiple of 8: checked at run time,
  // unless hinm-pad-matmul-columns padded it (kNMultipleOfAttrName).
  Value nValue;
  SmallVector<Value> nSizes;
  if (inType.isDynamicDim(1)) {
    nValue = tensor::DimOp::create(b, loc, op.getInput(), 1);
    nSizes.push_back(nValue);
  }
  // (The dialect verifies that the attribute is a positive integer.)
  auto nMultiple = op->getAttrOfType<IntegerAttr>(kNMultipleOfAttrName);
  if (nValue &&
      !(nMultiple && nMultiple.getInt() % mmasp::kChunkElems == 0)) {
    Value chunk = arith::ConstantIndexOp::create(b, loc, mmasp::kChunkElems);
    Value rem = arith::RemUIOp::create(b, loc, nValue, chunk);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value aligned =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rem, zero);
    AssertOp::create(
        b, loc, aligned,
        "hinm.matmul: N, the activations' column count, is {}; it must be a "
        "multiple of 8 on the GPU (16-byte activation rows): pad the "
        "activations",
        ValueRange{nValue});
  }

  Value tok = gpu::WaitOp::create(b, loc, tokTy, ValueRange{}).getAsyncToken();
  SmallVector<Value> deviceBufs;
  // `type` may have a dynamic N (its last dimension): `dynSizes` holds it.
  auto deviceAlloc = [&](MemRefType type, ValueRange dynSizes) -> Value {
    deviceBufs.push_back(createDeviceAlloc(b, loc, type, dynSizes, tok));
    return deviceBufs.back();
  };
  auto toDevice = [&](Value tensor) -> Value {
    bool dynamic = !cast<RankedTensorType>(tensor.getType()).hasStaticShape();
    deviceBufs.push_back(createDeviceCopy(
        b, loc, tensor, dynamic ? ValueRange(nSizes) : ValueRange{}, tok));
    return deviceBufs.back();
  };
  // Constant parts (a pruned model's weights) live in device globals that
  // the kernel names; only run-time parts are copied per call.
  auto module = op->getParentOfType<ModuleOp>();
  SmallVector<memref::GlobalOp, 4> partGlobals;
  SmallVector<Value, 4> parts;
  for (auto [part, name] : llvm::zip(assemble->getOperands(), kPartNames)) {
    ElementsAttr value;
    if (globals && matchPattern(part, m_Constant(&value))) {
      partGlobals.push_back(
          deviceGlobalFor(value, ("__hinm_" + name).str(), module, *globals));
      parts.push_back(Value());
    } else {
      partGlobals.push_back(nullptr);
      parts.push_back(toDevice(part));
    }
  }
  // Activations that a previous kernel left on the device are read in
  // place, and freed after this launch.
  Value x = state.readDeviceValue(op.getInput(), deviceBufs);
  if (!x)
    x = toDevice(op.getInput());
  // The fused tail's operands: tensors go to the device like the storage
  // parts (constants as device globals), scalars and rank-0 tensors are
  // passed by value.
  SmallVector<memref::GlobalOp> tailGlobals;
  SmallVector<Value> tailValues;
  for (const EpilogueOperand &operand : tail.operands) {
    Value v = operand.source;
    ElementsAttr value;
    if (operand.kind == EpilogueOperand::Kind::Scalar) {
      if (isa<RankedTensorType>(v.getType()))
        v = tensor::ExtractOp::create(b, loc, v, ValueRange{});
      tailGlobals.push_back(nullptr);
      tailValues.push_back(v);
    } else if (globals && matchPattern(v, m_Constant(&value))) {
      tailGlobals.push_back(
          deviceGlobalFor(value, "__hinm_epilogue", module, *globals));
      tailValues.push_back(Value());
    } else if (Value dev = state.readDeviceValue(v, deviceBufs)) {
      // An earlier kernel's output (a residual input), read in place.
      tailGlobals.push_back(nullptr);
      tailValues.push_back(dev);
    } else {
      tailGlobals.push_back(nullptr);
      tailValues.push_back(toDevice(v));
    }
  }
  RankedTensorType finalType =
      tail.empty() ? resType : cast<RankedTensorType>(tail.result().getType());
  auto outType =
      MemRefType::get(finalType.getShape(), finalType.getElementType());
  Value out = deviceAlloc(outType, nSizes);

  auto wg = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Type inElt = wType.getElementType();
  auto sAType = MemRefType::get({t.stages, t.blockM, t.kTile / 2}, inElt,
                                MemRefLayoutAttrInterface(), wg);
  auto sBType = MemRefType::get({t.stages, t.kTile, t.blockN}, inElt,
                                MemRefLayoutAttrInterface(), wg);
  auto cidx = [&](int64_t c) -> Value {
    return arith::ConstantIndexOp::create(b, loc, c);
  };
  Value one = cidx(1);
  // Column tiles: static, or ceil(N / blockN) at run time (at least one
  // block: a zero-sized grid is a launch error, and with N = 0 every column
  // guard is false).
  Value gridY = cidx(t.gridY);
  if (nValue)
    gridY = arith::MaxUIOp::create(
        b, loc,
        arith::CeilDivUIOp::create(b, loc, nValue, cidx(t.blockN)), one);
  // The launch configuration, for tools that read the IR (benchmarks): an
  // attribute on the gpu.launch and, since gpu-kernel-outlining drops
  // attributes but keeps locations, the metadata of the launch's location,
  // from which hinm-align-workgroup-buffers puts it on the outlined kernel.
  DictionaryAttr tiling = b.getDictionaryAttr({
      b.getNamedAttr("block_m", b.getI64IntegerAttr(t.blockM)),
      b.getNamedAttr("block_n", b.getI64IntegerAttr(t.blockN)),
      b.getNamedAttr("warps_m", b.getI64IntegerAttr(t.warpsM)),
      b.getNamedAttr("warps_n", b.getI64IntegerAttr(t.warpsN)),
      b.getNamedAttr("stages", b.getI64IntegerAttr(t.stages)),
      b.getNamedAttr("k_tile", b.getI64IntegerAttr(t.kTile)),
      b.getNamedAttr("shared_bytes", b.getI64IntegerAttr(t.sharedBytes)),
  });
  Location launchLoc = FusedLoc::get(
      ctx, {loc},
      b.getDictionaryAttr({b.getNamedAttr(kTilingAttrName, tiling)}));
  auto launch = gpu::LaunchOp::create(
      b, launchLoc, cidx(t.gridX), gridY, one, cidx(t.threads), one,
      one, /*dynamicSharedMemorySize=*/nullptr, tokTy, ValueRange{tok},
      TypeRange{sAType, sBType});
  launch->setAttr(kTilingAttrName, tiling);
  {
    OpBuilder::InsertionGuard guard(b);
    Block &body = launch.getBody().front();
    b.setInsertionPointToStart(&body);
    for (auto [g, part] : llvm::zip(partGlobals, parts))
      if (g)
        part = memref::GetGlobalOp::create(b, loc, g.getType(), g.getSymName());
    for (auto [g, v] : llvm::zip(tailGlobals, tailValues))
      if (g)
        v = memref::GetGlobalOp::create(b, loc, g.getType(), g.getSymName());
    MatmulKernelSpec spec;
    spec.tiling = &t;
    spec.rows = wType.getRows();
    spec.n = inType.getDimSize(1);
    spec.vectorSize = wType.getFormat().getVectorSize();
    spec.nValue = nValue;
    spec.inElt = inElt;
    spec.accElt = resType.getElementType();
    spec.orderedMetadata = orderedMetadata;
    spec.vals = parts[0];
    spec.vidx = parts[1];
    spec.meta = parts[2];
    spec.perm = parts[3];
    spec.x = x;
    spec.out = out;
    spec.sA = launch.getWorkgroupAttributions()[0];
    spec.sB = launch.getWorkgroupAttributions()[1];
    spec.tail = tail.empty() ? nullptr : &tail;
    spec.tailValues = tailValues;
    spec.outElt = finalType.getElementType();
    buildMatmulKernel(b, loc, spec, launch.getThreadIds().x,
                      launch.getBlockIds().x, launch.getBlockIds().y);
    gpu::TerminatorOp::create(b, loc);
  }
  tok = launch.getAsyncToken();

  // A result that only kernels read stays on the device: the next matmul
  // (as its activations, in this block, so once per execution of this
  // one), directly or through a gather chain, and later matmuls' epilogues
  // (a residual input).
  Value finalResult = tail.empty() ? op.getResult() : tail.result();
  Block *block = b.getInsertionBlock();
  // The later matmuls whose epilogues read the result: one read each, however
  // many of their ops use it (an epilogue loads each operand once).
  SetVector<Operation *> epilogueReaders;
  Operation *chainUser = nullptr;
  bool otherUser = false;
  for (Operation *user : finalResult.getUsers()) {
    if (user == chainUser)
      continue;
    if (MatmulOp reader = epilogueReading(user, finalResult, block, state))
      epilogueReaders.insert(reader);
    else if (!chainUser)
      chainUser = user;
    else
      otherUser = true;
  }
  GatherChain chain;
  if (!otherUser && chainUser)
    chain = collectGatherChain(
        finalResult, block,
        [&](MatmulOp next) { return state.pending.contains(next); }, chainUser);
  // Without device-gather, or beyond what one grid of gather blocks covers
  // (2^31 - 1 blocks), the chain's ops stay on the host.
  if (!chain.empty() &&
      (!state.deviceGather ||
       cast<ShapedType>(chain.result().getType()).getNumElements() >
           kMaxGatherBlocks * kGatherThreads))
    chain = GatherChain();
  bool chainOnDevice = chain.next || !chain.empty();
  // Every reader must be a kernel: one host reader brings the result back
  // (and the kernels that read it copy it over again).
  bool keepOnDevice =
      !otherUser && (chainUser ? chainOnDevice : !epilogueReaders.empty());
  Value hostOut;
  if (!keepOnDevice) {
    hostOut = memref::AllocOp::create(b, loc, outType, nSizes);
    tok = gpu::MemcpyOp::create(b, loc, tokTy, ValueRange{tok}, hostOut, out)
              .getAsyncToken();
  } else {
    deviceBufs.erase(llvm::find(deviceBufs, out)); // its last reader frees it
  }
  for (Value buf : deviceBufs)
    createDeviceFree(b, loc, buf, tok);
  gpu::WaitOp::create(b, loc, Type(), ValueRange{tok});
  // Kept on the device, the result tensor is only a name for the buffer:
  // the kernels read the buffer, and the host reads at most its shape (a
  // dynamic N).
  Value result = bufferization::ToTensorOp::create(
      b, loc, finalType, keepOnDevice ? out : hostOut, /*restrict=*/true,
      /*writable=*/!keepOnDevice);
  if (keepOnDevice)
    state.deviceResults[result] = {out, int(chainOnDevice) +
                                            int(epilogueReaders.size())};
  if (tail.empty()) {
    op.getResult().replaceAllUsesWith(result);
  } else {
    tail.result().replaceAllUsesWith(result);
    for (linalg::LinalgOp lop : llvm::reverse(tail.ops))
      lop->erase();
  }
  op.erase();
  if (!chain.empty()) // then the result stays on the device
    lowerGatherChain(chain, state);
}

/// Replaces each `!hinm.matrix` argument of `func` by its four storage
/// tensors and an entry `hinm.assemble`, so run-time weights reach the
/// device copies like constant ones.
static LogicalResult expandMatrixArguments(func::FuncOp func,
                                           ModuleOp module) {
  if (func.isExternal())
    return success();
  bool any = llvm::any_of(func.getArgumentTypes(),
                          [](Type t) { return isa<MatrixType>(t); });
  if (!any)
    return success();
  if (!SymbolTable::symbolKnownUseEmpty(func, module))
    return func.emitOpError()
           << "has !hinm.matrix arguments and is called inside the module; "
              "the GPU lowering expands such arguments into their storage "
              "tensors only for entry functions";
  Block &entry = func.front();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  for (unsigned i = 0; i < func.getNumArguments();) {
    auto mt = dyn_cast<MatrixType>(func.getArgument(i).getType());
    if (!mt) {
      ++i;
      continue;
    }
    Location loc = func.getArgument(i).getLoc();
    SmallVector<Type> parts = {mt.getValuesType(), mt.getVectorIndexType(),
                               mt.getMetadataType(), mt.getRowPermType()};
    SmallVector<unsigned> idxs(4, i + 1);
    SmallVector<DictionaryAttr> attrs(4, DictionaryAttr());
    SmallVector<Location> locs(4, loc);
    if (failed(func.insertArguments(idxs, parts, attrs, locs)))
      return func.emitOpError() << "cannot expand argument " << i;
    SmallVector<Value> vals;
    for (unsigned j = 0; j < 4; ++j)
      vals.push_back(func.getArgument(i + 1 + j));
    Value w = AssembleOp::create(b, loc, mt, vals[0], vals[1], vals[2], vals[3]);
    func.getArgument(i).replaceAllUsesWith(w);
    if (failed(func.eraseArgument(i)))
      return func.emitOpError() << "cannot erase argument " << i;
    i += 4;
  }
  return success();
}

namespace {
struct ConvertHiNMToNVGPUPass
    : public hinm::impl::ConvertHiNMToNVGPUBase<ConvertHiNMToNVGPUPass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    // The host code this emits must be deallocatable after outlining.
    registerGPUHostEffectModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    GPUTileOptions opts{blockM, blockN, warpsM, warpsN, stages, kTile};

    // The kernel's cp.async and mma.sp exist from sm_80 on; for an older
    // chip the NVVM backend would abort instead of reporting.
    std::string chipError;
    bool ordered = false;
    unsigned sm = 0;
    {
      StringRef c(chip);
      if (!c.consume_front("sm_") || c.empty() ||
          c.take_while([](char ch) { return isdigit(ch); }).getAsInteger(10, sm))
        chipError = "chip '" + chip + "' is not of the form sm_<number>";
      else if (sm < 80)
        chipError = "chip " + chip +
                    " has no cp.async/mma.sp; the kernel needs sm_80 or newer";
      else
        chipError = resolveOrderedMetadata(orderedMetadata, sm,
                                           ptxVersionOf(features), ordered);
    }

    // First check every matmul, so a bad one leaves the module untouched.
    SmallVector<MatmulOp> matmuls;
    bool failedAny = false;
    module.walk([&](MatmulOp op) {
      std::string why = chipError.empty() ? unsupportedReason(op) : chipError;
      GPUTiling tiling;
      if (why.empty()) {
        auto wType = cast<MatrixType>(op.getWeight().getType());
        auto in = cast<RankedTensorType>(op.getInput().getType());
        why = chooseGPUTiling(opts, wType.getPaddedRows(),
                              wType.getFormat().getVectorSize(),
                              wType.getFormat().getKept(),
                              tilingN(in.getDimSize(1)), tiling);
      }
      Value w = op.getWeight();
      if (why.empty() && !w.getDefiningOp<AssembleOp>() &&
          !(isa<BlockArgument>(w) &&
            isa<func::FuncOp>(w.getParentRegion()->getParentOp())))
        why = "the weight must come from hinm.assemble (constant or run-time "
              "storage) or be a function argument; canonicalize folds "
              "constant hinm.pack into hinm.assemble";
      if (auto assemble = w.getDefiningOp<AssembleOp>();
          why.empty() && assemble)
        if (StringRef part = partWithoutData(assemble); !part.empty())
          why = ("its constant storage part '" + part +
                 "' is a dense_resource without data (an elided or missing "
                 "blob)")
                    .str();
      if (!why.empty()) {
        op.emitOpError() << "cannot be lowered to the GPU kernel: " << why;
        failedAny = true;
        return;
      }
      matmuls.push_back(op);
    });
    if (failedAny)
      return signalPassFailure();

    for (auto func : module.getOps<func::FuncOp>())
      if (failed(expandMatrixArguments(func, module)))
        return signalPassFailure();

    LoweringState state;
    state.useGlobals = deviceGlobalWeights;
    state.fuseEpilogue = fuseEpilogue;
    state.deviceGather = deviceGather;
    for (MatmulOp op : matmuls)
      state.pending.insert(op);
    for (MatmulOp op : matmuls) {
      auto assemble = op.getWeight().getDefiningOp<AssembleOp>();
      auto wType = cast<MatrixType>(op.getWeight().getType());
      auto in = cast<RankedTensorType>(op.getInput().getType());
      GPUTiling tiling;
      (void)chooseGPUTiling(opts, wType.getPaddedRows(),
                            wType.getFormat().getVectorSize(),
                            wType.getFormat().getKept(),
                            tilingN(in.getDimSize(1)), tiling);
      lowerMatmul(op, assemble, tiling, ordered, runtimeChecks, state);
      if (assemble->use_empty())
        assemble->erase();
    }
    // Every buffer kept on the device was read by the kernels counted for
    // it, the last of which freed it; anything else would leave a host op
    // reading a device buffer.
    if (!state.deviceResults.empty()) {
      module.emitError() << "internal error: " << state.deviceResults.size()
                         << " result(s) kept on the device were not read by "
                            "the kernels expected to read them";
      return signalPassFailure();
    }
  }
};
} // namespace
