#include "core/text.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "core/csv.h"

namespace memoria {

Result<std::string> NfcNormalize(std::string_view s) {
  if (!IsValidUtf8(s)) return Status::InvalidInput("invalid UTF-8");
  bool ascii = true;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(s);  // ASCII is always NFC
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return Status::Internal("ICU NFC normaliser unavailable");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  if (nfc->isNormalized(u, err) && U_SUCCESS(err)) return std::string(s);
  err = U_ZERO_ERROR;
  icu::UnicodeString n = nfc->normalize(u, err);
  if (U_FAILURE(err)) return Status::Internal("ICU NFC normalisation failed");
  std::string out;
  n.toUTF8String(out);
  return out;
}

Result<std::string> NormalizeFieldText(std::string_view s, bool multiline) {
  MEMORIA_ASSIGN_OR_RETURN(std::string n, NfcNormalize(s));
  std::string out;
  out.reserve(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    auto c = static_cast<unsigned char>(n[i]);
    if (c == '\r' && multiline && i + 1 < n.size() && n[i + 1] == '\n') continue;
    if (c < 0x20 || c == 0x7F) {
      if (multiline && (c == '\n' || c == '\t')) {
        out.push_back(static_cast<char>(c));
        continue;
      }
      return Status::InvalidInput(multiline
                                      ? "control character in text"
                                      : "control character or line break in a one-line field");
    }
    out.push_back(static_cast<char>(c));
  }
  const char* ws = " \t\n";
  std::size_t b = out.find_first_not_of(ws);
  if (b == std::string::npos) return std::string();
  std::size_t e = out.find_last_not_of(ws);
  return out.substr(b, e - b + 1);
}

}  // namespace memoria
