//===- GPUHostEffects.cpp - memory effects of gpu.wait and launch_func ----===//
//
// Part of the hinm project.
//
// The host code the GPU conversion emits waits for the device (gpu.wait)
// and launches kernels (gpu.launch_func). Upstream declares no memory
// effects on either op, which analyses read as "unknown"; ownership-based
// buffer deallocation refuses such ops outright, so host buffers (a result
// that feeds another op, the bias or padding temporaries) could not be
// freed. These models state the effects conservatively: everything the op
// could touch is read and written. Nothing that treated the ops as unknown
// can become less careful, and the deallocation can run.
//
//===----------------------------------------------------------------------===//
#include "hinm/Conversion/HiNMToNVGPU/HiNMToNVGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace {
using EffectList =
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>;

/// Reads and writes of all memory, plus of each memref operand by name (so
/// that alias-based analyses see the buffers the op uses).
void addConservativeEffects(Operation *op, EffectList &effects) {
  effects.emplace_back(MemoryEffects::Read::get());
  effects.emplace_back(MemoryEffects::Write::get());
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<BaseMemRefType>(operand.get().getType()))
      continue;
    effects.emplace_back(MemoryEffects::Read::get(), &operand);
    effects.emplace_back(MemoryEffects::Write::get(), &operand);
  }
}

/// gpu.wait: the host blocks until earlier device work is done, after which
/// that work's writes are visible.
struct WaitOpEffects
    : public MemoryEffectOpInterface::ExternalModel<WaitOpEffects,
                                                    gpu::WaitOp> {
  void getEffects(Operation *op, EffectList &effects) const {
    addConservativeEffects(op, effects);
  }
};

/// gpu.launch_func: the kernel may read and write its buffer arguments and
/// any global memory.
struct LaunchFuncOpEffects
    : public MemoryEffectOpInterface::ExternalModel<LaunchFuncOpEffects,
                                                    gpu::LaunchFuncOp> {
  void getEffects(Operation *op, EffectList &effects) const {
    addConservativeEffects(op, effects);
  }
};

/// Attaches `Model` unless the op already has memory effects of its own (a
/// later MLIR may declare them; attaching twice is an error).
template <typename OpT, typename Model>
void attachUnlessDeclared(MLIRContext *ctx) {
  std::optional<RegisteredOperationName> name =
      RegisteredOperationName::lookup(OpT::getOperationName(), ctx);
  if (name && !name->hasInterface<MemoryEffectOpInterface>())
    OpT::template attachInterface<Model>(*ctx);
}
} // namespace

void hinm::registerGPUHostEffectModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, gpu::GPUDialect *) {
    attachUnlessDeclared<gpu::WaitOp, WaitOpEffects>(ctx);
    attachUnlessDeclared<gpu::LaunchFuncOp, LaunchFuncOpEffects>(ctx);
  });
}
