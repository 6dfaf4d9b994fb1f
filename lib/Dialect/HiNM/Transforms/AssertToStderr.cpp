//===- AssertToStderr.cpp - failed cf.assert messages to stderr -----------===//
//
// Part of the hinm project. See HiNMAssertToStderrPass in Passes.td for why:
// upstream's lowering prints with puts() and aborts without flushing stdout.
//
//===----------------------------------------------------------------------===//
#include "hinm/Dialect/HiNM/Transforms/Passes.h"

#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
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
/// The C string a failed check prints, newline- and NUL-terminated: the
/// message itself for fputs, or (`asFormat`) its printf form for fprintf,
/// '%' escaped and each "{}" a 64-bit signed decimal.
std::string messageText(StringRef message, bool asFormat) {
  std::string out;
  for (size_t i = 0; i < message.size(); ++i) {
    if (asFormat && message[i] == '%') {
      out += "%%";
    } else if (asFormat && message.substr(i).starts_with("{}")) {
      out += "%lld";
      ++i;
    } else {
      out.push_back(message[i]);
    }
  }
  out += "\n";
  out.push_back('\0');
  return out;
}

struct HiNMAssertToStderrPass
    : hinm::impl::HiNMAssertToStderrPassBase<HiNMAssertToStderrPass> {
  using Base::Base;

  /// Declares `name` as an external LLVM function once.
  static LLVM::LLVMFuncOp declareFunc(OpBuilder &b, ModuleOp module,
                                      StringRef name,
                                      LLVM::LLVMFunctionType type) {
    if (auto f = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
      return f;
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(module.getBody());
    return LLVM::LLVMFuncOp::create(b, module.getLoc(), name, type);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Operation *> asserts;
    module.walk([&](Operation *op) {
      if (isa<cf::AssertOp, hinm::AssertOp>(op))
        asserts.push_back(op);
    });
    if (asserts.empty())
      return;
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    auto i64 = IntegerType::get(ctx, 64);
    OpBuilder b(ctx);
    auto abort = declareFunc(
        b, module, "abort",
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {}));
    // glibc's `stderr` is a global FILE*; the JIT and the linker resolve it.
    if (!module.lookupSymbol("stderr")) {
      b.setInsertionPointToEnd(module.getBody());
      LLVM::GlobalOp::create(b, module.getLoc(), ptr, /*isConstant=*/false,
                             LLVM::Linkage::External, "stderr",
                             /*value=*/Attribute());
    }
    SymbolTable symbols(module);
    // One global per distinct text: the same check in several functions
    // shares its message.
    llvm::StringMap<LLVM::GlobalOp> texts;
    for (Operation *op : asserts) {
      Value ok;
      StringRef message;
      ValueRange values;
      if (auto a = dyn_cast<cf::AssertOp>(op)) {
        ok = a.getArg();
        message = a.getMsg();
      } else {
        auto h = cast<hinm::AssertOp>(op);
        ok = h.getCondition();
        message = h.getMessage();
        values = h.getValues();
      }
      // The text as a private constant string: a format for fprintf when
      // there are values to print.
      std::string text = messageText(message, /*asFormat=*/!values.empty());
      LLVM::GlobalOp &global = texts[text];
      if (!global) {
        auto arrayType =
            LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), text.size());
        b.setInsertionPointToEnd(module.getBody());
        global = LLVM::GlobalOp::create(
            b, op->getLoc(), arrayType, /*isConstant=*/true,
            LLVM::Linkage::Private, "hinm_assert_msg", b.getStringAttr(text));
        symbols.insert(global); // uniquifies the name
      }

      b.setInsertionPoint(op);
      Location loc = op->getLoc();
      Value one = arith::ConstantIntOp::create(b, loc, 1, 1);
      Value failed = arith::XOrIOp::create(b, loc, ok, one);
      auto ifOp = scf::IfOp::create(b, loc, failed, /*withElseRegion=*/false);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Value msg = LLVM::AddressOfOp::create(b, loc, global);
      Value stderrAddr = LLVM::AddressOfOp::create(b, loc, ptr, "stderr");
      Value stream = LLVM::LoadOp::create(b, loc, ptr, stderrAddr);
      if (values.empty()) {
        auto fputs = declareFunc(b, module, "fputs",
                                 LLVM::LLVMFunctionType::get(i32, {ptr, ptr}));
        LLVM::CallOp::create(b, loc, fputs, ValueRange{msg, stream});
      } else {
        // Every value is printed as %lld: index and narrower integers are
        // widened to i64 (i1 as 0/1, the others sign-extended).
        SmallVector<Value> args = {stream, msg};
        for (Value v : values) {
          if (v.getType().isIndex())
            v = arith::IndexCastOp::create(b, loc, i64, v);
          else if (v.getType().isInteger(1))
            v = arith::ExtUIOp::create(b, loc, i64, v);
          else if (!v.getType().isInteger(64))
            v = arith::ExtSIOp::create(b, loc, i64, v);
          args.push_back(v);
        }
        auto fprintf = declareFunc(
            b, module, "fprintf",
            LLVM::LLVMFunctionType::get(i32, {ptr, ptr}, /*isVarArg=*/true));
        LLVM::CallOp::create(b, loc, fprintf, args);
      }
      LLVM::CallOp::create(b, loc, abort, ValueRange{});
      op->erase();
    }
  }
};
} // namespace
