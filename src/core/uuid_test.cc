#include "core/uuid.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace memoria {
namespace {

// Hex digit k (0-based, hyphens skipped) of a canonical UUID.
int Nibble(const std::string& id, int k) {
  const int pos = k + (k >= 8) + (k >= 12) + (k >= 16) + (k >= 20);
  const char c = id[pos];
  return c <= '9' ? c - '0' : c - 'a' + 10;
}
int Version(const std::string& id) { return Nibble(id, 12); }
int VariantBits(const std::string& id) { return Nibble(id, 16) >> 2; }  // top two bits
std::int64_t Millis(const std::string& id) {
  std::int64_t ms = 0;
  for (int k = 0; k < 12; ++k) ms = ms * 16 + Nibble(id, k);
  return ms;
}

// A reproducible random source for the generator seam.
UuidV7Generator::RandomSource SeededRandom(std::uint64_t seed) {
  return [rng = std::mt19937_64(seed)](std::span<std::uint8_t> out) mutable {
    for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  };
}

TEST(IsUuid, AcceptsCanonicalForm) {
  EXPECT_TRUE(IsUuid("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(IsUuid(kUuidNamespaceDns));
  EXPECT_TRUE(IsUuid(kMemoriaUuidNamespace));
}

TEST(IsUuid, RejectsNonCanonicalStrings) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("2ED6657D-E927-568B-95E1-2665A8AEA6A2"));    // uppercase
  EXPECT_FALSE(IsUuid("{2ed6657d-e927-568b-95e1-2665a8aea6a2}"));  // braces
  EXPECT_FALSE(IsUuid("2ed6657de927568b95e12665a8aea6a2"));        // no hyphens
  EXPECT_FALSE(IsUuid("2ed6657d-e927-568b-95e1-2665a8aea6a"));     // short
  EXPECT_FALSE(IsUuid("2ed6657d-e927-568b-95e1-2665a8aea6a2 "));   // trailing space
  EXPECT_FALSE(IsUuid("2ed6657de-927-568b-95e1-2665a8aea6a2"));    // hyphen moved
  EXPECT_FALSE(IsUuid("2ed6657d-e927-568b-95e1-2665a8aea6g2"));    // not hex
  EXPECT_FALSE(IsUuid("urn:uuid:2ed6657d-e927-568b-95e1-2665a8aea6a2"));
}

TEST(UuidV5, MatchesPublishedTestVector) {
  // RFC 9562 appendix A.4: namespace DNS, name "www.example.com".
  auto id = UuidV5(kUuidNamespaceDns, "www.example.com");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  // The example in Python's uuid documentation.
  EXPECT_EQ(*UuidV5(kUuidNamespaceDns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(UuidV5, IsDeterministicVersion5AndNameSensitive) {
  const std::string a = *UuidV5(kMemoriaUuidNamespace,
                                "source-a\x1f"
                                "17");
  EXPECT_EQ(a, *UuidV5(kMemoriaUuidNamespace,
                       "source-a\x1f"
                       "17"));
  EXPECT_NE(a, *UuidV5(kMemoriaUuidNamespace,
                       "source-a\x1f"
                       "18"));
  EXPECT_NE(a, *UuidV5(kUuidNamespaceUrl,
                       "source-a\x1f"
                       "17"));
  EXPECT_TRUE(IsUuid(a));
  EXPECT_EQ(Version(a), 5);
  EXPECT_EQ(VariantBits(a), 0b10);
  // UTF-8 names hash their bytes (value computed with Python's uuid.uuid5).
  EXPECT_EQ(*UuidV5(kUuidNamespaceDns, "김영철"), "e7b22a40-a522-5718-a08d-c9977a3e87e8");
  EXPECT_EQ(*UuidV5(kUuidNamespaceDns, ""), "4ebd0208-8328-5d69-8c44-ec50939c0967");
}

TEST(UuidV5, RejectsBadNamespace) {
  for (const char* bad :
       {"", "dns", "6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "6ba7b8109dad11d180b400c04fd430c8"}) {
    auto r = UuidV5(bad, "x");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  }
}

TEST(UuidV7, VersionVariantAndTimestamp) {
  const std::int64_t ms = 1732873200123;  // 2024-11-29T09:40:00.123Z
  UuidV7Generator gen([ms] { return ms; }, SeededRandom(1));
  const std::string id = gen.Next();
  EXPECT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(Version(id), 7);
  EXPECT_EQ(VariantBits(id), 0b10);
  EXPECT_EQ(Millis(id), ms);
  EXPECT_EQ(id.substr(0, 13), "0193774a-a1fb");  // 0x0193774aa1fb == ms
}

TEST(UuidV7, SameMillisecondIdsStrictlyIncrease) {
  // A frozen clock forces every id through the counter path.
  UuidV7Generator gen([] { return std::int64_t{1700000000000}; }, SeededRandom(7));
  std::vector<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.push_back(gen.Next());
  for (std::size_t i = 1; i < ids.size(); ++i) ASSERT_LT(ids[i - 1], ids[i]) << i;
  for (const auto& id : ids) {
    ASSERT_EQ(Version(id), 7);
    ASSERT_EQ(VariantBits(id), 0b10);
    ASSERT_EQ(Millis(id), 1700000000000);
  }
}

TEST(UuidV7, ClockSteppingBackDoesNotBreakOrder) {
  std::vector<std::int64_t> times = {5000, 5000, 4000, 4000, 5001, 3, 6000};
  std::size_t k = 0;
  UuidV7Generator gen([&] { return times[k++]; }, SeededRandom(3));
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < times.size(); ++i) ids.push_back(gen.Next());
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]) << i;
  EXPECT_EQ(Millis(ids[2]), 5000);  // held at the last timestamp
  EXPECT_EQ(Millis(ids[4]), 5001);
  EXPECT_EQ(Millis(ids[5]), 5001);
  EXPECT_EQ(Millis(ids[6]), 6000);
}

TEST(UuidV7, ClampsClockToFortyEightBits) {
  UuidV7Generator low([] { return std::int64_t{-5}; }, SeededRandom(1));
  EXPECT_EQ(Millis(low.Next()), 0);
  UuidV7Generator high([] { return std::int64_t{1} << 50; }, SeededRandom(1));
  EXPECT_EQ(Millis(high.Next()), (std::int64_t{1} << 48) - 1);
}

TEST(UuidV7, SameSeedSameIds) {
  UuidV7Generator a([] { return std::int64_t{99}; }, SeededRandom(11));
  UuidV7Generator b([] { return std::int64_t{99}; }, SeededRandom(11));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(NewUuidV7, UniqueOrderedAndCurrent) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::vector<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.push_back(NewUuidV7());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_GE(Millis(ids.front()), now - 1000);
  EXPECT_LE(Millis(ids.back()), now + 60000);
  EXPECT_EQ(Version(ids.back()), 7);
}

TEST(NewUuidV7, ThreadsGetDistinctIds) {
  std::vector<std::vector<std::string>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread) {
    threads.emplace_back([&out] {
      for (int i = 0; i < 1000; ++i) out.push_back(NewUuidV7());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& out : per_thread) {
    EXPECT_TRUE(std::is_sorted(out.begin(), out.end()));
    all.insert(out.begin(), out.end());
  }
  EXPECT_EQ(all.size(), 4000u);
}

TEST(NewUuidV7, ForkedChildDoesNotReuseParentRandomness) {
  // The default generator buffers CSPRNG output; parent and child must not both use it.
  const std::string before = NewUuidV7();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string id = NewUuidV7();
    const ssize_t written = write(fds[1], id.data(), id.size());
    _exit(written == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  close(fds[1]);
  const std::string parent = NewUuidV7();
  std::string child(36, '\0');
  ASSERT_EQ(read(fds[0], child.data(), child.size()), 36);
  close(fds[0]);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(IsUuid(child)) << child;
  EXPECT_LT(before, child);
  // The last 15 hex digits are random bits (below the variant): they must differ.
  EXPECT_NE(parent.substr(21), child.substr(21)) << parent << " " << child;
}

}  // namespace
}  // namespace memoria
