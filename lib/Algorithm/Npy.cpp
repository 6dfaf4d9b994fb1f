//===- Npy.cpp - Minimal NumPy .npy reader ---------------------------------===//
//
// Part of the hinm project. See include/hinm/Algorithm/Npy.h. The header is a
// Python dict literal; only the three keys numpy writes are read.
//
//===----------------------------------------------------------------------===//
#include "hinm/Algorithm/Npy.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>

using namespace hinm;
using llvm::StringRef;

static llvm::Error npyError(const llvm::Twine &msg) {
  return llvm::createStringError(msg.str());
}

/// The value text of 'key' in the header dict, up to the next top-level
/// comma or closing brace (a tuple counts as one value).
static std::optional<StringRef> headerValue(StringRef header, StringRef key) {
  std::string quoted1 = "'" + key.str() + "'";
  size_t pos = header.find(quoted1);
  if (pos == StringRef::npos)
    pos = header.find("\"" + key.str() + "\"");
  if (pos == StringRef::npos)
    return std::nullopt;
  size_t colon = header.find(':', pos + quoted1.size());
  if (colon == StringRef::npos)
    return std::nullopt;
  size_t start = colon + 1, depth = 0, i = start;
  for (; i < header.size(); ++i) {
    char ch = header[i];
    if (ch == '(')
      ++depth;
    else if (ch == ')') {
      if (depth == 0)
        break;
      --depth;
    } else if ((ch == ',' || ch == '}') && depth == 0)
      break;
  }
  return header.slice(start, i).trim();
}

llvm::Expected<NpyMatrix> hinm::parseNpy(StringRef bytes) {
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return npyError("not a .npy file (missing \\x93NUMPY magic)");
  unsigned major = (unsigned char)bytes[6];
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = (unsigned char)bytes[8] | (unsigned char)bytes[9] << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError("truncated .npy header");
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = headerLen << 8 | (unsigned char)bytes[8 + i];
    headerStart = 12;
  } else {
    return npyError("unsupported .npy format version " +
                    llvm::Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return npyError("truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLen);
  auto descr = headerValue(header, "descr");
  auto fortran = headerValue(header, "fortran_order");
  auto shape = headerValue(header, "shape");
  if (!descr || !fortran || !shape)
    return npyError("malformed .npy header: " + header.trim());
  StringRef d = descr->trim("'\" ");
  bool bigEndian = false;
  if (d == "<f4" || d == "|f4" || d == "f4")
    bigEndian = false;
  else if (d == ">f4")
    bigEndian = true;
  else
    return npyError("dtype '" + d + "' is not float32");
  bool isFortran;
  if (*fortran == "False")
    isFortran = false;
  else if (*fortran == "True")
    isFortran = true;
  else
    return npyError("malformed fortran_order '" + *fortran + "'");
  StringRef s = shape->trim();
  if (!s.consume_front("(") || !s.consume_back(")"))
    return npyError("malformed shape '" + *shape + "'");
  llvm::SmallVector<StringRef> parts;
  s.split(parts, ',', -1, /*KeepEmpty=*/false);
  llvm::SmallVector<int64_t> dims;
  for (StringRef p : parts) {
    p = p.trim();
    if (p.empty())
      continue;
    int64_t dim;
    if (p.getAsInteger(10, dim) || dim < 0)
      return npyError("malformed shape '" + *shape + "'");
    dims.push_back(dim);
  }
  if (dims.size() != 2)
    return npyError("array is " + llvm::Twine(dims.size()) +
                    "-D, expected a 2-D matrix");
  NpyMatrix out;
  out.rows = dims[0];
  out.cols = dims[1];
  if (out.rows <= 0 || out.cols <= 0)
    return npyError("matrix shape " + llvm::Twine(out.rows) + "x" +
                    llvm::Twine(out.cols) + " is empty");
  if (out.rows > (int64_t(1) << 40) / out.cols)
    return npyError("matrix too large");
  size_t count = size_t(out.rows * out.cols);
  size_t dataStart = headerStart + headerLen;
  size_t have = bytes.size() - dataStart;
  if (have < count * 4)
    return npyError("truncated data: expected " + llvm::Twine(count * 4) +
                    " bytes, found " + llvm::Twine(have));
  std::vector<float> raw(count);
  const unsigned char *src =
      reinterpret_cast<const unsigned char *>(bytes.data() + dataStart);
  for (size_t i = 0; i < count; ++i) {
    uint32_t u;
    const unsigned char *q = src + 4 * i;
    if (bigEndian)
      u = uint32_t(q[0]) << 24 | uint32_t(q[1]) << 16 | uint32_t(q[2]) << 8 |
          q[3];
    else
      u = uint32_t(q[3]) << 24 | uint32_t(q[2]) << 16 | uint32_t(q[1]) << 8 |
          q[0];
    std::memcpy(&raw[i], &u, 4);
  }
  if (!isFortran) {
    out.data = std::move(raw);
  } else {
    out.data.resize(count);
    for (int64_t r = 0; r < out.rows; ++r)
      for (int64_t c = 0; c < out.cols; ++c)
        out.data[r * out.cols + c] = raw[c * out.rows + r];
  }
  return out;
}

llvm::Expected<NpyMatrix> hinm::readNpy(StringRef path) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!buf)
    return npyError(path + ": " + buf.getError().message());
  auto m = parseNpy((*buf)->getBuffer());
  if (!m)
    return npyError(path + ": " + llvm::toString(m.takeError()));
  return m;
}
