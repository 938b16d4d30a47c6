#include "core/uuid.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace memoria {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

constexpr std::int64_t kMaxMillis = (std::int64_t{1} << 48) - 1;
constexpr std::uint64_t kRandBLimit = std::uint64_t{1} << 62;
constexpr std::uint16_t kRandALimit = 1 << 12;

std::int64_t SystemMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Bumped in the child after fork(), so that buffered random bytes are never reused there.
std::atomic<std::uint64_t> g_fork_generation{0};
void OnForkChild() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

// OpenSSL's CSPRNG, read in blocks: RAND_bytes costs about the same for 4 bytes as for 512,
// so a buffer makes ids several times cheaper. A forked child drops the buffer it inherited
// (tracked with pthread_atfork: getpid() is a costly system call in some sandboxes).
// Not thread-safe; the generator's mutex guards it.
class BufferedCryptoRandom {
 public:
  BufferedCryptoRandom() {
    static std::once_flag registered;
    std::call_once(registered, [] { pthread_atfork(nullptr, nullptr, OnForkChild); });
  }

  void operator()(std::span<std::uint8_t> out) {
    const std::uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_) {
      generation_ = generation;
      used_ = buffer_.size();
    }
    for (std::uint8_t& b : out) {
      if (used_ == buffer_.size()) Refill();
      b = buffer_[used_++];
    }
  }

 private:
  void Refill() {
    if (RAND_bytes(buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      std::fputs("memoria: the OpenSSL random generator failed; cannot create ids\n", stderr);
      std::abort();
    }
    used_ = 0;
  }
  std::array<std::uint8_t, 512> buffer_{};
  std::size_t used_ = buffer_.size();
  std::uint64_t generation_ = g_fork_generation.load(std::memory_order_relaxed);
};

std::uint64_t ReadBigEndian(std::span<const std::uint8_t> b) {
  std::uint64_t v = 0;
  for (std::uint8_t x : b) v = (v << 8) | x;
  return v;
}

std::string Format(const Bytes& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0F]);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Precondition: IsUuid(text).
Bytes ParseCanonical(std::string_view text) {
  Bytes b{};
  std::size_t k = 0;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    if (text[i] == '-') ++i;
    b[k++] = static_cast<std::uint8_t>(HexValue(text[i]) * 16 + HexValue(text[i + 1]));
  }
  return b;
}

}  // namespace

UuidV7Generator::UuidV7Generator() : UuidV7Generator(SystemMillis, BufferedCryptoRandom()) {}

UuidV7Generator::UuidV7Generator(Clock clock, RandomSource random)
    : clock_(std::move(clock)), random_(std::move(random)) {}

std::string UuidV7Generator::Next() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::int64_t now = clock_();
  if (now < 0) now = 0;
  if (now > kMaxMillis) now = kMaxMillis;

  bool reseed = now > last_ms_;
  if (!reseed) {
    // Same millisecond, or the clock stepped back: keep the last timestamp and advance the
    // 74-bit random part by a random 1..2^32, so ids stay increasing and unguessable.
    std::array<std::uint8_t, 4> r{};
    random_(r);
    const std::uint64_t step = ReadBigEndian(r) + 1;
    rand_b_ += step;  // rand_b_ < 2^62 and step <= 2^32: no 64-bit overflow
    if (rand_b_ >= kRandBLimit) {
      rand_b_ -= kRandBLimit;
      ++rand_a_;
    }
    now = last_ms_;
    if (rand_a_ >= kRandALimit) {
      // The counter ran out (about 2^41 ids in one millisecond): borrow the next millisecond.
      // At the 48-bit limit (year 10889) there is nothing to borrow; wrap the counter.
      if (last_ms_ < kMaxMillis) {
        now = last_ms_ + 1;
        reseed = true;
      } else {
        rand_a_ = 0;
      }
    }
  }
  if (reseed) {
    std::array<std::uint8_t, 10> r{};
    random_(r);
    // The top bit of the counter starts at 0 so that increments have room (RFC 9562 6.2,
    // "counter rollover guards").
    rand_a_ = static_cast<std::uint16_t>(((r[0] << 8) | r[1]) & 0x07FF);
    rand_b_ = ReadBigEndian(std::span(r).subspan(2)) & (kRandBLimit - 1);
  }
  last_ms_ = now;

  Bytes b{};
  const auto ms = static_cast<std::uint64_t>(now);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  b[6] = static_cast<std::uint8_t>(0x70 | ((rand_a_ >> 8) & 0x0F));
  b[7] = static_cast<std::uint8_t>(rand_a_ & 0xFF);
  b[8] = static_cast<std::uint8_t>(0x80 | ((rand_b_ >> 56) & 0x3F));
  for (int i = 9; i < 16; ++i) b[i] = static_cast<std::uint8_t>(rand_b_ >> (8 * (15 - i)));
  return Format(b);
}

std::string NewUuidV7() {
  static UuidV7Generator generator;
  return generator.Next();
}

Result<std::string> UuidV5(std::string_view name_space_uuid, std::string_view name) {
  if (!IsUuid(name_space_uuid)) {
    return Status::InvalidInput(
        "namespace is not a canonical UUID (lowercase 8-4-4-4-12 hex digits)");
  }
  const Bytes ns = ParseCanonical(name_space_uuid);
  std::string input(ns.begin(), ns.end());
  input.append(name);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  // Fetch the implementation once: an implicit fetch per call (EVP_sha1()) costs more than
  // the hash. Deliberately never freed.
  static const EVP_MD* const sha1 = [] {
    const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    return md != nullptr ? md : EVP_sha1();
  }();
  if (EVP_Digest(input.data(), input.size(), digest, &digest_len, sha1, nullptr) != 1 ||
      digest_len < 16) {
    return Status::Internal("OpenSSL SHA-1 failed");
  }
  Bytes b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = digest[i];
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x50);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  return Format(b);
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (HexValue(text[i]) < 0) {
      return false;
    }
  }
  return true;
}

}  // namespace memoria
