// Text normalisation shared by the model and the importers.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace memoria {

// Unicode NFC of valid UTF-8 `s` (ICU). InvalidInput if `s` is not valid UTF-8.
Result<std::string> NfcNormalize(std::string_view s);

// A value for a text field: valid UTF-8, NFC, leading and trailing white space removed, and no
// control characters (with `multiline`, \n and \t are allowed; \r\n becomes \n).
Result<std::string> NormalizeFieldText(std::string_view s, bool multiline);

}  // namespace memoria
