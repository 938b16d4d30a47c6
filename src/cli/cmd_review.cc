// `memoria review`: the linkage review queue of the store's persons, and reviewers' decisions,
// kept in the store's change log as link_decision entities (io/store_linkage.h).
//   review list       re-run the (deterministic) linkage and show the undecided queue
//   review decide     record one decision
//   review import     record decisions from a CSV, all or nothing
//   review decisions  list the stored decisions
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/csv.h"
#include "io/store_linkage.h"
#include "linkage/linker.h"
#include "linkage/settings.h"
#include "store/sqlite_store.h"

namespace memoria::cli {
namespace {

using namespace memoria::linkage;
using namespace memoria::io;

Result<std::unique_ptr<store::Store>> Open(const Context& ctx) {
  return store::OpenSqliteStore(ctx.db_path, {});
}

// ---- list ----

struct ListArgs {
  std::string settings;
  std::string role = "victim";
  std::string format = "table";
  std::size_t limit = 0;
  int threads = 0;
};

// One person of a pair, from the columns the settings loaded (those absent show as "-").
std::string PersonLine(const RecordTable& t, std::uint32_t row) {
  auto col = [&](const char* name) -> std::string {
    int c = t.Column(name);
    if (c < 0 || t.columns[c][row].empty()) return "-";
    return t.columns[c][row];
  };
  std::string name = col("full_name");
  if (name == "-") {
    std::string family = col("family_name"), given = col("given_name");
    name = family == "-" && given == "-" ? "-" : family + " " + given;
  }
  return fmt::format("{}  source {}  name {}  sex {}  born {} in {}  event {} at {}", t.ids[row],
                     t.source_names[t.source[row]].empty() ? "-" : t.source_names[t.source[row]],
                     name, col("sex"), col("birth_date"), col("birth_place"), col("event_date"),
                     col("event_place"));
}

int RunList(const ListArgs& args, const Context& ctx) {
  auto loaded = LoadSettings(args.settings);  // "" = the default profile
  if (!loaded.ok()) return ReportError(loaded.status());
  const Settings settings = std::move(loaded).value();
  auto store = Open(ctx);
  if (!store.ok()) return ReportError(store.status());
  StoreRecordsOptions records;
  records.role = args.role;
  LinkOptions options;
  options.threads = args.threads;  // 0 = every core
  if (StderrIsTerminal()) {
    options.progress = [](std::string_view stage) {
      std::fprintf(stderr, "review: %.*s...\n", static_cast<int>(stage.size()), stage.data());
    };
    records.progress = options.progress;
  }
  auto persons = LoadStorePersons(**store, settings, records);
  if (!persons.ok()) return ReportError(persons.status());
  options.decisions = std::move(persons->decisions);
  const RecordTable& table = persons->table;
  auto linked = RunLinkage(settings, table, options);
  if (!linked.ok()) return ReportError(linked.status());
  const LinkRun& run = *linked;
  const double low = settings.thresholds.review_low, high = settings.thresholds.review_high;

  if (args.format == "csv") {
    WriteReviewQueue(std::cout, table, run, low, high);
    return 0;
  }
  std::vector<std::size_t> queue = ReviewQueue(run, low, high);
  std::printf(
      "review queue: %zu undecided pair(s) with %.3g <= p < %.3g (%zu decision(s) applied)\n",
      queue.size(), low, high, options.decisions.size());
  const Comparator& cmp = *run.comparator;
  const std::size_t k = cmp.num_comparisons();
  std::size_t shown = 0;
  for (std::size_t i : queue) {
    if (args.limit > 0 && shown == args.limit) {
      std::printf("... %zu more (--limit)\n", queue.size() - shown);
      break;
    }
    ++shown;
    const ScoredPair& p = run.pairs[i];
    std::printf("\n#%zu  p = %.4f  match weight %+.2f\n", shown, p.probability, p.weight);
    std::printf("  a  %s\n", PersonLine(table, p.a).c_str());
    std::printf("  b  %s\n", PersonLine(table, p.b).c_str());
    for (std::size_t c = 0; c < k; ++c) {
      std::printf("     %-12s %+7.2f  %s\n", cmp.name(c).c_str(), run.pair_weights[i * k + c],
                  cmp.level_label(c, run.pair_levels[i * k + c]).c_str());
    }
  }
  if (!queue.empty()) {
    std::printf("\ndecide with: memoria review decide A B accept|reject [--reason TEXT]\n");
  }
  return 0;
}

// ---- decide / import ----

void PrintSummary(const DecisionWriteSummary& s) {
  std::printf("decisions: %lld recorded, %lld changed, %lld unchanged\n",
              static_cast<long long>(s.created), static_cast<long long>(s.updated),
              static_cast<long long>(s.unchanged));
}

int RunDecide(const LinkDecision& d, const std::string& actor, const Context& ctx) {
  auto store = Open(ctx);
  if (!store.ok()) return ReportError(store.status());
  auto w = RecordLinkDecisions(**store, {d}, ActorOrDefault(actor));
  if (!w.ok()) return ReportError(w.status());
  PrintSummary(*w);
  return 0;
}

int RunImport(const std::string& file, const std::string& actor, const Context& ctx) {
  auto decisions = ReadLinkDecisionsCsv(file);
  if (!decisions.ok()) return ReportError(decisions.status());
  auto store = Open(ctx);
  if (!store.ok()) return ReportError(store.status());
  auto w = RecordLinkDecisions(**store, *decisions, ActorOrDefault(actor), file);
  if (!w.ok()) {
    int code = ReportError(w.status());
    std::fprintf(stderr, "%s: nothing recorded from this file\n", file.c_str());
    return code;
  }
  PrintSummary(*w);
  return 0;
}

// ---- decisions ----

int RunDecisions(const std::string& format, const Context& ctx) {
  auto store = Open(ctx);
  if (!store.ok()) return ReportError(store.status());
  auto stored = StoredLinkDecisions(**store);
  if (!stored.ok()) return ReportError(stored.status());
  if (format == "csv") {
    WriteCsvRow(std::cout,
                {"id", "decision", "person_a", "person_b", "reason", "version", "actor", "at"});
  }
  for (const LinkDecision& d : *stored) {
    // Who decided last, and when: the decision's latest change-log entry.
    auto history = (*store)->History(d.id);
    if (!history.ok()) return ReportError(history.status());
    std::string actor = history->empty() ? "" : history->back().actor;
    std::string at = history->empty() ? "" : history->back().at;
    if (format == "csv") {
      WriteCsvRow(std::cout, {d.id, d.decision, d.person_a, d.person_b, d.reason,
                              std::to_string(d.version), actor, at});
    } else {
      std::printf("%-6s  %s  %s  v%lld by %s at %s  (id %s)%s%s\n", d.decision.c_str(),
                  d.person_a.c_str(), d.person_b.c_str(), static_cast<long long>(d.version),
                  actor.c_str(), at.c_str(), d.id.c_str(),
                  d.reason.empty() ? "" : "  reason: ", d.reason.c_str());
    }
  }
  if (format != "csv") std::printf("%zu decision(s)\n", stored->size());
  return 0;
}

MEMORIA_COMMAND(310, [](CLI::App& app, Context& ctx) {
  auto* review = app.add_subcommand(
      "review", "The linkage review queue of the store's persons, and reviewers' decisions");
  review->require_subcommand(1);

  auto list_args = std::make_shared<ListArgs>();
  auto* list = review->add_subcommand(
      "list", "Re-run the linkage of the store's persons and show the undecided review queue");
  AddDbOption(*list, ctx);
  list->add_option("--settings", list_args->settings,
                   "Linkage settings JSON (default: memoria's person-report profile)");
  list->add_option("--role", list_args->role, "Link the persons with this role (\"\" for all)")
      ->capture_default_str();
  list->add_option("--format", list_args->format, "table, or csv (the review queue CSV)")
      ->check(CLI::IsMember({"table", "csv"}))
      ->capture_default_str();
  list->add_option("--limit", list_args->limit, "Show at most N pairs (table; 0: all)");
  list->add_option("--threads", list_args->threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 256));
  list->callback([list_args, &ctx] { ctx.exit_code = RunList(*list_args, ctx); });

  struct DecideArgs {
    LinkDecision decision;
    std::string actor;
  };
  auto decide_args = std::make_shared<DecideArgs>();
  auto* decide = review->add_subcommand(
      "decide", "Record that persons A and B are the same human being (accept) or not (reject)");
  AddDbOption(*decide, ctx);
  decide->add_option("A", decide_args->decision.person_a, "a person id")->required();
  decide->add_option("B", decide_args->decision.person_b, "another person id")->required();
  decide->add_option("DECISION", decide_args->decision.decision, "accept or reject")->required();
  decide->add_option("--reason", decide_args->decision.reason, "why (kept with the decision)");
  decide->add_option("--actor", decide_args->actor,
                     "who decides (recorded in the change log; default $MEMORIA_ACTOR or $USER)");
  decide->callback([decide_args, &ctx] {
    ctx.exit_code = RunDecide(decide_args->decision, decide_args->actor, ctx);
  });

  struct ImportArgs {
    std::string file;
    std::string actor;
  };
  auto import_args = std::make_shared<ImportArgs>();
  auto* import = review->add_subcommand(
      "import",
      "Record the decisions of a CSV (decision, person_a/record_a, person_b/record_b[, reason]); "
      "all or nothing");
  AddDbOption(*import, ctx);
  import->add_option("FILE", import_args->file, "decisions CSV (an edited review queue will do)")
      ->required();
  import->add_option("--actor", import_args->actor,
                     "who decides (recorded in the change log; default $MEMORIA_ACTOR or $USER)");
  import->callback([import_args, &ctx] {
    ctx.exit_code = RunImport(import_args->file, import_args->actor, ctx);
});

auto format = std::make_shared<std::string>("table");
auto* decisions = review->add_subcommand("decisions", "List the stored decisions");
AddDbOption(*decisions, ctx);
decisions->add_option("--format", *format, "table or csv")
    ->check(CLI::IsMember({"table", "csv"}))
    ->capture_default_str();
decisions->callback([format, &ctx] { ctx.exit_code = RunDecisions(*format, ctx); });
});

}  // namespace
}  // namespace memoria::cli
