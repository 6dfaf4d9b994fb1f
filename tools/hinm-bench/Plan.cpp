//===- Plan.cpp - hinm-bench: plan files ----------------------------------===//
//
// Part of the hinm project. See Plan.h.
//
//===----------------------------------------------------------------------===//
#include "Plan.h"

#include "JSONForms.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

static json::Object kernelJSON(const KernelLaunch &k) {
  json::Array params;
  for (const KernelParam &p : k.params) {
    json::Object o;
    switch (p.kind) {
    case KernelParam::Kind::Buffer:
    case KernelParam::Kind::BufferStruct:
      o["kind"] = p.kind == KernelParam::Kind::Buffer ? "buffer"
                                                      : "buffer_struct";
      o["buffer"] = bufferName(p.buffer);
      o["shape"] = json::Array(p.shape);
      o["element_bytes"] = p.elementBytes;
      break;
    case KernelParam::Kind::Bytes:
      o["kind"] = "bytes";
      o["hex"] = toHex(StringRef(reinterpret_cast<const char *>(p.bytes.data()),
                                 p.bytes.size()),
                       /*LowerCase=*/true);
      break;
    }
    params.push_back(std::move(o));
  }
  json::Object o = launchJSON(k);
  o["bare_pointers"] = k.barePointers;
  o["params"] = std::move(params);
  return o;
}

Error hinm::bench::writePlan(StringRef dir,
                             const std::vector<CompiledCase> &cases) {
  if (std::error_code ec = sys::fs::create_directories(dir))
    return createStringError(ec, "cannot create plan folder '%s'",
                             dir.str().c_str());
  json::Array arr;
  for (const CompiledCase &c : cases) {
    json::Object o{{"shape", json::Array{c.shape.rows, c.shape.k, c.shape.n}},
                   {"variant", c.variant.name},
                   {"chip", c.chip},
                   {"pipeline", c.pipeline},
                   {"tiles", c.tiles},
                   {"compile_seconds", c.compileSeconds}};
    if (!c.error.empty())
      o["error"] = c.error;
    if (!c.variant.isCuBLAS()) {
      o["format"] = formatJSON(c.format);
      json::Array ks;
      for (const KernelLaunch &k : c.kernels)
        ks.push_back(kernelJSON(k));
      o["kernels"] = std::move(ks);
      auto writeFile = [&](StringRef ext, StringRef data) -> Error {
        SmallString<256> p(dir);
        sys::path::append(p, c.id() + "." + ext.str());
        std::error_code ec;
        raw_fd_ostream os(p, ec);
        if (ec)
          return createStringError(ec, "cannot write '%s'", p.c_str());
        os << data;
        o[(ext + "_file").str()] = c.id() + "." + ext.str();
        return Error::success();
      };
      if (!c.ptx.empty())
        if (Error e = writeFile("ptx", c.ptx))
          return e;
      if (!c.cubin.empty())
        if (Error e = writeFile("cubin", c.cubin))
          return e;
    }
    arr.push_back(std::move(o));
  }
  SmallString<256> p(dir);
  sys::path::append(p, "plan.json");
  return writeJSON(p, json::Object{{"hinm_bench_plan", 1},
                                   {"cases", std::move(arr)}});
}

/// Reads a file next to the plan; "" if absent.
static std::string readSibling(StringRef dir, StringRef name, bool text) {
  SmallString<256> p(dir);
  sys::path::append(p, name);
  auto buf = MemoryBuffer::getFile(p, text);
  return buf ? (*buf)->getBuffer().str() : std::string();
}

