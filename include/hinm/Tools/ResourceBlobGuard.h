//===- ResourceBlobGuard.h - Blobs upstream cannot allocate ----*- C++ -*-===//
//
// Part of the hinm project. Header-only; used by hinm-opt and hinm-fuzz.
//
// A hex blob in the file metadata (`{-# dialect_resources: {builtin: {k:
// "0x..."}} #-}`) starts with its alignment as a little-endian u32.
// Upstream's parser (LLVM 22.1) rejects alignments that are not powers of
// two but lets 0 through and hands it to the allocator, which aborts
// ("Buffer allocation failed"; stock mlir-opt too; found by a CI fuzz run,
// docs/reliability.md). The tools find such blobs first.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_TOOLS_RESOURCEBLOBGUARD_H
#define HINM_TOOLS_RESOURCEBLOBGUARD_H

#include "hinm/Tools/InputNesting.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace hinm {

/// A hex blob and the alignment its first four bytes declare.
struct ResourceBlob {
  size_t offset;      ///< of the blob's opening quote in the text
  uint32_t alignment; ///< as the parser reads it
};

/// The first hex string inside a file-metadata section (`{-#` ... `#-}`)
/// that the parser would read as a blob (`0x` then an even number of hex
/// digits, four bytes or more, as Token::getHexStringValue reads it) and
/// whose alignment `isBad` rejects, or nothing. Strings and `//` comments
/// outside the section are skipped like the lexer does.
inline std::optional<ResourceBlob>
findResourceBlob(llvm::StringRef text,
                 llvm::function_ref<bool(uint32_t)> isBad) {
  bool inMetadata = false;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    size_t start = i;
    if (skipStringOrComment(text, i)) {
      if (!inMetadata || text[start] != '"' || i >= e)
        continue;
      llvm::StringRef body = text.slice(start + 1, i);
      std::string bytes;
      if (!body.consume_front("0x") || (body.size() & 1) ||
          !llvm::tryGetFromHex(body, bytes) || bytes.size() < 4)
        continue;
      uint32_t alignment = 0;
      for (int b = 3; b >= 0; --b)
        alignment = alignment << 8 | static_cast<uint8_t>(bytes[b]);
      if (isBad(alignment))
        return ResourceBlob{start, alignment};
      continue;
    }
    if (text.substr(i).starts_with("{-#"))
      inMetadata = true;
    else if (text.substr(i).starts_with("#-}"))
      inMetadata = false;
  }
  return std::nullopt;
}

} // namespace hinm

#endif // HINM_TOOLS_RESOURCEBLOBGUARD_H
