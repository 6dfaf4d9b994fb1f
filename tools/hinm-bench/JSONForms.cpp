//===- JSONForms.cpp - hinm-bench: shared JSON pieces ---------------------===//
//
// Part of the hinm project. See JSONForms.h.
//
//===----------------------------------------------------------------------===//
#include "JSONForms.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

json::Array hinm::bench::toJSONArray(const int64_t (&v)[3]) {
  return json::Array{v[0], v[1], v[2]};
}

json::Object hinm::bench::ptxasJSON(const PtxasInfo &p) {
  return json::Object{{"registers", p.registers},
                      {"shared_bytes", p.sharedBytes},
                      {"stack_bytes", p.stackBytes},
                      {"spill_stores", p.spillStores},
                      {"spill_loads", p.spillLoads},
                      {"const_bytes", p.constBytes}};
}

json::Object hinm::bench::formatJSON(const HiNMFormat &f) {
  return json::Object{{"vector_size", f.vectorSize},
                      {"kept", f.kept},
                      {"n", f.n},
                      {"m", f.m}};
}

Error hinm::bench::writeJSON(StringRef path, const json::Value &v) {
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  if (ec)
    return createStringError(ec, "cannot write '%s'", path.str().c_str());
  os << formatv("{0:2}", v) << "\n";
  return Error::success();
}
