#include "core/canonical_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace memoria {
namespace {

// Compares two UTF-8 strings by their UTF-16 code units, as RFC 8785 §3.2.3 requires. This differs
// from byte order only when a code point above U+FFFF (a surrogate pair, 0xD800..) meets one in
// U+E000..U+FFFF.
std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (int j = 1; j < len && i + j < s.size(); ++j) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3F);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

bool Utf16Less(const std::string& a, const std::string& b) {
  bool ascii = std::all_of(a.begin(), a.end(), [](char c) { return (c & 0x80) == 0; }) &&
               std::all_of(b.begin(), b.end(), [](char c) { return (c & 0x80) == 0; });
  if (ascii) return a < b;
  return ToUtf16(a) < ToUtf16(b);
}

constexpr std::uint64_t kMaxSafeInteger = std::uint64_t{1} << 53;

Status Append(std::string& out, const nlohmann::json& v) {
  using T = nlohmann::json::value_t;
  switch (v.type()) {
    case T::null:
      out += "null";
      return Status::Ok();
    case T::boolean:
      out += v.get<bool>() ? "true" : "false";
      return Status::Ok();
    case T::string:
      AppendCanonicalString(out, v.get_ref<const std::string&>());
      return Status::Ok();
    case T::number_integer: {
      auto i = v.get<std::int64_t>();
      if ((i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i)) >
          kMaxSafeInteger) {
        return Status::InvalidInput("integer " + std::to_string(i) + " is beyond ±2^53");
      }
      out += std::to_string(i);
      return Status::Ok();
    }
    case T::number_unsigned: {
      auto u = v.get<std::uint64_t>();
      if (u > kMaxSafeInteger) {
        return Status::InvalidInput("integer " + std::to_string(u) + " is beyond 2^53");
      }
      out += std::to_string(u);
      return Status::Ok();
    }
    case T::number_float: {
      double d = v.get<double>();
      if (!std::isfinite(d)) return Status::InvalidInput("NaN or infinity is not valid JSON");
      out += FormatEcmaScriptNumber(d);
      return Status::Ok();
    }
    case T::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out.push_back(',');
        first = false;
        MEMORIA_RETURN_IF_ERROR(Append(out, e));
      }
      out.push_back(']');
      return Status::Ok();
    }
    case T::object: {
      // nlohmann's objects iterate in byte order, which is UTF-16 order unless a key holds a
      // code point at or above U+E000 (UTF-8 lead byte 0xEE or more); only then sort again.
      std::vector<const std::string*> keys;
      keys.reserve(v.size());
      bool resort = false;
      for (auto it = v.begin(); it != v.end(); ++it) {
        keys.push_back(&it.key());
        for (char ch : it.key()) resort |= static_cast<unsigned char>(ch) >= 0xEE;
      }
      if (resort) {
        std::sort(keys.begin(), keys.end(),
                  [](const std::string* a, const std::string* b) { return Utf16Less(*a, *b); });
      }
      out.push_back('{');
      bool first = true;
      for (const std::string* k : keys) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalString(out, *k);
        out.push_back(':');
        Status s = Append(out, v.at(*k));
        if (!s.ok()) return std::move(s).InField(*k);
      }
      out.push_back('}');
      return Status::Ok();
    }
    case T::binary:
    case T::discarded:
      return Status::InvalidInput("value is not JSON");
  }
  return Status::Internal("unreachable JSON type");
}

}  // namespace

void AppendCanonicalString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the current run of characters copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

std::string FormatEcmaScriptNumber(double value) {
  if (value == 0) return "0";  // also -0
  // Shortest round-trip digits and exponent, from std::to_chars in scientific form: d.ddde±x.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  std::size_t e = sci.find('e');
  std::string digits = sci.substr(0, e);
  int exp10 = std::stoi(sci.substr(e + 1));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  // ECMAScript: value = 0.d1d2...dk × 10^n with n = exp10 + 1.
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;
  std::string out = negative ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(-n, '0') + digits;
  } else {
    int exponent = n - 1;
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += exponent >= 0 ? "e+" : "e-";
    out += std::to_string(std::abs(exponent));
  }
  return out;
}

Result<std::string> CanonicalJson(const nlohmann::json& value) {
  std::string out;
  MEMORIA_RETURN_IF_ERROR(Append(out, value));
  return out;
}

}  // namespace memoria
