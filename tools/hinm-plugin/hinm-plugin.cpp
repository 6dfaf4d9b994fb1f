//===- hinm-plugin.cpp - hinm as a plugin for stock mlir-opt --------------===//
//
// Part of the hinm project. One loadable module that any tool built on
// MlirOptMain and libMLIR.so (Debian's mlir-opt, or another MLIR-based
// compiler's driver) can load:
//
//   mlir-opt --load-dialect-plugin=HiNMPlugin.so   (dialect + passes/pipelines)
//   mlir-opt --load-pass-plugin=HiNMPlugin.so      (passes/pipelines only)
//
// Both entry points call the same hinm::registerAll* functions as hinm-opt,
// so the plugin cannot drift from the tool.
//
//===----------------------------------------------------------------------===//
#include "hinm/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

#include <mutex>

/// Registers hinm's passes and pipelines exactly once per process. Passes may
/// be registered twice, but pipelines may not (MLIR aborts with "registered
/// multiple times"), and a user may well pass the module to both
/// --load-dialect-plugin and --load-pass-plugin.
static void registerHiNMPassesOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    hinm::registerAllPasses();
    hinm::registerAllPipelines();
  });
}

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "HiNM", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            hinm::registerAllDialects(*registry);
            registerHiNMPassesOnce();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "HiNMPasses", LLVM_VERSION_STRING,
          []() { registerHiNMPassesOnce(); }};
}
