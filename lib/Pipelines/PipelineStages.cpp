//===- PipelineStages.cpp - Stages shared by hinm's pipelines -------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "PipelineStages.h"

#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

void hinm::addWholeProgramBufferization(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions options;
  options.bufferizeFunctionBoundaries = true;
  options.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(options));
}
