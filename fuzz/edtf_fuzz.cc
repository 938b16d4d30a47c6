// libFuzzer target for EdtfDate::Parse (untrusted input from every import). Not built by
// default; build and run, e.g.:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I src \
//     fuzz/edtf_fuzz.cc src/core/edtf.cc src/core/status.cc -o /tmp/edtf_fuzz
//   /tmp/edtf_fuzz -max_len=64 -max_total_time=60
// Properties checked beyond "no crash": every accepted text is canonical (ToString gives the
// input back), re-parses to an equal value, and has earliest() <= latest(); every rejection is
// InvalidInput with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/edtf.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto date = memoria::EdtfDate::Parse(text);
  if (!date.ok()) {
    if (date.status().code() != memoria::ErrorCode::kInvalidInput) std::abort();
    if (date.status().message().empty()) std::abort();
    return 0;
  }
  const std::string canonical = date->ToString();
  if (canonical != text) std::abort();
  auto again = memoria::EdtfDate::Parse(canonical);
  if (!again.ok() || !(*again == *date)) std::abort();
  if (date->earliest() > date->latest()) std::abort();
  if (memoria::FormatIsoDay(date->earliest()).empty()) std::abort();
  if (memoria::FormatIsoDay(date->latest()).empty()) std::abort();
  if (date->DistanceDays(*again) != 0 || !date->Overlaps(*again)) std::abort();
  return 0;
}