Expected<std::vector<CompiledCase>> hinm::bench::readPlan(StringRef dir) {
  SmallString<256> p(dir);
  sys::path::append(p, "plan.json");
  auto buf = MemoryBuffer::getFile(p);
  if (!buf)
    return createStringError(buf.getError(),
                             "cannot read the plan '%s' (make one with "
                             "hinm-bench --emit-plan=%s)",
                             p.c_str(), dir.str().c_str());
  Expected<json::Value> root = json::parse((*buf)->getBuffer());
  if (!root)
    return root.takeError();
  auto bad = [&](const Twine &what) {
    return createStringError("%s: %s", p.c_str(), what.str().c_str());
  };
  const json::Object *top = root->getAsObject();
  const json::Array *cases = top ? top->getArray("cases") : nullptr;
  if (!cases)
    return bad("no 'cases' array");
  std::vector<CompiledCase> out;
  for (const json::Value &cv : *cases) {
    const json::Object *o = cv.getAsObject();
    if (!o)
      return bad("a case is not an object");
    CompiledCase c;
    const json::Array *shape = o->getArray("shape");
    if (!shape || shape->size() != 3)
      return bad("a case has no 3-element 'shape'");
    c.shape = {(*shape)[0].getAsInteger().value_or(0),
               (*shape)[1].getAsInteger().value_or(0),
               (*shape)[2].getAsInteger().value_or(0)};
    auto vs = parseVariants(o->getString("variant").value_or(""));
    if (!vs)
      return vs.takeError();
    c.variant = vs->front();
    c.chip = o->getString("chip").value_or("").str();
    c.pipeline = o->getString("pipeline").value_or("").str();
    c.tiles = o->getString("tiles").value_or("").str();
    c.compileSeconds = o->getNumber("compile_seconds").value_or(0);
    c.error = o->getString("error").value_or("").str();
    if (const json::Object *f = o->getObject("format"))
      c.format = HiNMFormat{f->getInteger("vector_size").value_or(0),
                            f->getInteger("kept").value_or(0),
                            f->getInteger("n").value_or(0),
                            f->getInteger("m").value_or(0)};
    if (auto f = o->getString("ptx_file"))
      c.ptx = readSibling(dir, *f, true);
    if (auto f = o->getString("cubin_file"))
      c.cubin = readSibling(dir, *f, false);
    if (const json::Array *ks = o->getArray("kernels")) {
      for (const json::Value &kv : *ks) {
        const json::Object *ko = kv.getAsObject();
        if (!ko)
          return bad("a kernel is not an object");
        KernelLaunch k;
        k.name = ko->getString("name").value_or("").str();
        const json::Array *g = ko->getArray("grid"), *b = ko->getArray("block");
        if (!g || !b || g->size() != 3 || b->size() != 3)
          return bad("kernel '" + k.name + "' lacks grid/block");
        for (int i = 0; i < 3; ++i) {
          k.grid[i] = (*g)[i].getAsInteger().value_or(0);
          k.block[i] = (*b)[i].getAsInteger().value_or(0);
        }
        k.dynamicSharedBytes =
            ko->getInteger("dynamic_shared_bytes").value_or(0);
        k.barePointers = ko->getBoolean("bare_pointers").value_or(false);
        if (const json::Object *px = ko->getObject("ptxas")) {
          k.ptxas.valid = true;
          k.ptxas.registers = px->getInteger("registers").value_or(0);
          k.ptxas.sharedBytes = px->getInteger("shared_bytes").value_or(0);
          k.ptxas.stackBytes = px->getInteger("stack_bytes").value_or(0);
          k.ptxas.spillStores = px->getInteger("spill_stores").value_or(0);
          k.ptxas.spillLoads = px->getInteger("spill_loads").value_or(0);
          k.ptxas.constBytes = px->getInteger("const_bytes").value_or(0);
        }
        const json::Array *ps = ko->getArray("params");
        if (!ps)
          return bad("kernel '" + k.name + "' lacks params");
        for (const json::Value &pv : *ps) {
          const json::Object *po = pv.getAsObject();
          if (!po)
            return bad("a kernel parameter is not an object");
          KernelParam kp;
          StringRef kind = po->getString("kind").value_or("");
          if (kind == "bytes") {
            kp.kind = KernelParam::Kind::Bytes;
            std::string raw;
            if (!tryGetFromHex(po->getString("hex").value_or(""), raw))
              return bad("bad hex in a parameter of '" + k.name + "'");
            kp.bytes.assign(raw.begin(), raw.end());
          } else if (kind == "buffer" || kind == "buffer_struct") {
            kp.kind = kind == "buffer" ? KernelParam::Kind::Buffer
                                       : KernelParam::Kind::BufferStruct;
            auto id = bufferFromName(po->getString("buffer").value_or(""));
            if (!id)
              return bad("unknown buffer in a parameter of '" + k.name + "'");
            kp.buffer = *id;
            kp.elementBytes = po->getInteger("element_bytes").value_or(0);
            if (const json::Array *sh = po->getArray("shape"))
              for (const json::Value &d : *sh)
                kp.shape.push_back(d.getAsInteger().value_or(0));
          } else {
            return bad("unknown parameter kind '" + kind + "'");
          }
          k.params.push_back(std::move(kp));
        }
        c.kernels.push_back(std::move(k));
      }
    }
    if (!c.variant.isCuBLAS() && c.error.empty() && c.ptx.empty())
      c.error = "the plan has no PTX for this case";
    out.push_back(std::move(c));
  }
  return out;
}
