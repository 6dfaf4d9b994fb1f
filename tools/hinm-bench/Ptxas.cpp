//===- Ptxas.cpp - hinm-bench: running ptxas ------------------------------===//
//
// Part of the hinm project. See Ptxas.h.
//
//===----------------------------------------------------------------------===//
#include "Ptxas.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace hinm;
using namespace hinm::bench;

#ifndef HINM_BENCH_PTXAS
#define HINM_BENCH_PTXAS ""
#endif

std::string hinm::bench::findPtxas(StringRef explicitPath) {
  if (!explicitPath.empty())
    return sys::fs::can_execute(explicitPath) ? explicitPath.str() : "";
  for (const char *var : {"CUDA_HOME", "CUDA_ROOT", "CUDA_PATH"}) {
    if (std::optional<std::string> root = sys::Process::GetEnv(var)) {
      SmallString<256> p(*root);
      sys::path::append(p, "bin", "ptxas");
      if (sys::fs::can_execute(p))
        return std::string(p);
    }
  }
  if (sys::fs::can_execute(HINM_BENCH_PTXAS))
    return HINM_BENCH_PTXAS;
  if (ErrorOr<std::string> p = sys::findProgramByName("ptxas"))
    return *p;
  return "";
}

PtxasInfo hinm::bench::parsePtxasInfo(StringRef log, StringRef name) {
  PtxasInfo info;
  // "Function properties for NAME" then "N bytes stack frame, N bytes spill
  // stores, N bytes spill loads"; "Compiling entry function 'NAME'" then
  // "Used N registers, ... N bytes smem, N bytes cmem[0]".
  SmallVector<StringRef> lines;
  log.split(lines, '\n');
  Regex props("([0-9]+) bytes stack frame, ([0-9]+) bytes spill stores, "
              "([0-9]+) bytes spill loads");
  Regex used("Used ([0-9]+) registers");
  Regex smem("([0-9]+) bytes smem");
  Regex cmem("([0-9]+) bytes cmem\\[0\\]");
  bool inProps = false, inEntry = false;
  for (StringRef line : lines) {
    if (line.contains("Function properties for")) {
      inProps = line.trim().ends_with(name);
      continue;
    }
    if (line.contains("Compiling entry function")) {
      inEntry = line.contains("'" + name.str() + "'");
      continue;
    }
    SmallVector<StringRef> m;
    if (inProps && props.match(line, &m)) {
      m[1].getAsInteger(10, info.stackBytes);
      m[2].getAsInteger(10, info.spillStores);
      m[3].getAsInteger(10, info.spillLoads);
      inProps = false;
      continue;
    }
    if (inEntry && used.match(line, &m)) {
      m[1].getAsInteger(10, info.registers);
      info.valid = true;
      if (smem.match(line, &m))
        m[1].getAsInteger(10, info.sharedBytes);
      if (cmem.match(line, &m))
        m[1].getAsInteger(10, info.constBytes);
      inEntry = false;
    }
  }
  return info;
}

std::string hinm::bench::runPtxas(StringRef ptxas, CompiledCase &c,
                                  bool wantCubin) {
  SmallString<128> ptxPath, cubinPath, logPath;
  int fd;
  if (sys::fs::createTemporaryFile("hinm-bench", "ptx", fd, ptxPath))
    return "cannot create a temporary file";
  {
    raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << c.ptx;
  }
  if (sys::fs::createTemporaryFile("hinm-bench", "cubin", cubinPath) ||
      sys::fs::createTemporaryFile("hinm-bench", "log", logPath))
    return "cannot create a temporary file";
  std::string arch = "-arch=" + c.chip;
  SmallVector<StringRef> args = {ptxas, arch, "-v", ptxPath, "-o", cubinPath};
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(logPath),
                                          StringRef(logPath)};
  std::string errMsg;
  int rc = sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects,
                               /*SecondsToWait=*/300, 0, &errMsg);
  std::string log;
  if (auto buf = MemoryBuffer::getFile(logPath))
    log = (*buf)->getBuffer().str();
  std::string result;
  if (rc != 0) {
    result = "ptxas failed (exit " + std::to_string(rc) + ")" +
             (errMsg.empty() ? "" : ": " + errMsg) + "\n" + log;
  } else {
    for (KernelLaunch &k : c.kernels) {
      k.ptxas = parsePtxasInfo(log, k.name);
      if (!k.ptxas.valid)
        result = "no ptxas -v figures for kernel '" + k.name + "' in:\n" + log;
    }
    if (wantCubin)
      if (auto buf = MemoryBuffer::getFile(cubinPath, /*IsText=*/false))
        c.cubin = (*buf)->getBuffer().str();
  }
  sys::fs::remove(ptxPath);
  sys::fs::remove(cubinPath);
  sys::fs::remove(logPath);
  return result;
}
