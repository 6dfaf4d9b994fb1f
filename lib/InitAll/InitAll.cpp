//===- InitAll.cpp - register everything of hinm --------------------------===//
//
// Part of the hinm project.
//
//===----------------------------------------------------------------------===//
#include "hinm/InitAll.h"

#include "hinm/Conversion/Passes.h"
#include "hinm/Dialect/HiNM/IR/HiNMDialect.h"
#include "hinm/Dialect/HiNM/Transforms/Passes.h"
#include "hinm/Pipelines/Pipelines.h"
#include "mlir/IR/DialectRegistry.h"

void hinm::registerAllDialects(DialectRegistry &registry) {
  registry.insert<HiNMDialect>();
}

void hinm::registerAllPasses() {
  registerHiNMPasses();
  registerHiNMConversionPasses();
}

void hinm::registerAllPipelines() {
  registerHiNMCPUPipeline();
  registerHiNMGPUPipeline();
}
