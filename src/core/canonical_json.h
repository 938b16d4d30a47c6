// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence for a JSON value that the
// change-log hash is computed over and that export writes.
//
//  - no insignificant white space;
//  - object members sorted by their names compared as UTF-16 code-unit sequences;
//  - strings: only ", \ and U+0000..U+001F escaped (\b \f \n \r \t, else \u00xx lower-case hex),
//    everything else written as UTF-8;
//  - numbers as ECMAScript's Number.prototype.toString (shortest round-trip form, exponent
//    notation below 1e-6 and from 1e21 on). Integers beyond ±2^53 cannot be represented exactly
//    and are rejected, as are NaN and infinities.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace memoria {

// Canonical form of `value`. InvalidInput for numbers JSON/JCS cannot represent.
Result<std::string> CanonicalJson(const nlohmann::json& value);

// Appends the JCS form of a string (with quotes) to `out`.
void AppendCanonicalString(std::string& out, std::string_view s);

// ECMAScript Number-to-String of a finite double, e.g. 1e+21, 0.000001, 1e-7, 123.456, -0 -> "0".
std::string FormatEcmaScriptNumber(double value);

}  // namespace memoria
