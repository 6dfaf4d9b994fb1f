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

static json::Array toJSONArray(const int64_t (&v)[3]) {
  return json::Array{v[0], v[1], v[2]};
}

static json::Object ptxasJSON(const PtxasInfo &p) {
  return json::Object{{"registers", p.registers},
                      {"shared_bytes", p.sharedBytes},
                      {"stack_bytes", p.stackBytes},
                      {"spill_stores", p.spillStores},
                      {"spill_loads", p.spillLoads},
                      {"const_bytes", p.constBytes}};
}

json::Object hinm::bench::launchJSON(const KernelLaunch &k) {
  json::Object o{{"name", k.name},
                 {"grid", toJSONArray(k.grid)},
                 {"block", toJSONArray(k.block)},
                 {"dynamic_shared_bytes", k.dynamicSharedBytes}};
  if (k.ptxas.valid)
    o["ptxas"] = ptxasJSON(k.ptxas);
  return o;
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
