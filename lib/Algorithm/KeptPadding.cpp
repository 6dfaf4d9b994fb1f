//===- KeptPadding.cpp - raise a HiNM matrix's kept count with zeros ------===//
//
// Part of the hinm project. See KeptPadding.h.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/KeptPadding.h"

#include <algorithm>

using namespace hinm;

std::string hinm::validateKeptPadding(const HiNMFormat &fmt, int64_t newKept) {
  if (newKept < fmt.kept)
    return "the padded kept count " + std::to_string(newKept) +
           " is below the current " + std::to_string(fmt.kept);
  if (fmt.m <= 0 || newKept % fmt.m != 0)
    return "the padded kept count " + std::to_string(newKept) +
           " is not a multiple of M = " + std::to_string(fmt.m);
  return "";
}

KeptPadding hinm::keptPadding(const HiNMFormat &fmt, int64_t newKept) {
  KeptPadding pad;
  pad.format = fmt;
  pad.format.kept = newKept;
  pad.addedColumns = newKept - fmt.kept;
  const int64_t words = pad.format.metaWordsPerRow();
  const int64_t bits = fmt.metaBitsPerIndex(), ipw = fmt.metaIndicesPerWord();
  const uint32_t field = (uint32_t(1) << bits) - 1;
  pad.keepBits.assign(words, 0);
  pad.padFields.assign(words, 0);
  // Stored element j of a row sits at bit (j % ipw) * bits of word j / ipw;
  // the old row has compressedCols() elements, the padded one more, and
  // element j of a new group is its (j % n)-th kept position.
  const int64_t oldElems = fmt.compressedCols();
  for (int64_t j = 0; j < pad.format.compressedCols(); ++j) {
    int64_t shift = (j % ipw) * bits;
    if (j < oldElems)
      pad.keepBits[j / ipw] |= field << shift;
    else
      pad.padFields[j / ipw] |= uint32_t(j % fmt.n) << shift;
  }
  return pad;
}

HiNMStorage hinm::padKept(const HiNMStorage &s, int64_t newKept) {
  const HiNMFormat &fmt = s.format;
  KeptPadding pad = keptPadding(fmt, newKept);
  HiNMStorage out;
  out.format = pad.format;
  out.rows = s.rows;
  out.cols = s.cols + pad.addedColumns;
  out.rowPerm = s.rowPerm;
  const int64_t pr = fmt.paddedRows(s.rows), blocks = fmt.numBlocks(s.rows);
  for (int64_t b = 0; b < blocks; ++b) {
    const int32_t *old = &s.vectorIndex[b * fmt.kept];
    out.vectorIndex.insert(out.vectorIndex.end(), old, old + fmt.kept);
    for (int64_t c = 0; c < pad.addedColumns; ++c)
      out.vectorIndex.push_back(static_cast<int32_t>(s.cols + c));
  }
  const int64_t oldCc = fmt.compressedCols(), cc = pad.format.compressedCols();
  const int64_t oldWords = fmt.metaWordsPerRow();
  const int64_t words = pad.format.metaWordsPerRow();
  out.values.assign(pr * cc, 0.0f);
  out.metadata.assign(pr * words, 0);
  for (int64_t p = 0; p < pr; ++p) {
    std::copy_n(&s.values[p * oldCc], oldCc, &out.values[p * cc]);
    for (int64_t w = 0; w < words; ++w) {
      uint32_t old = w < oldWords ? s.metadata[p * oldWords + w] : 0;
      out.metadata[p * words + w] = (old & pad.keepBits[w]) | pad.padFields[w];
    }
  }
  return out;
}
