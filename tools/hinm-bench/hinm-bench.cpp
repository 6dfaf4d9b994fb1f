//===- hinm-bench.cpp - GPU benchmark of the HiNM kernels (issue 5) -------===//
//
// Part of the hinm project. For each (shape, variant) case: builds a module
// whose function takes the four storage tensors and the activations, does
// hinm.assemble + hinm.matmul, runs --hinm-gpu-pipeline (format=isa) on it
// in-process, and records what the host code would launch: for each
// gpu.launch_func the kernel name, grid, block, dynamic shared memory and the
// operands bound to buffers or constants (a pass instrumentation reads them
// right after gpu-kernel-outlining, while they are still memrefs and
// constants). Then, by mode:
//
//   --dry-run       no GPU: ptxas -v per kernel (registers, shared memory,
//                   spills) and the floor model per case;
//   --emit-plan=D   writes D/plan.json, the PTX and the ptxas cubin, for
//                   hinm-bench-run on a GPU machine without LLVM;
//   (default)       runs every case on the GPU: cuBLAS and our kernels, a
//                   full check against hinm::referenceMatmul, CUDA-graph
//                   timing; a table and --json.
//
// docs/benchmarks-gpu.md has the variants and the floor model.
//
//===----------------------------------------------------------------------===//
#include "CompiledCase.h"
#include "JSONForms.h"
#include "Options.h"
#include "Plan.h"
#include "Ptxas.h"
#include "Report.h"
#include "Run.h"

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/InitAll.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

#include <chrono>
#include <cstring>

using namespace mlir;
using namespace hinm;
using namespace hinm::bench;

static llvm::cl::OptionCategory toolCategory("hinm-bench compile options");

static llvm::cl::opt<bool> dryRun(
    "dry-run",
    llvm::cl::desc("Compile every case to PTX, run ptxas -v and print the "
                   "floor model; needs no GPU"),
    llvm::cl::init(false), llvm::cl::cat(toolCategory));
static llvm::cl::opt<std::string> emitPlan(
    "emit-plan",
    llvm::cl::desc("Write plan.json, the PTX and cubins into this folder, for "
                   "hinm-bench-run (runs nothing)"),
    llvm::cl::value_desc("dir"), llvm::cl::init(""),
    llvm::cl::cat(toolCategory));
static llvm::cl::opt<std::string>
    chip("chip", llvm::cl::desc("Target SM for the pipeline and ptxas"),
         llvm::cl::init("sm_90"), llvm::cl::cat(toolCategory));
static llvm::cl::opt<std::string>
    features("features",
             llvm::cl::desc("PTX features (PTX ISA version); empty: the "
                            "pipeline's choice (+ptx85 with ordered metadata "
                            "on sm_90, else +ptx80)"),
             llvm::cl::init(""), llvm::cl::cat(toolCategory));
static llvm::cl::opt<std::string> pipelineOptions(
    "pipeline-options",
    llvm::cl::desc("Extra --hinm-gpu-pipeline options, e.g. 'block-n=128 "
                   "stages=4'"),
    llvm::cl::init(""), llvm::cl::cat(toolCategory));
static llvm::cl::opt<std::string> tileConfigs(
    "tile-configs",
    llvm::cl::desc("Extra tile configurations to run for every HiNM variant, "
                   "';'-separated pipeline options, e.g. 'block-n=128 "
                   "stages=4;block-n=32 warps-n=1' (the defaults always run; "
                   "a configuration that does not fit a case is skipped)"),
    llvm::cl::init(""), llvm::cl::cat(toolCategory));
static llvm::cl::opt<std::string>
    ptxasPath("ptxas", llvm::cl::desc("ptxas to run (default: the toolkit's)"),
              llvm::cl::init(""), llvm::cl::cat(toolCategory));
static llvm::cl::opt<std::string> dumpIR(
    "dump-ir",
    llvm::cl::desc("Write each case's IR after gpu-kernel-outlining and at "
                   "the end of the pipeline into this folder"),
    llvm::cl::value_desc("dir"), llvm::cl::init(""),
    llvm::cl::cat(toolCategory));

