//===- InputNesting.h - Bracket nesting depth of textual IR -----*- C++ -*-===//
//
// Part of the hinm project. Header-only; used by hinm-opt and hinm-fuzz.
//
// Upstream MLIR's recursive-descent parser recurses once per nesting level
// with no limit, so a few thousand nested brackets (`dense<[[[[...`, nested
// regions) overflow the stack and the process dies with a segmentation
// fault before any diagnostic (docs/reliability.md). The tools measure the
// nesting first and refuse such input with a located error instead.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_INPUTNESTING_H
#define HINM_TOOLS_INPUTNESTING_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace hinm {

/// When a string literal or a `//` comment starts at `i`, moves `i` to its
/// last character and returns true (the scanners skip both).
inline bool skipStringOrComment(llvm::StringRef text, size_t &i) {
  const size_t e = text.size();
  if (text[i] == '"') { // to the unescaped closing quote
    for (++i; i < e && text[i] != '"'; ++i)
      if (text[i] == '\\')
        ++i;
    return true;
  }
  if (text[i] == '/' && i + 1 < e && text[i + 1] == '/') {
    while (i < e && text[i] != '\n')
      ++i;
    return true;
  }
  return false;
}

/// The offset in `text` of the first bracket that opens level `limit + 1`,
/// or nothing when the text nests at most `limit` deep. Counts `(`, `[`,
/// `{` and `<` against `)`, `]`, `}` and `>`, skipping string literals and
/// `//` comments; the `>` of `->` and `>=` does not close anything.
inline std::optional<size_t> findNestingOver(llvm::StringRef text,
                                             int64_t limit) {
  int64_t depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    if (skipStringOrComment(text, i))
      continue;
    char c = text[i];
    if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > limit)
        return i;
    } else if (c == ')' || c == ']' || c == '}' ||
               (c == '>' && !(i > 0 && text[i - 1] == '-') &&
                !(i + 1 < e && text[i + 1] == '='))) {
      depth = depth > 0 ? depth - 1 : 0;
    }
  }
  return std::nullopt;
}

} // namespace hinm

#endif // HINM_TOOLS_INPUTNESTING_H
