//===- AlignWorkgroupBuffers.cpp - align shared arrays of GPU kernels -----===//
//
// Part of the hinm project. Sets llvm.align on the workgroup attributions of
// outlined kernels, so the shared arrays that cp.async (16 bytes) and
// ldmatrix address are 16-byte aligned in PTX; and puts the tiling that
// convert-hinm-to-nvgpu recorded (in the launch location) on the kernel.
//
//===----------------------------------------------------------------------===//
#include "hinm/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace hinm {
#define GEN_PASS_DEF_HINMALIGNWORKGROUPBUFFERS
#include "hinm/Conversion/Passes.h.inc"
} // namespace hinm

using namespace mlir;

namespace {
struct HiNMAlignWorkgroupBuffersPass
    : public hinm::impl::HiNMAlignWorkgroupBuffersBase<
          HiNMAlignWorkgroupBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    if (alignment < 1 || (alignment & (alignment - 1)) != 0) {
      getOperation().emitError()
          << "hinm-align-workgroup-buffers: alignment must be a power of two, "
             "got "
          << int64_t(alignment);
      return signalPassFailure();
    }
    StringRef name = LLVM::LLVMDialect::getAlignAttrName();
    getOperation().walk([&](gpu::GPUFuncOp func) {
      Builder b(func.getContext());
      // Outlining keeps the launch's location: recover the tiling that
      // convert-hinm-to-nvgpu recorded in its metadata.
      if (auto fused = dyn_cast<FusedLoc>(func.getLoc()))
        if (auto meta = dyn_cast_or_null<DictionaryAttr>(fused.getMetadata()))
          if (Attribute tiling = meta.get("hinm.tiling"))
            func->setAttr("hinm.tiling", tiling);
      for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e; ++i) {
        auto old = dyn_cast_or_null<IntegerAttr>(
            func.getWorkgroupAttributionAttr(i, name));
        if (old && old.getInt() >= alignment)
          continue;
        func.setWorkgroupAttributionAttr(i, name,
                                         b.getI64IntegerAttr(alignment));
      }
    });
  }
};
} // namespace
