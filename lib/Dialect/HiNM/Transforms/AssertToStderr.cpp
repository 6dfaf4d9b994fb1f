//===- AssertToStderr.cpp - failed cf.assert messages to stderr -----------===//
//
// Part of the hinm project. See HiNMAssertToStderrPass in Passes.td for why:
// upstream's lowering prints with puts() and aborts without flushing stdout.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

namespace hinm {
#define GEN_PASS_DEF_HINMASSERTTOSTDERRPASS
#include "hinm/Dialect/HiNM/Transforms/Passes.h.inc"
} // namespace hinm

using namespace mlir;

namespace {
struct HiNMAssertToStderrPass
    : hinm::impl::HiNMAssertToStderrPassBase<HiNMAssertToStderrPass> {
  using Base::Base;

  /// Declares `name` as an external LLVM function once.
  static void declareFunc(OpBuilder &b, ModuleOp module, StringRef name,
                          LLVM::LLVMFunctionType type) {
    if (!module.lookupSymbol(name))
      LLVM::LLVMFuncOp::create(b, module.getLoc(), name, type);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<cf::AssertOp> asserts;
    module.walk([&](cf::AssertOp op) { asserts.push_back(op); });
    if (asserts.empty())
      return;
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    declareFunc(b, module, "fputs",
                LLVM::LLVMFunctionType::get(i32, {ptr, ptr}));
    declareFunc(b, module, "abort",
                LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {}));
    // glibc's `stderr` is a global FILE*; the JIT and the linker resolve it.
    if (!module.lookupSymbol("stderr"))
      LLVM::GlobalOp::create(b, module.getLoc(), ptr, /*isConstant=*/false,
                             LLVM::Linkage::External, "stderr",
                             /*value=*/Attribute());
    SymbolTable symbols(module);
    for (auto [i, op] : llvm::enumerate(asserts)) {
      // The message, newline-terminated, as a private constant string.
      std::string text = (op.getMsg() + "\n").str();
      text.push_back('\0');
      auto arrayType =
          LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), text.size());
      b.setInsertionPointToEnd(module.getBody());
      auto global = LLVM::GlobalOp::create(
          b, op.getLoc(), arrayType, /*isConstant=*/true,
          LLVM::Linkage::Private, "hinm_assert_msg", b.getStringAttr(text));
      symbols.insert(global); // uniquifies the name

      b.setInsertionPoint(op);
      Location loc = op.getLoc();
      Value ok = op.getArg();
      Value one = arith::ConstantIntOp::create(b, loc, 1, 1);
      Value failed = arith::XOrIOp::create(b, loc, ok, one);
      auto ifOp = scf::IfOp::create(b, loc, failed, /*withElseRegion=*/false);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Value msg = LLVM::AddressOfOp::create(b, loc, global);
      Value stderrAddr =
          LLVM::AddressOfOp::create(b, loc, ptr, "stderr");
      Value stream = LLVM::LoadOp::create(b, loc, ptr, stderrAddr);
      LLVM::CallOp::create(b, loc, TypeRange{i32}, "fputs",
                           ValueRange{msg, stream});
      LLVM::CallOp::create(b, loc, TypeRange{}, "abort", ValueRange{});
      op.erase();
    }
  }
};
} // namespace
