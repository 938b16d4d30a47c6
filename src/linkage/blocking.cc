#include "linkage/blocking.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <unordered_map>

#include "core/random.h"
#include "linkage/comparison.h"
#include "linkage/korean.h"
#include "linkage/string_metrics.h"

namespace memoria::linkage {
namespace {

// The values one key part takes for one record (empty = missing).
std::vector<std::string> PartValues(const KeyPart& p,
                                    const std::vector<const std::vector<std::string>*>& cols,
                                    std::size_t r) {
  std::vector<std::string> out;
  switch (p.kind) {
    case KeyPart::Kind::kExact: {
      std::string v = NormalizeText((*cols[0])[r], p.normalize);
      if (!v.empty()) out.push_back(std::move(v));
      break;
    }
    case KeyPart::Kind::kFirst:
    case KeyPart::Kind::kLast: {
      std::string v = NormalizeText((*cols[0])[r], p.normalize);
      if (v.empty()) break;
      std::u32string cp = DecodeUtf8(v);
      std::size_t n = std::min<std::size_t>(cp.size(), static_cast<std::size_t>(p.n));
      std::u32string part =
          p.kind == KeyPart::Kind::kFirst ? cp.substr(0, n) : cp.substr(cp.size() - n);
      // Re-encode as UTF-8.
      std::string s;
      for (char32_t c : part) {
        if (c < 0x80) {
          s.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
          s.push_back(static_cast<char>(0xC0 | (c >> 6)));
          s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
          s.push_back(static_cast<char>(0xE0 | (c >> 12)));
          s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
          s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
          s.push_back(static_cast<char>(0xF0 | (c >> 18)));
          s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
          s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
          s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
      }
      out.push_back(std::move(s));
      break;
    }
    case KeyPart::Kind::kSoundex: {
      std::string v = Soundex(NormalizeText((*cols[0])[r], p.normalize));
      if (!v.empty()) out.push_back(std::move(v));
      break;
    }
    case KeyPart::Kind::kYear: {
      DayRange d = p.date_format == "ymd" ? ParseYmd((*cols[0])[r], (*cols[1])[r], (*cols[2])[r])
                                          : ParseDayRange((*cols[0])[r], p.date_format);
      if (!d.valid) break;
      int y0 = YearOfDay(d.earliest), y1 = YearOfDay(d.latest);
      // A date known to within three years belongs to each of its years' blocks.
      if (y1 - y0 > 2) break;
      for (int y = y0; y <= y1; ++y) out.push_back(std::to_string(y));
      break;
    }
    case KeyPart::Kind::kSurnameKey:
    case KeyPart::Kind::kGivenPhonetic: {
      NameParts parts = ExtractKoreanName((*cols[0])[r], cols.size() == 3 ? (*cols[1])[r] : "",
                                          cols.size() == 3 ? (*cols[2])[r] : "");
      if (p.kind == KeyPart::Kind::kSurnameKey) {
        if (parts.family.empty()) break;
        out = SurnameCandidates(parts.family);
        if (out.empty()) {
          std::string k = PhoneticKey(parts.family);
          if (!k.empty()) out.push_back("?" + k);
        }
      } else {
        std::string k = parts.given.empty() ? std::string() : PhoneticKey(parts.given, true);
        if (!k.empty()) out.push_back(std::move(k));
      }
      break;
    }
  }
  return out;
}

// A key part's values per record, as hashes: record r's are hashes[offset[r], offset[r + 1]).
struct PartHashes {
  std::vector<std::uint32_t> offset;
  std::vector<std::uint64_t> hashes;
};

PartHashes ComputePartHashes(const KeyPart& part,
                             const std::vector<const std::vector<std::string>*>& cols,
                             std::size_t n) {
  PartHashes out;
  out.offset.reserve(n + 1);
  out.offset.push_back(0);
  // Distinct inputs (the part's column values) -> their value hashes.
  std::unordered_map<std::string, std::vector<std::uint64_t>> memo;
  std::string raw;
  for (std::size_t r = 0; r < n; ++r) {
    raw.clear();
    for (const auto* col : cols) raw.append((*col)[r]).push_back('\x1f');
    auto found = memo.find(raw);
    if (found == memo.end()) {
      std::vector<std::uint64_t> h;
      for (const auto& v : PartValues(part, cols, r)) h.push_back(std::hash<std::string>{}(v));
      found = memo.emplace(raw, std::move(h)).first;
    }
    out.hashes.insert(out.hashes.end(), found->second.begin(), found->second.end());
    out.offset.push_back(static_cast<std::uint32_t>(out.hashes.size()));
  }
  return out;
}

// A blocking key: the parts' value hashes combined in order (splitmix64 finaliser).
constexpr std::uint64_t kKeySeed = 0x6a09e667f3bcc908ull;
std::uint64_t CombineKey(std::uint64_t key, std::uint64_t part) {
  return Mix64(key ^ (part + kSplitMix64Gamma + (key << 6) + (key >> 2)));
}

struct Rule {
  std::string name;
  std::int64_t max_block_size = 0;
  // (key, record) sorted by key then record.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
  // Block boundaries in entries: block i is [starts[i], starts[i+1]).
  std::vector<std::uint32_t> starts;
  // Per record, its sorted distinct keys.
  std::vector<std::uint32_t> key_off;
  std::vector<std::uint64_t> keys;
  bool multi_valued = false;  // some record has more than one key
  // Keys of the blocks skipped for max_block_size, sorted: sharing one of them is not sharing
  // a compared block.
  std::vector<std::uint64_t> skipped;
};

}  // namespace

std::string Soundex(std::string_view s) {
  static const char kCodes[] = "01230120022455012623010202";  // a..z
  std::string out;
  char last = 0;
  for (char ch : s) {
    char c = ch;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c < 'a' || c > 'z') continue;
    char code = kCodes[c - 'a'];
    if (out.empty()) {
      out.push_back(static_cast<char>(c - 'a' + 'A'));
      last = code;
      continue;
    }
    if (c == 'h' || c == 'w') continue;  // h and w do not separate equal codes
    if (code == '0') {
      last = 0;  // vowels separate equal codes
      continue;
    }
    if (code != last) out.push_back(code);
    last = code;
    if (out.size() == 4) break;
  }
  if (out.empty()) return out;
  while (out.size() < 4) out.push_back('0');
  return out;
}

struct Blocker::Impl {
  LinkType link_type = LinkType::kDedupe;
  const RecordTable* table = nullptr;
  std::vector<Rule> rules;
  std::vector<std::string> warnings;