//===----------------------------------------------------------------------===//
// Reading the launches
//===----------------------------------------------------------------------===//

/// The value under memref.cast and unrealized casts.
static Value stripCasts(Value v) {
  while (Operation *op = v.getDefiningOp()) {
    if (isa<memref::CastOp>(op) ||
        (isa<UnrealizedConversionCastOp>(op) && op->getNumOperands() == 1)) {
      v = op->getOperand(0);
      continue;
    }
    break;
  }
  return v;
}

/// Which of the function's buffers the device memref `v` holds: the
/// gpu.alloc that a gpu.memcpy fills from function argument i (the buffer
/// with id i, the function's arguments being in BufferId order), or that a
/// gpu.memcpy copies back (the output).
static FailureOr<BufferId> traceBuffer(Value v, std::string &why) {
  v = stripCasts(v);
  if (!v.getDefiningOp<gpu::AllocOp>()) {
    why = "a memref operand that is not a gpu.alloc";
    return failure();
  }
  bool copiedBack = false;
  for (Operation *user : v.getUsers()) {
    auto cp = dyn_cast<gpu::MemcpyOp>(user);
    if (!cp)
      continue;
    if (cp.getDst() == v) {
      auto arg = dyn_cast<BlockArgument>(stripCasts(cp.getSrc()));
      if (arg && isa<func::FuncOp>(arg.getOwner()->getParentOp()) &&
          arg.getArgNumber() < static_cast<unsigned>(BufferId::Out))
        return static_cast<BufferId>(arg.getArgNumber());
    } else if (cp.getSrc() == v) {
      copiedBack = true;
    }
  }
  if (copiedBack)
    return BufferId::Out;
  why = "a device buffer neither filled from a function argument nor copied "
        "back";
  return failure();
}

/// Appends the little-endian bytes of a constant attribute.
static LogicalResult appendAttrBytes(Attribute attr, Type type,
                                     std::vector<uint8_t> &out) {
  auto appendInt = [&](const APInt &v, unsigned bytes) {
    uint64_t bits = v.zextOrTrunc(64).getZExtValue();
    for (unsigned i = 0; i < bytes; ++i)
      out.push_back(static_cast<uint8_t>((bits >> (8 * i)) & 0xff));
  };
  auto intBytes = [](Type t) -> unsigned {
    if (t.isIndex())
      return 8; // index-bitwidth=64
    return (t.getIntOrFloatBitWidth() + 7) / 8;
  };
  if (auto ia = dyn_cast<IntegerAttr>(attr)) {
    appendInt(ia.getValue(), intBytes(ia.getType()));
    return success();
  }
  if (auto fa = dyn_cast<FloatAttr>(attr)) {
    APInt bits = fa.getValue().bitcastToAPInt();
    appendInt(bits, (bits.getBitWidth() + 7) / 8);
    return success();
  }
  if (auto da = dyn_cast<DenseElementsAttr>(attr)) {
    Type elt = da.getElementType();
    int64_t count = cast<ShapedType>(da.getType()).getNumElements();
    for (int64_t i = 0; i < count; ++i) {
      if (isa<FloatType>(elt)) {
        APInt bits = (da.getValues<APFloat>()[da.isSplat() ? 0 : i])
                         .bitcastToAPInt();
        appendInt(bits, (bits.getBitWidth() + 7) / 8);
      } else if (isa<IntegerType, IndexType>(elt)) {
        APInt v = da.getValues<APInt>()[da.isSplat() ? 0 : i];
        appendInt(v, intBytes(elt));
      } else {
        return failure();
      }
    }
    return success();
  }
  (void)type;
  return failure();
}

/// Byte size of a zero constant of LLVM-compatible type `t` (0 if unknown).
static int64_t zeroSize(Type t) {
  if (t.isIndex())
    return 8;
  if (t.isIntOrFloat())
    return (t.getIntOrFloatBitWidth() + 7) / 8;
  if (auto v = dyn_cast<VectorType>(t))
    return v.getNumElements() * zeroSize(v.getElementType());
  if (auto a = dyn_cast<LLVM::LLVMArrayType>(t))
    return a.getNumElements() * zeroSize(a.getElementType());
  return 0;
}

