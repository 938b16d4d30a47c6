// UUIDs (RFC 9562) in their canonical text form: 36 lowercase characters, 8-4-4-4-12 hex.
//
// - Version 7 for what memoria creates: a 48-bit Unix-epoch millisecond timestamp followed by
//   74 random bits (OpenSSL's CSPRNG), so ids sort by creation time. Within one generator they
//   are strictly increasing: in the same millisecond (or if the clock steps back) the random
//   part is treated as a counter and advanced by a random amount (RFC 9562 section 6.2,
//   method 2 "monotonic random"), keeping ids unguessable.
// - Version 5 (name-based, SHA-1) for deterministic ids of imported rows: the same namespace
//   and name always give the same id.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace memoria {

// Namespaces from RFC 9562 section 6.6.
inline constexpr std::string_view kUuidNamespaceDns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
inline constexpr std::string_view kUuidNamespaceUrl = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
// memoria's own namespace for UuidV5 ids (a fixed random UUID; never change it: stored ids
// derived from it would no longer be reproducible).
inline constexpr std::string_view kMemoriaUuidNamespace = "1644efe0-a6f4-468f-9514-e94634ab1e86";

// Generates version-7 UUIDs. Thread-safe (calls are serialised by an internal mutex).
class UuidV7Generator {
 public:
  // Milliseconds since 1970-01-01T00:00:00Z. Values below 0 are read as 0 and values beyond
  // 48 bits as the largest 48-bit value.
  using Clock = std::function<std::int64_t()>;
  // Fills the span with random bytes; it must not fail (the default aborts the process if the
  // CSPRNG does, since ids without entropy could collide across organizations).
  using RandomSource = std::function<void(std::span<std::uint8_t>)>;

  // The system clock and OpenSSL RAND_bytes (read in 512-byte blocks; a forked child never
  // reuses its parent's buffered bytes).
  UuidV7Generator();
  // For tests: a controllable clock and random source.
  UuidV7Generator(Clock clock, RandomSource random);

  // The next id, greater (as a string and as bytes) than every id this generator returned.
  std::string Next();

 private:
  std::mutex mutex_;
  Clock clock_;
  RandomSource random_;
  std::int64_t last_ms_ = -1;
  std::uint16_t rand_a_ = 0;  // 12 bits
  std::uint64_t rand_b_ = 0;  // 62 bits
};

// A new version-7 UUID from the process-wide default generator.
std::string NewUuidV7();

// The version-5 UUID of `name` (any bytes, typically UTF-8) in `name_space_uuid`, which must
// be a canonical UUID (IsUuid); otherwise Status::InvalidInput.
Result<std::string> UuidV5(std::string_view name_space_uuid, std::string_view name);

// Whether `text` is a UUID in canonical form: lowercase hex, hyphens at 8-4-4-4-12. Checks the
// syntax only, so the nil UUID and every version pass.
bool IsUuid(std::string_view text);

}  // namespace memoria
