//===- JSONForms.h - hinm-bench: shared JSON pieces -------------*- C++ -*-===//
//
// Part of the hinm project. The JSON forms that the plan (plan.json) and the
// report (--json) both write, so that the two files spell a format or a
// kernel launch alike; and writing a JSON file.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_JSONFORMS_H
#define HINM_TOOLS_HINM_BENCH_JSONFORMS_H

#include "CompiledCase.h"

#include "hinm/Algorithm/Format.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>

namespace hinm {
namespace bench {

/// A kernel launch: name, grid, block, dynamic shared memory and, when
/// ptxas ran, its figures. The plan adds the operands.
llvm::json::Object launchJSON(const KernelLaunch &k);
llvm::json::Object formatJSON(const HiNMFormat &f);
llvm::Error writeJSON(llvm::StringRef path, const llvm::json::Value &v);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_JSONFORMS_H