/// Binds one launch operand to a buffer or constant bytes.
static FailureOr<KernelParam> bindOperand(Value v, std::string &why) {
  KernelParam p;
  Type t = v.getType();
  auto bindMemref = [&](Value m) -> LogicalResult {
    auto mt = dyn_cast<MemRefType>(m.getType());
    if (!mt || !mt.hasStaticShape() || !mt.getLayout().isIdentity()) {
      why = "a memref operand that is not static with identity layout";
      return failure();
    }
    FailureOr<BufferId> id = traceBuffer(m, why);
    if (failed(id))
      return failure();
    p.buffer = *id;
    p.shape.assign(mt.getShape().begin(), mt.getShape().end());
    p.elementBytes = (mt.getElementTypeBitWidth() + 7) / 8;
    return success();
  };
  if (isa<MemRefType>(t)) {
    p.kind = KernelParam::Kind::Buffer;
    if (failed(bindMemref(v)))
      return failure();
    return p;
  }
  if (isa<LLVM::LLVMStructType>(t)) {
    Value src = stripCasts(v);
    if (!isa<MemRefType>(src.getType())) {
      why = "an LLVM struct operand that is not a memref descriptor";
      return failure();
    }
    p.kind = KernelParam::Kind::BufferStruct;
    if (failed(bindMemref(src)))
      return failure();
    return p;
  }
  p.kind = KernelParam::Kind::Bytes;
  Value src = stripCasts(v);
  Attribute attr;
  if (matchPattern(src, m_Constant(&attr))) {
    if (succeeded(appendAttrBytes(attr, t, p.bytes))) {
      // An index constant cast to i64, a vector cast to an LLVM array: the
      // bytes are those of the source constant, in the same layout.
      return p;
    }
  }
  if (src.getDefiningOp<LLVM::ZeroOp>() || src.getDefiningOp<LLVM::UndefOp>() ||
      src.getDefiningOp<LLVM::PoisonOp>()) {
    if (int64_t n = zeroSize(t)) {
      p.bytes.assign(n, 0);
      return p;
    }
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "an operand of type " << t << " that is neither a buffer nor a "
     << "constant";
  if (Operation *def = src.getDefiningOp())
    os << " (defined by " << def->getName() << ")";
  why = s;
  return failure();
}

namespace {
/// Reads the gpu.launch_func ops right after gpu-kernel-outlining.
struct LaunchRecorder : public PassInstrumentation {
  std::vector<KernelLaunch> &kernels;
  std::string &error;
  std::string dumpPath;
  LaunchRecorder(std::vector<KernelLaunch> &k, std::string &e,
                 std::string dump)
      : kernels(k), error(e), dumpPath(std::move(dump)) {}

  void runAfterPass(Pass *pass, Operation *op) override {
    if (pass->getArgument() != "gpu-kernel-outlining")
      return;
    // The pipeline may outline more than once (later runs find nothing new):
    // the last record wins.
    kernels.clear();
    error.clear();
    if (!dumpPath.empty()) {
      std::error_code ec;
      llvm::raw_fd_ostream os(dumpPath, ec);
      if (!ec)
        op->print(os);
    }
    op->walk([&](gpu::LaunchFuncOp launch) {
      if (!error.empty())
        return;
      KernelLaunch k;
      k.name = launch.getKernelName().getValue().str();
      Value grid[3] = {launch.getGridSizeX(), launch.getGridSizeY(),
                       launch.getGridSizeZ()};
      Value block[3] = {launch.getBlockSizeX(), launch.getBlockSizeY(),
                        launch.getBlockSizeZ()};
      for (int i = 0; i < 3; ++i) {
        std::optional<int64_t> g = getConstantIntValue(grid[i]);
        std::optional<int64_t> b = getConstantIntValue(block[i]);
        if (!g || !b) {
          error = "kernel '" + k.name + "': grid or block size is not a "
                  "constant";
          return;
        }
        k.grid[i] = *g;
        k.block[i] = *b;
      }
      if (Value dyn = launch.getDynamicSharedMemorySize()) {
        std::optional<int64_t> d = getConstantIntValue(dyn);
        if (!d) {
          error = "kernel '" + k.name + "': dynamic shared memory size is "
                  "not a constant";
          return;
        }
        k.dynamicSharedBytes = *d;
      }
      // The operands must be the outlined gpu.func's arguments, one to one.
      auto func = SymbolTable::lookupNearestSymbolFrom<gpu::GPUFuncOp>(
          launch, launch.getKernel());
      if (!func) {
        error = "kernel '" + k.name + "': no gpu.func for the launch";
        return;
      }
      if (!llvm::equal(func.getArgumentTypes(),
                       launch.getKernelOperands().getTypes())) {
        error = "kernel '" + k.name + "': the launch operands do not match "
                "the gpu.func arguments";
        return;
      }
      unsigned i = 0;
      for (Value operand : launch.getKernelOperands()) {
        std::string why;
        FailureOr<KernelParam> p = bindOperand(operand, why);
        if (failed(p)) {
          error = "kernel '" + k.name + "' operand #" + std::to_string(i) +
                  ": cannot bind " + why;
          return;
        }
        k.params.push_back(std::move(*p));
        ++i;
      }
      kernels.push_back(std::move(k));
    });
    if (kernels.empty() && error.empty())
      error = "the pipeline outlined no kernel";
  }
};
} // namespace

/// After the whole pipeline: the PTX of the (single) gpu.binary, and the
/// calling convention, from the operand count of the lowered launches.
static std::string finishCase(ModuleOp module, CompiledCase &c) {
  SmallVector<gpu::BinaryOp> binaries;
  module.walk([&](gpu::BinaryOp b) { binaries.push_back(b); });
  if (binaries.size() != 1)
    return "expected one gpu.binary after the pipeline, found " +
           std::to_string(binaries.size());
  for (Attribute a : binaries[0].getObjects()) {
    auto obj = dyn_cast<gpu::ObjectAttr>(a);
    if (obj && obj.getFormat() == gpu::CompilationTarget::Assembly)
      c.ptx = obj.getObject().getValue().str();
  }
  if (c.ptx.empty())
    return "the gpu.binary holds no PTX (format=isa)";
  SmallVector<gpu::LaunchFuncOp> launches;
  module.walk([&](gpu::LaunchFuncOp l) { launches.push_back(l); });
  if (launches.size() != c.kernels.size())
    return "the lowered module has " + std::to_string(launches.size()) +
           " launches, outlining left " + std::to_string(c.kernels.size());
  for (auto [k, l] : llvm::zip(c.kernels, launches)) {
    size_t lowered = l.getKernelOperands().size();
    k.barePointers = false;
    size_t desc = expandedParamSizes(k).size();
    k.barePointers = true;
    size_t bare = expandedParamSizes(k).size();
    k.barePointers = lowered != desc && lowered == bare;
    if (lowered != desc && lowered != bare)
      return "kernel '" + k.name + "': " + std::to_string(lowered) +
             " lowered launch operands fit neither the descriptor (" +
             std::to_string(desc) + ") nor the bare-pointer (" +
             std::to_string(bare) + ") convention";
    std::string why = checkPtxSignature(c.ptx, k);
    if (!why.empty())
      return why;
  }
  return "";
}

/// func @hinm_bench(values, vector_index, metadata, row_perm, x) -> y:
/// assemble + matmul. The arguments are in BufferId order.
static OwningOpRef<ModuleOp> buildModule(MLIRContext &ctx, const Shape &s,
                                         const HiNMFormat &f) {
  OpBuilder b(&ctx);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto fmt = FormatAttr::get(&ctx, f.vectorSize, f.kept, f.n, f.m);
  auto mt = MatrixType::get(&ctx, s.rows, s.k, b.getF16Type(), fmt);
  auto xType = RankedTensorType::get({s.k, s.n}, b.getF16Type());
  auto yType = RankedTensorType::get({s.rows, s.n}, b.getF32Type());
  SmallVector<Type> args = {mt.getValuesType(), mt.getVectorIndexType(),
                            mt.getMetadataType(), mt.getRowPermType(), xType};
  auto func = func::FuncOp::create(b, loc, "hinm_bench",
                                   b.getFunctionType(args, {yType}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  Value w = AssembleOp::create(b, loc, mt, entry->getArgument(0),
                               entry->getArgument(1), entry->getArgument(2),
                               entry->getArgument(3));
  Value y = MatmulOp::create(b, loc, yType, w, entry->getArgument(4));
  func::ReturnOp::create(b, loc, y);
  return module;
}

static CompiledCase compileCase(MLIRContext &ctx, const Shape &s,
                                const Variant &v, StringRef tiles) {
  CompiledCase c;
  c.shape = s;
  c.variant = v;
  c.tiles = tiles.trim().str();
  c.chip = chip;
  if (v.isCuBLAS())
    return c;
  std::string err;
  c.format = v.formatFor(s, err);
  if (!err.empty()) {
    c.error = err;
    return c;
  }
  auto t0 = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module = buildModule(ctx, s, c.format);
  c.pipeline = "hinm-gpu-pipeline{chip=" + chip +
               (features.empty() ? "" : " features=" + features) +
               " format=isa" +
               (pipelineOptions.empty() ? "" : " " + pipelineOptions) +
               (c.tiles.empty() ? "" : " " + c.tiles) + "}";
  PassManager pm(&ctx, ModuleOp::getOperationName());
  std::string parseErr;
  llvm::raw_string_ostream parseOs(parseErr);
  if (failed(parsePassPipeline(c.pipeline, pm, parseOs))) {
    c.error = "bad pipeline '" + c.pipeline + "': " + parseErr;
    return c;
  }
  std::string recordErr, dumpOutlined, dumpFinal;
  if (!dumpIR.empty()) {
    llvm::sys::fs::create_directories(dumpIR);
    llvm::SmallString<256> p(dumpIR);
    llvm::sys::path::append(p, c.id() + ".outlined.mlir");
    dumpOutlined = std::string(p);
    p = dumpIR;
    llvm::sys::path::append(p, c.id() + ".final.mlir");
    dumpFinal = std::string(p);
  }
  pm.addInstrumentation(
      std::make_unique<LaunchRecorder>(c.kernels, recordErr, dumpOutlined));
  std::string diags;
  {
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
      llvm::raw_string_ostream os(diags);
      os << d.getLocation() << ": " << d << "\n";
      for (Diagnostic &n : d.getNotes())
        os << "  note: " << n << "\n";
      return success();
    });
    if (failed(pm.run(*module)))
      c.error = "--" + c.pipeline + " failed:\n" + diags;
  }
  if (!dumpFinal.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(dumpFinal, ec);
    if (!ec)
      module->print(os);
  }
  if (c.error.empty() && !recordErr.empty())
    c.error = recordErr;
  if (c.error.empty())
    c.error = finishCase(*module, c);
  c.compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  return c;
}

static int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "hinm-bench") << msg << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  hinm::registerAllPipelines();
  llvm::cl::HideUnrelatedOptions(
      {&toolCategory, &const_cast<llvm::cl::OptionCategory &>(
                          optionCategory())});
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "hinm-bench: compile the HiNM GPU kernels through --hinm-gpu-pipeline "
      "and benchmark them against cuBLAS (docs/benchmarks-gpu.md)\n");

  auto shapes =
      parseShapes(shapesFlag().empty() ? kDefaultShapes : shapesFlag());
  if (!shapes)
    return fail(toString(shapes.takeError()));
  auto variants = parseVariants(variantsFlag().empty() ? kDefaultVariants
                                                       : variantsFlag());
  if (!variants)
    return fail(toString(variants.takeError()));
  auto runOpts = runOptionsFromFlags();
  if (!runOpts)
    return fail(toString(runOpts.takeError()));
  auto machine = machineFromFlags();
  if (!machine)
    return fail(toString(machine.takeError()));
  if (!llvm::StringRef(chip).starts_with("sm_"))
    return fail("--chip must look like sm_90, got '" + chip + "'");

  bool runGpu = !dryRun && emitPlan.empty();
  std::optional<DeviceInfo> dev;
  if (runGpu) {
    // Fail before compiling anything when there is no GPU.
    auto d = openDevice(*runOpts);
    if (!d)
      return fail(toString(d.takeError()));
    dev = *d;
    llvm::outs() << llvm::formatv("device: {0} (sm_{1}{2}, {3} SMs, L2 {4} "
                                  "MB), driver {5}\n",
                                  dev->name, dev->ccMajor, dev->ccMinor,
                                  dev->smCount, dev->l2Bytes >> 20,
                                  dev->driverVersion);
    std::string want = "sm_" + std::to_string(dev->ccMajor) +
                       std::to_string(dev->ccMinor);
    if (want != chip)
      llvm::outs() << "note: --chip=" << chip << " but the device is " << want
                   << "\n";
  }
  std::string ptxas = findPtxas(ptxasPath);
  if (dryRun && ptxas.empty())
    return fail("--dry-run needs ptxas: give --ptxas=PATH or set CUDA_HOME");

  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllGPUToLLVMIRTranslations(registry);
  hinm::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadDialect<HiNMDialect, func::FuncDialect, arith::ArithDialect>();

  SmallVector<StringRef> extraTiles;
  StringRef(tileConfigs).split(extraTiles, ';', -1, /*KeepEmpty=*/false);
  std::vector<CompiledCase> cases;
  int compileErrors = 0;
  for (const Shape &s : *shapes) {
    for (const Variant &v : *variants) {
     SmallVector<StringRef> tilesList = {""};
     if (!v.isCuBLAS())
       llvm::append_range(tilesList, extraTiles);
     for (StringRef tiles : tilesList) {
      CompiledCase c = compileCase(ctx, s, v, tiles);
      if (c.error.empty() && !v.isCuBLAS() && !ptxas.empty()) {
        std::string why = runPtxas(ptxas, c, /*wantCubin=*/!dryRun);
        if (!why.empty())
          c.error = why;
      }
      if (!v.isCuBLAS()) {
        bool skipped = !c.error.empty() && !c.tiles.empty();
        llvm::outs() << llvm::formatv(
            "compiled {0,-16} {1,-14} {2:F1} s{3}\n", s.str(), c.label(),
            c.compileSeconds,
            c.error.empty() ? "" : (skipped ? "  SKIPPED" : "  FAILED"));
        if (!c.error.empty()) {
          llvm::errs() << c.shape.str() << " " << c.label() << ": " << c.error
                       << "\n";
          if (!skipped)
            ++compileErrors;
        }
      }
      cases.push_back(std::move(c));
     }
    }
  }
  llvm::outs().flush();

  if (!emitPlan.empty())
    if (llvm::Error e = writePlan(emitPlan, cases))
      return fail(toString(std::move(e)));

  std::vector<CaseResult> results;
  if (runGpu) {
    llvm::outs() << "== running (checking every output against "
                    "hinm::referenceMatmul, then timing)\n";
    if (!jsonFlag().empty())
      runOpts->afterCase = [&](const std::vector<CaseResult> &partial) {
        llvm::consumeError(writeJSON(
            jsonFlag(), toJSON(cases, partial, *machine, &*dev, "gpu")));
      };
    results = runCases(cases, *runOpts, llvm::outs());
    printResults(llvm::outs(), cases, results, *machine,
                 dev ? &*dev : nullptr);
  } else {
    printDryRun(llvm::outs(), cases, *machine);
  }
  if (!jsonFlag().empty())
    if (llvm::Error e = writeJSON(
            jsonFlag(), toJSON(cases, results, *machine, dev ? &*dev : nullptr,
                               runGpu ? "gpu" : "dry-run")))
      return fail(toString(std::move(e)));
  if (compileErrors)
    return 1;
  for (const CaseResult &r : results)
    if (!r.skipped && (!r.error.empty() || !r.correct))
      return 1;
  return 0;
}
