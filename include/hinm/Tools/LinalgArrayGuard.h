//===- LinalgArrayGuard.h - Malformed linalg dimension arrays ---*- C++ -*-===//
//
// Part of the hinm project. Header-only; used by hinm-opt and hinm-fuzz.
//
// Upstream's custom parsers of `linalg.transpose`, `linalg.broadcast` and
// `linalg.reduce` (LLVM 22.1) print a parse error for a malformed
// `permutation = [...]` / `dimensions = [...]` array and then store the
// null attribute they got, which crashes the process (stock mlir-opt
// included; found by a CI fuzz run, docs/reliability.md). The tools check
// these arrays first and refuse such input with a located error instead.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_LINALGARRAYGUARD_H
#define HINM_TOOLS_LINALGARRAYGUARD_H

#include "hinm/Tools/InputNesting.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace hinm {

namespace detail {
inline bool isIdentChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '.' || c == '$';
}
/// Skips what MLIR's lexer skips between tokens: white space and NUL bytes
/// (a fuzz run put a NUL between `permutation` and `=`).
inline size_t skipSpace(llvm::StringRef text, size_t k) {
  while (k < text.size() && (llvm::isSpace(text[k]) || text[k] == '\0'))
    ++k;
  return k;
}
/// Whether `[` integer (`,` integer)* `]` or `[]` starts at `k`.
inline bool isIntArray(llvm::StringRef text, size_t k) {
  const size_t e = text.size();
  if (k >= e || text[k] != '[')
    return false;
  k = skipSpace(text, k + 1);
  if (k < e && text[k] == ']')
    return true;
  while (true) {
    if (k < e && text[k] == '-')
      ++k;
    if (k >= e || !llvm::isDigit(text[k]))
      return false;
    while (k < e && llvm::isDigit(text[k]))
      ++k;
    k = skipSpace(text, k);
    if (k < e && text[k] == ']')
      return true;
    if (k >= e || text[k] != ',')
      return false;
    k = skipSpace(text, k + 1);
  }
}
} // namespace detail

/// The offset in `text` of the first `permutation` (after `linalg.transpose`)
/// or `dimensions` (after `linalg.broadcast` / `linalg.reduce`) keyword whose
/// `= [...]` is not a well-formed integer array, or nothing. String literals
/// and `//` comments are skipped; the generic form (quoted op name) is not
/// affected by the upstream bug and is not checked.
inline std::optional<size_t> findMalformedLinalgArray(llvm::StringRef text) {
  llvm::StringRef pending; // the keyword the last such op name expects
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    if (skipStringOrComment(text, i) || !detail::isIdentChar(text[i]))
      continue;
    size_t j = i;
    while (j < e && detail::isIdentChar(text[j]))
      ++j;
    llvm::StringRef tok = text.slice(i, j);
    if (tok == "linalg.transpose") {
      pending = "permutation";
    } else if (tok == "linalg.broadcast" || tok == "linalg.reduce") {
      pending = "dimensions";
    } else if (!pending.empty() && tok == pending) {
      pending = {};
      size_t k = detail::skipSpace(text, j);
      if (k < e && text[k] == '=' &&
          !detail::isIntArray(text, detail::skipSpace(text, k + 1)))
        return i;
    }
    i = j - 1;
  }
  return std::nullopt;
}

} // namespace hinm

#endif // HINM_TOOLS_LINALGARRAYGUARD_H
