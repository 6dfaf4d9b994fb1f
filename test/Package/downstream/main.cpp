//===- main.cpp - a downstream user of the installed hinm package ---------===//
//
// Part of the hinm project. Registers hinm into its own MLIRContext, parses a
// hinm op, runs a hinm pass registered through InitAll, and calls the
// MLIR-free algorithm library and the C API: the three ways a downstream
// compiler uses hinm.
//
//===----------------------------------------------------------------------===//
#include "hinm-c/Dialects.h"
#include "hinm/Algorithm/Format.h"
#include "hinm/Dialect/HiNM/IR/HiNMOps.h"
#include "hinm/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

static const char *kIR = R"mlir(
!W = !hinm.matrix<40x8xf16, #hinm.format<vector_size = 16, kept = 4, n = 2, m = 4>>
func.func @f(%w: !W) -> tensor<40x8xf16> {
  %d = hinm.to_dense %w : !W
  return %d : tensor<40x8xf16>
}
)mlir";

int main() {
  mlir::DialectRegistry registry;
  registry.insert<mlir::func::FuncDialect>();
  hinm::registerAllDialects(registry);
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kIR, &context);
  if (!module) {
    llvm::errs() << "parse failed\n";
    return 1;
  }
  int found = 0;
  module->walk([&](hinm::ToDenseOp op) {
    auto type = llvm::cast<hinm::MatrixType>(op.getOperand().getType());
    llvm::outs() << "to_dense of " << type << ": padded rows "
                 << type.getPaddedRows() << ", blocks " << type.getNumBlocks()
                 << "\n";
    ++found;
  });

  // The MLIR-free library: pack a 16x8 matrix keeping columns 6, 1, 3, 0.
  hinm::HiNMFormat fmt{16, 4, 2, 4};
  std::vector<float> dense(16 * 8);
  for (int i = 0; i < 16 * 8; ++i)
    dense[i] = float(i);
  hinm::HiNMSelection sel;
  for (int p = 0; p < 16; ++p)
    sel.rowPerm.push_back(p);
  sel.vectorIndex = {6, 1, 3, 0};
  for (int p = 0; p < 16; ++p)
    for (int c = 0; c < 4; ++c)
      sel.nmMask.push_back(c % 2 == 0);
  std::string err = hinm::verifySelection(fmt, 16, 8, sel);
  if (!err.empty()) {
    llvm::errs() << "bad selection: " << err << "\n";
    return 1;
  }
  hinm::HiNMStorage s = hinm::pack(dense.data(), 16, 8, fmt, sel);
  llvm::outs() << "row 1 keeps " << int(s.values[2]) << " " << int(s.values[3])
               << ", metadata word " << s.metadata[1] << "\n";

  // The C API on the same context.
  MlirAttribute attr = hinmFormatAttrGet(wrap(&context), 32, 64, 2, 4);
  llvm::outs() << "C API format kept = " << hinmFormatAttrGetKept(attr)
               << "\n";
  return found == 1 ? 0 : 1;
}
