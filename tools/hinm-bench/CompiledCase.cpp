//===- CompiledCase.cpp - hinm-bench: a compiled case ---------------------===//
//
// Part of the hinm project. See CompiledCase.h. The PTX signature check guards
// the runner: a launch record that disagrees with the PTX .entry would pass
// garbage to the kernel.
//
//===----------------------------------------------------------------------===//
#include "CompiledCase.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Regex.h"

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

std::string CompiledCase::label() const {
  if (tiles.empty())
    return variant.name;
  // "block-n=128 stages=4" -> "@bn128,st4".
  std::string t;
  SmallVector<StringRef> opts;
  StringRef(tiles).split(opts, ' ', -1, false);
  for (StringRef o : opts) {
    auto [key, val] = o.split('=');
    std::string k;
    for (StringRef part : llvm::split(key, '-'))
      if (!part.empty())
        k += part.front();
    if (key == "stages")
      k = "st";
    t += (t.empty() ? "" : ",") + k + val.str();
  }
  return variant.name + "@" + t;
}

std::string CompiledCase::id() const {
  std::string v;
  for (char c : label())
    v += (isAlnum(c) || c == '-') ? c : '_';
  return shape.str() + "_" + v;
}

const char *hinm::bench::bufferName(BufferId id) {
  switch (id) {
  case BufferId::Values:
    return "values";
  case BufferId::VectorIndex:
    return "vector_index";
  case BufferId::Metadata:
    return "metadata";
  case BufferId::RowPerm:
    return "row_perm";
  case BufferId::X:
    return "x";
  case BufferId::Out:
    return "out";
  }
  return "?";
}

std::optional<BufferId> hinm::bench::bufferFromName(StringRef name) {
  for (BufferId id : {BufferId::Values, BufferId::VectorIndex,
                      BufferId::Metadata, BufferId::RowPerm, BufferId::X,
                      BufferId::Out})
    if (name == bufferName(id))
      return id;
  return std::nullopt;
}

std::vector<int64_t> hinm::bench::expandedParamSizes(const KernelLaunch &k) {
  std::vector<int64_t> sizes;
  for (const KernelParam &p : k.params) {
    int64_t rank = static_cast<int64_t>(p.shape.size());
    switch (p.kind) {
    case KernelParam::Kind::Buffer:
      if (k.barePointers) {
        sizes.push_back(8);
      } else {
        // allocated, aligned, offset, sizes..., strides...
        for (int64_t i = 0; i < 3 + 2 * rank; ++i)
          sizes.push_back(8);
      }
      break;
    case KernelParam::Kind::BufferStruct:
      sizes.push_back(8 * (3 + 2 * rank));
      break;
    case KernelParam::Kind::Bytes:
      sizes.push_back(static_cast<int64_t>(p.bytes.size()));
      break;
    }
  }
  return sizes;
}

/// The byte sizes of the .param list of `.entry name(...)` in `ptx`.
static std::optional<std::vector<int64_t>> ptxParamSizes(StringRef ptx,
                                                         StringRef name) {
  size_t pos = 0;
  while (true) {
    pos = ptx.find(".entry " + name.str(), pos);
    if (pos == StringRef::npos)
      return std::nullopt;
    size_t after = pos + 7 + name.size();
    if (after < ptx.size() && (ptx[after] == '(' || isSpace(ptx[after])))
      break;
    pos = after;
  }
  size_t open = ptx.find('(', pos), close = ptx.find(')', pos);
  if (open == StringRef::npos || close == StringRef::npos || close < open)
    return std::nullopt;
  std::vector<int64_t> sizes;
  SmallVector<StringRef> decls;
  ptx.slice(open + 1, close).split(decls, ',', -1, false);
  Regex arr("\\[([0-9]+)\\]");
  for (StringRef d : decls) {
    d = d.trim();
    if (d.empty())
      continue;
    SmallVector<StringRef> m;
    if (arr.match(d, &m)) {
      int64_t n = 0;
      m[1].getAsInteger(10, n);
      int64_t elt = d.contains(".b16") || d.contains(".u16") ? 2
                    : d.contains(".b32") || d.contains(".u32") ? 4
                    : d.contains(".b64") || d.contains(".u64") ? 8
                                                               : 1;
      sizes.push_back(n * elt);
    } else if (d.contains("64")) {
      sizes.push_back(8);
    } else if (d.contains("32")) {
      sizes.push_back(4);
    } else if (d.contains("16")) {
      sizes.push_back(2);
    } else {
      sizes.push_back(1);
    }
  }
  return sizes;
}

std::string hinm::bench::checkPtxSignature(StringRef ptx,
                                           const KernelLaunch &k) {
  auto ptxSizes = ptxParamSizes(ptx, k.name);
  if (!ptxSizes)
    return "the PTX has no .entry '" + k.name + "'";
  std::vector<int64_t> ours = expandedParamSizes(k);
  if (*ptxSizes == ours)
    return "";
  std::string s = "kernel '" + k.name + "': the PTX .entry takes " +
                  std::to_string(ptxSizes->size()) +
                  " parameters, the launch record gives " +
                  std::to_string(ours.size()) + " (sizes PTX:";
  for (int64_t v : *ptxSizes)
    s += " " + std::to_string(v);
  s += "; launch:";
  for (int64_t v : ours)
    s += " " + std::to_string(v);
  return s + ")";
}
