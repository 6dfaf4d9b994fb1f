//===- CompiledCase.h - hinm-bench: a compiled case -------------*- C++ -*-===//
//
// Part of the hinm project. A case as the compiler (hinm-bench) records it and
// the plan carries it to the runner: the PTX, and per gpu.launch_func the
// kernel name, launch sizes, ptxas figures and the operands, each bound to one
// of the case's buffers or to constant bytes.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_HINM_BENCH_COMPILED_CASE_H
#define HINM_TOOLS_HINM_BENCH_COMPILED_CASE_H

#include "Cases.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hinm {
namespace bench {

/// The buffers a kernel can take, in hinm.assemble order, then X and Y.
enum class BufferId { Values, VectorIndex, Metadata, RowPerm, X, Out };
const char *bufferName(BufferId id);
std::optional<BufferId> bufferFromName(llvm::StringRef name);

/// One kernel operand as gpu-kernel-outlining left it, before the LLVM
/// lowering fixed its calling convention.
struct KernelParam {
  enum class Kind {
    /// A memref: lowered to the descriptor fields (allocated ptr, aligned
    /// ptr, offset, sizes..., strides...; 64-bit index), one PTX parameter
    /// each, or to one pointer under the bare-pointer convention.
    Buffer,
    /// A memref descriptor already converted to an LLVM struct before
    /// outlining (the NVGPU-to-NVVM conversion runs first): passed by value
    /// as one PTX parameter of 8 * (3 + 2 * rank) bytes.
    BufferStruct,
    /// A constant (index, integer, float, vector), passed by value.
    Bytes,
  };
  Kind kind = Kind::Buffer;
  BufferId buffer = BufferId::Values;
  std::vector<int64_t> shape;
  int64_t elementBytes = 0;
  std::vector<uint8_t> bytes;
};

/// ptxas -v figures of one entry function.
struct PtxasInfo {
  bool valid = false;
  int64_t registers = 0, sharedBytes = 0, stackBytes = 0;
  int64_t spillStores = 0, spillLoads = 0, constBytes = 0;
};

/// One gpu.launch_func of a case, launched in order.
struct KernelLaunch {
  std::string name; // the PTX .entry name
  int64_t grid[3] = {1, 1, 1};
  int64_t block[3] = {1, 1, 1};
  int64_t dynamicSharedBytes = 0;
  bool barePointers = false;
  std::vector<KernelParam> params;
  PtxasInfo ptxas;
};

/// A case ready to run: shape, variant, the kernels (HiNM) and their code.
struct CompiledCase {
  Shape shape;
  Variant variant;
  HiNMFormat format;          // HiNM only
  std::string pipeline;       // the pass pipeline that made the PTX
  /// Extra tile options of this case (--tile-configs), "" for the defaults.
  std::string tiles;
  std::string chip;           // e.g. sm_90
  std::string ptx;            // HiNM only
  std::string cubin;          // from ptxas, when it ran (binary)
  std::vector<KernelLaunch> kernels;
  double compileSeconds = 0;
  std::string error; // set when the case could not be compiled
  std::string id() const;    // file-name-safe identifier
  std::string label() const; // variant name, plus "@<tiles>" when set
};

/// The byte layout of each 32/64-bit kernel argument after lowering, and a
/// check against the PTX .entry signature ("" if they agree).
std::vector<int64_t> expandedParamSizes(const KernelLaunch &k);
std::string checkPtxSignature(llvm::StringRef ptx, const KernelLaunch &k);

} // namespace bench
} // namespace hinm

#endif // HINM_TOOLS_HINM_BENCH_COMPILED_CASE_H