  static bool Shares(const Rule& r, std::uint32_t a, std::uint32_t b, std::uint64_t* first) {
    const std::uint64_t* pa = r.keys.data() + r.key_off[a];
    const std::uint64_t* ea = r.keys.data() + r.key_off[a + 1];
    const std::uint64_t* pb = r.keys.data() + r.key_off[b];
    const std::uint64_t* eb = r.keys.data() + r.key_off[b + 1];
    while (pa != ea && pb != eb) {
      if (*pa == *pb) {
        if (r.skipped.empty() || !std::binary_search(r.skipped.begin(), r.skipped.end(), *pa)) {
          if (first) *first = *pa;
          return true;
        }
        ++pa;
        ++pb;
        continue;
      }
      if (*pa < *pb) {
        ++pa;
      } else {
        ++pb;
      }
    }
    return false;
  }
};

Blocker::Blocker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Blocker::~Blocker() = default;

Result<std::unique_ptr<Blocker>> Blocker::Build(const Settings& settings,
                                                const RecordTable& table) {
  auto impl = std::make_unique<Impl>();
  impl->link_type = settings.link_type;
  impl->table = &table;
  const std::size_t n = table.size();
  std::unordered_map<std::string, PartHashes> parts_done;  // by key part signature
  for (const auto& spec : settings.blocking_rules) {
    Rule rule;
    rule.name = spec.name;
    rule.max_block_size = spec.max_block_size;
    std::vector<std::vector<const std::vector<std::string>*>> part_cols;
    for (const auto& part : spec.parts) {
      std::vector<const std::vector<std::string>*> cols;
      for (const auto& c : part.columns) {
        int idx = table.Column(c);
        if (idx < 0) {
          Status s = Status::InvalidInput("column '" + c + "' is not in the input");
          s.At("settings", 0, "blocking_rules." + spec.name);
          return s;
        }
        cols.push_back(&table.columns[idx]);
      }
      part_cols.push_back(std::move(cols));
    }
    // Values repeat (names, dates, places): each key part's values are computed once per
    // distinct input and kept per record as hashes, shared between rules with the same part.
    std::vector<const PartHashes*> part_hashes;
    for (std::size_t p = 0; p < spec.parts.size(); ++p) {
      const KeyPart& part = spec.parts[p];
      std::string sig = fmt::format("{}|{}|{}|{}", static_cast<int>(part.kind), part.n,
                                    static_cast<int>(part.normalize), part.date_format);
      for (const auto& c : part.columns) sig += "|" + c;
      auto [it, ins] = parts_done.try_emplace(sig);
      if (ins) it->second = ComputePartHashes(part, part_cols[p], n);
      part_hashes.push_back(&it->second);
    }
    rule.key_off.reserve(n + 1);
    rule.key_off.push_back(0);
    std::vector<std::uint64_t> combos, next;
    for (std::size_t r = 0; r < n; ++r) {
      combos.assign(1, kKeySeed);
      for (std::size_t p = 0; p < spec.parts.size() && !combos.empty(); ++p) {
        const PartHashes& ph = *part_hashes[p];
        next.clear();
        for (std::uint64_t c : combos) {
          for (std::uint32_t i = ph.offset[r]; i < ph.offset[r + 1]; ++i) {
            next.push_back(CombineKey(c, ph.hashes[i]));
          }
        }
        combos.swap(next);
      }
      std::size_t begin = rule.keys.size();
      rule.keys.insert(rule.keys.end(), combos.begin(), combos.end());
      std::sort(rule.keys.begin() + static_cast<std::ptrdiff_t>(begin), rule.keys.end());
      rule.keys.erase(
          std::unique(rule.keys.begin() + static_cast<std::ptrdiff_t>(begin), rule.keys.end()),
          rule.keys.end());
      if (rule.keys.size() - begin > 1) rule.multi_valued = true;
      for (std::size_t i = begin; i < rule.keys.size(); ++i) {
        rule.entries.emplace_back(rule.keys[i], static_cast<std::uint32_t>(r));
      }
      rule.key_off.push_back(static_cast<std::uint32_t>(rule.keys.size()));
    }
    std::sort(rule.entries.begin(), rule.entries.end());
    std::size_t skipped = 0, skipped_records = 0, largest = 0;
    for (std::size_t i = 0; i < rule.entries.size();) {
      std::size_t j = i;
      while (j < rule.entries.size() && rule.entries[j].first == rule.entries[i].first) ++j;
      std::size_t size = j - i;
      if (size >= 2) {
        if (rule.max_block_size > 0 && size > static_cast<std::size_t>(rule.max_block_size)) {
          ++skipped;
          rule.skipped.push_back(rule.entries[i].first);  // entries are sorted: so is this
          skipped_records += size;
          largest = std::max(largest, size);
        } else {
          rule.starts.push_back(static_cast<std::uint32_t>(i));
        }
      }
      i = j;
    }
    // starts holds block beginnings; the end of each block is found by key comparison.
    if (skipped > 0) {
      impl->warnings.push_back(fmt::format(
          "blocking rule '{}': skipped {} block(s) larger than max_block_size {} ({} records, "
          "largest {})",
          rule.name, skipped, rule.max_block_size, skipped_records, largest));
    }
    impl->rules.push_back(std::move(rule));
  }
  return std::unique_ptr<Blocker>(new Blocker(std::move(impl)));
}

std::size_t Blocker::num_rules() const { return impl_->rules.size(); }
const std::string& Blocker::rule_name(std::size_t r) const { return impl_->rules[r].name; }
const std::vector<std::string>& Blocker::warnings() const { return impl_->warnings; }

bool Blocker::Agrees(std::size_t rule, std::uint32_t a, std::uint32_t b) const {
  return Impl::Shares(impl_->rules[rule], a, b, nullptr);
}

void Blocker::ForEachPair(std::size_t rule_index, bool first_rule_only, int threads,
                          const std::function<void(int, std::uint32_t, std::uint32_t)>& fn) const {
  const Rule& rule = impl_->rules[rule_index];
  const auto& entries = rule.entries;
  const auto& source = impl_->table->source;
  const bool link_only = impl_->link_type == LinkType::kLink;
  const bool multi_valued = rule.multi_valued;
  auto run_block = [&](int thread, std::size_t block) {
    std::size_t begin = rule.starts[block];
    std::uint64_t key = entries[begin].first;
    std::size_t end = begin;
    while (end < entries.size() && entries[end].first == key) ++end;
    for (std::size_t i = begin; i < end; ++i) {
      std::uint32_t a = entries[i].second;
      for (std::size_t j = i + 1; j < end; ++j) {
        std::uint32_t b = entries[j].second;
        if (link_only && source[a] == source[b]) continue;
        if (multi_valued) {
          // Produce the pair only in the block of the smallest key the two share.
          std::uint64_t first = 0;
          Impl::Shares(rule, a, b, &first);
          if (first != key) continue;
        }
        if (first_rule_only) {
          bool earlier = false;
          for (std::size_t q = 0; q < rule_index && !earlier; ++q) {
            earlier = Impl::Shares(impl_->rules[q], a, b, nullptr);
          }
          if (earlier) continue;
        }
        fn(thread, std::min(a, b), std::max(a, b));
      }
    }
  };
  const std::size_t blocks = rule.starts.size();
  if (threads <= 1 || blocks < 64) {
    for (std::size_t b = 0; b < blocks; ++b) run_block(0, b);
    return;
  }
  std::atomic<std::size_t> next{0};
  constexpr std::size_t kChunk = 16;
  auto worker = [&](int t) {
    for (;;) {
      std::size_t start = next.fetch_add(kChunk);
      if (start >= blocks) return;
      for (std::size_t b = start; b < std::min(blocks, start + kChunk); ++b) run_block(t, b);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
  worker(0);
  for (auto& th : pool) th.join();
}

}  // namespace memoria::linkage
