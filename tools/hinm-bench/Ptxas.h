//===- Ptxas.h - hinm-bench: running ptxas ----------------------*- C++ -*-===//
//
// Part of the hinm project. ptxas -v gives the registers, shared memory and
// spills of each kernel for the dry run, and the cubin that the plan carries
// as the fallback when the driver cannot JIT the PTX.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_PTXAS_H
#define HINM_TOOLS_HINM_BENCH_PTXAS_H

#include "CompiledCase.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace hinm {
namespace bench {

/// Finds ptxas: `explicitPath`, $CUDA_HOME/bin, the toolkit found at build
/// time, then PATH. Empty if none.
std::string findPtxas(llvm::StringRef explicitPath);
/// Runs `ptxas -arch=<chip> -v` on the PTX, fills each kernel's PtxasInfo and
/// `cubin` (when `wantCubin`). Returns "" or an error text.
std::string runPtxas(llvm::StringRef ptxas, CompiledCase &c, bool wantCubin);
/// Parses ptxas -v output for entry `name`.
PtxasInfo parsePtxasInfo(llvm::StringRef log, llvm::StringRef name);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_PTXAS_H
