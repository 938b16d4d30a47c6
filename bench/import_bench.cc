// Import benchmark (issue 2): memoria's JSON Lines import against a bare SQLite baseline.
//
//   import_bench generate N FILE   write N entities (half persons, half acts) as JSON Lines
//   import_bench import FILE DB    memoria import into a fresh initialised store (validation,
//                                  canonical JSON, hash chain, projections, reference checks)
//   import_bench baseline FILE DB  the same rows inserted into one SQLite table with a prepared
//                                  statement in one transaction; rows are read and split before
//                                  the clock starts, so the baseline times SQLite alone
//
// Each mode prints one JSON line with seconds, records/s and peak RSS (getrusage). Run the modes
// as separate processes (bench/import_bench.sh does) so that peak RSS is each one's own.
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/uuid.h"
#include "io/interchange.h"
#include "io/reference_data.h"

namespace {

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::string Id(const char* kind, long i) {
  return *memoria::UuidV5(memoria::kMemoriaUuidNamespace, fmt::format("bench/{}/{}", kind, i));
}

int Generate(long n, const std::string& path) {
  static const char* kSurnames[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "림"};
  static const char* kLatin[] = {"Kim",  "Lee", "Park", "Choi", "Jung",
                                 "Kang", "Jo",  "Yun",  "Jang", "Rim"};
  static const char* kGiven[] = {"영철", "순희", "명수", "정남", "광호", "은정", "철민", "혜영"};
  static const char* kGivenLatin[] = {"Yeong-cheol", "Sun-hui",   "Myeong-su", "Jeong-nam",
                                      "Gwang-ho",    "Eun-jeong", "Cheol-min", "Hye-yeong"};
  static const char* kActs[] = {"V.DET.POLITICAL_CAMP",   "V.DET.TORTURE",
                                "V.DET.PUBLIC_EXECUTION", "V.MOVE.PUNISH_RETURNEES",
                                "V.DET.DEATH_IN_CUSTODY", "V.ABD.POSTWAR_ROK"};
  static const char* kPlaces[] = {"KP-08", "KP-09", "KP-10", "KP-DET-001", "KP-DET-002", "BC-04"};
  std::ofstream out(path, std::ios::binary);
  out << R"({"type":"source","id":"bench-source","name":"Benchmark list"})" << '\n';
  for (long i = 0; i < n / 2; ++i) {
    int s = static_cast<int>(i % 10), g = static_cast<int>((i / 10) % 8);
    std::string pid = Id("person", i);
    out << fmt::format(
        R"({{"type":"person","id":"{}","names":[{{"full":"{}{}","family":"{}","given":"{}","script":"Hang"}},{{"full":"{} {}","family":"{}","given":"{}","script":"Latn","system":"RR"}}],"sex":"{}","birth":"{}","birthplace":"{}","roles":["victim"]}})",
        pid, kSurnames[s], kGiven[g], kSurnames[s], kGiven[g], kLatin[s], kGivenLatin[g], kLatin[s],
        kGivenLatin[g], g % 2 ? "female" : "male", 1940 + i % 60, kPlaces[i % 3]);
    out << '\n';
    out << fmt::format(
        R"({{"type":"act","id":"{}","victim":"{}","act_type":"{}","date":"{}-{:02}","place":"{}","victim_status":"unknown"}})",
        Id("act", i), pid, kActs[i % 6], 1990 + i % 30, 1 + i % 12, kPlaces[3 + i % 3]);
    out << '\n';
  }
  return out ? 0 : 1;
}

int Import(const std::string& file, const std::string& db) {
  std::remove(db.c_str());
  auto store = memoria::io::InitSqliteStore(db);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  memoria::io::ImportOptions options;
  options.actor = "bench";
  auto r = memoria::io::ImportJsonLinesFile(**store, file, options);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "{\"mode\":\"import\",\"records\":%lld,\"seconds\":%.3f,\"records_per_s\":%.0f,\"peak_rss_"
      "mib\":%.1f}\n",
      static_cast<long long>(r->lines), secs, static_cast<double>(r->lines) / secs, PeakRssMiB());
  return 0;
}

int Baseline(const std::string& file, const std::string& db) {
  std::remove(db.c_str());
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  std::vector<std::string> ids;
  std::vector<std::string> types;
  for (std::string line; std::getline(in, line);) {
    // The id and type are at fixed places in the generated lines; extracting them is not timed.
    auto tpos = line.find("\"type\":\"") + 8;
    types.push_back(line.substr(tpos, line.find('"', tpos) - tpos));
    auto ipos = line.find("\"id\":\"") + 6;
    ids.push_back(line.substr(ipos, line.find('"', ipos) - ipos));
    lines.push_back(std::move(line));
  }
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_exec(
      h,
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
      "CREATE TABLE entity (id TEXT PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL) STRICT;",
      nullptr, nullptr, nullptr);
  auto t0 = std::chrono::steady_clock::now();
  sqlite3_stmt* st = nullptr;
  sqlite3_exec(h, "BEGIN", nullptr, nullptr, nullptr);
  sqlite3_prepare_v2(h, "INSERT INTO entity (id, type, body) VALUES (?1, ?2, ?3)", -1, &st,
                     nullptr);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    sqlite3_bind_text(st, 1, ids[i].data(), static_cast<int>(ids[i].size()), SQLITE_STATIC);
    sqlite3_bind_text(st, 2, types[i].data(), static_cast<int>(types[i].size()), SQLITE_STATIC);
    sqlite3_bind_text(st, 3, lines[i].data(), static_cast<int>(lines[i].size()), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
      std::fprintf(stderr, "baseline insert failed: %s\n", sqlite3_errmsg(h));
      return 1;
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sqlite3_close(h);
  std::printf(
      "{\"mode\":\"baseline\",\"records\":%zu,\"seconds\":%.3f,\"records_per_s\":%.0f,\"peak_rss_"
      "mib\":%.1f}\n",
      lines.size(), secs, static_cast<double>(lines.size()) / secs, PeakRssMiB());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 3 && a[0] == "generate") return Generate(std::stol(a[1]), a[2]);
  if (a.size() == 3 && a[0] == "import") return Import(a[1], a[2]);
  if (a.size() == 3 && a[0] == "baseline") return Baseline(a[1], a[2]);
  std::fprintf(stderr, "usage: import_bench generate N FILE | import FILE DB | baseline FILE DB\n");
  return 2;
}
