//===- Options.h - hinm-bench: shared command-line options ------*- C++ -*-===//
//
// Part of the hinm project. The options that hinm-bench and hinm-bench-run
// share (llvm::cl, one category): the case selection, the run settings and
// the floor model's machine.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_OPTIONS_H
#define HINM_TOOLS_HINM_BENCH_OPTIONS_H

#include "FloorModel.h"
#include "Run.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

namespace hinm {
namespace bench {

llvm::StringRef shapesFlag();   // --shapes ("" if not given)
llvm::StringRef variantsFlag(); // --variants ("" if not given)
llvm::StringRef jsonFlag();     // --json ("" if not given)
llvm::Expected<RunOptions> runOptionsFromFlags();
llvm::Expected<Machine> machineFromFlags();
const llvm::cl::OptionCategory &optionCategory();

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_OPTIONS_H
