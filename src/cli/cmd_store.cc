// Store subcommands: init, import, export, show, history, verify, vocab, stats.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "core/model.h"
#include "core/vocabulary.h"
#include "io/interchange.h"
#include "io/reference_data.h"
#include "store/sqlite_store.h"

namespace memoria::cli {
namespace {

Result<std::unique_ptr<store::Store>> OpenStore(const Context& ctx) {
  return store::OpenSqliteStore(ctx.db_path, {});
}

// A one-line progress display on a terminal (stderr), for long imports.
std::function<void(std::uint64_t)> ProgressFor(const std::string& file) {
  if (!StderrIsTerminal()) return {};
  std::error_code ec;
  auto total = std::filesystem::file_size(file, ec);
  return [file, total, ec](std::uint64_t bytes) {
    if (ec || total == 0) {
      std::fprintf(stderr, "\r%s: %.1f MiB", file.c_str(), static_cast<double>(bytes) / (1 << 20));
    } else {
      std::fprintf(stderr, "\r%s: %3.0f%%", file.c_str(),
                   100.0 * static_cast<double>(bytes) / static_cast<double>(total));
    }
    std::fflush(stderr);
  };
}

void AddInit(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "init", "Create a store (or bring one up to date) and load the reference data");
  AddDbOption(*sub, ctx);
  sub->callback([&ctx] {
    io::ImportSummary loaded;
    Result<std::unique_ptr<store::Store>> s = io::InitSqliteStore(ctx.db_path, &loaded);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    std::printf("store %s ready: %lld reference places loaded, %lld already present\n",
                ctx.db_path.c_str(), static_cast<long long>(loaded.created),
                static_cast<long long>(loaded.unchanged));
    ctx.exit_code = 0;
  });
}

void AddImport(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "import", "Import JSON Lines files (or a CSV with --mapping); each file is all-or-nothing");
  AddDbOption(*sub, ctx);
  struct Opts {
    std::vector<std::string> files;
    std::string mapping;
    std::string actor;
    bool update = false;
  };
  auto opts = std::make_shared<Opts>();
  sub->add_option("FILE", opts->files, "JSON Lines files (.jsonl), or CSV files with --mapping")
      ->required();
  sub->add_option("--mapping", opts->mapping,
                  "column-mapping JSON for CSV files (docs/interchange.md#csv)");
  sub->add_option("--actor", opts->actor,
                  "who is importing (recorded in the change log; default $MEMORIA_ACTOR or $USER)");
  sub->add_flag("--update", opts->update,
                "record a new version when an entity's content changed (default: refuse)");
  sub->callback([&ctx, opts] {
    Result<std::unique_ptr<store::Store>> s = OpenStore(ctx);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    io::ImportOptions options;
    options.actor = ActorOrDefault(opts->actor);
    options.allow_update = opts->update;
    for (const std::string& file : opts->files) {
      options.progress = ProgressFor(file);
      Result<io::ImportSummary> r = opts->mapping.empty()
                                        ? io::ImportJsonLinesFile(**s, file, options)
                                        : io::ImportCsv(**s, file, opts->mapping, options);
      if (options.progress) std::fprintf(stderr, "\n");
      if (!r.ok()) {
        ctx.exit_code = ReportError(r.status());
        std::fprintf(stderr, "%s: nothing imported from this file\n", file.c_str());
        return;
      }
      std::printf("%s: %lld lines: %lld created, %lld updated, %lld unchanged\n", file.c_str(),
                  static_cast<long long>(r->lines), static_cast<long long>(r->created),
                  static_cast<long long>(r->updated), static_cast<long long>(r->unchanged));
    }
    ctx.exit_code = 0;
  });
}

void AddExport(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("export", "Write every entity as JSON Lines (canonical JSON)");
  AddDbOption(*sub, ctx);
  auto output = std::make_shared<std::string>();
  sub->add_option("-o,--output", *output, "output file (default: standard output)");
  sub->callback([&ctx, output] {
    Result<std::unique_ptr<store::Store>> s = OpenStore(ctx);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    Result<std::int64_t> n = Status::Ok();
    if (output->empty()) {
      n = io::ExportJsonLines(**s, std::cout);
    } else {
      std::string tmp = *output + ".partial";
      {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
          ctx.exit_code = ReportError(Status::IoError("cannot write").AtFile(*output, 0));
          return;
        }
        n = io::ExportJsonLines(**s, out);
      }
      std::error_code ec;
      if (n.ok()) std::filesystem::rename(tmp, *output, ec);
      if (ec) n = Status::IoError(ec.message()).AtFile(*output, 0);
      if (!n.ok()) std::filesystem::remove(tmp, ec);
    }
    if (!n.ok()) {
      ctx.exit_code = ReportError(n.status());
      return;
    }
    if (!output->empty())
      std::fprintf(stderr, "%lld entities written to %s\n", static_cast<long long>(*n),
                   output->c_str());
    ctx.exit_code = 0;
  });
}

void AddShow(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("show", "Print the current version of an entity");
  AddDbOption(*sub, ctx);
  auto id = std::make_shared<std::string>();
  sub->add_option("ID", *id, "entity id")->required();
  sub->callback([&ctx, id] {
    Result<std::unique_ptr<store::Store>> s = OpenStore(ctx);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    Result<std::optional<store::StoredEntity>> e = (*s)->Get(*id);
    if (!e.ok()) {
      ctx.exit_code = ReportError(e.status());
      return;
    }
    if (!*e) {
      ctx.exit_code = ReportError(Status::NotFound(fmt::format("no live entity with id {}", *id)));
      return;
    }
    nlohmann::json body = nlohmann::json::parse((*e)->body);
    std::printf("%s\n", body.dump(2).c_str());
    std::fprintf(stderr, "%s %s, version %lld\n", (*e)->type.c_str(), id->c_str(),
                 static_cast<long long>((*e)->version));
    ctx.exit_code = 0;
  });
}

void AddHistory(CLI::App& app, Context& ctx) {
  auto* sub =
      app.add_subcommand("history", "Print every logged version of an entity, oldest first");
  AddDbOption(*sub, ctx);
  auto id = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  sub->add_option("ID", *id, "entity id")->required();
  sub->add_flag("--json", *as_json, "one JSON object per log entry");
  sub->callback([&ctx, id, as_json] {
    Result<std::unique_ptr<store::Store>> s = OpenStore(ctx);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    Result<std::vector<store::LogEntry>> h = (*s)->History(*id);
    if (!h.ok()) {
      ctx.exit_code = ReportError(h.status());
      return;
    }
    if (h->empty()) {
      ctx.exit_code = ReportError(Status::NotFound(fmt::format("no log entries for id {}", *id)));
      return;
    }
    for (const auto& e : *h) {
      if (*as_json) {
        nlohmann::json j = {
            {"seq", e.seq},
            {"at", e.at},
            {"actor", e.actor},
            {"entity", e.entity},
            {"id", e.id},
            {"version", e.version},
            {"op", e.op},
            {"body", e.body.empty() ? nlohmann::json() : nlohmann::json::parse(e.body)},
            {"prev_hash", e.prev_hash},
            {"hash", e.hash}};
        std::printf("%s\n", j.dump().c_str());
      } else {
        std::printf("#%lld  %s  %s  v%lld %s  %s\n  %s\n", static_cast<long long>(e.seq),
                    e.at.c_str(), e.actor.c_str(), static_cast<long long>(e.version), e.op.c_str(),
                    e.hash.substr(0, 16).c_str(), e.body.empty() ? "(deleted)" : e.body.c_str());
      }
    }
    ctx.exit_code = 0;
  });
}

void AddVerify(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand(
      "verify",
      "Replay the change log: check every hash and that the current state equals the replay");
  AddDbOption(*sub, ctx);
  sub->callback([&ctx] {
    Result<std::unique_ptr<store::Store>> s = OpenStore(ctx);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    Result<store::VerifyReport> r = (*s)->Verify();
    if (!r.ok()) {
      std::fprintf(stderr, "verify FAILED: %s\n", r.status().ToString().c_str());
      ctx.exit_code = 1;
      return;
    }
    Result<store::StoreStats> st = (*s)->Stats();
    std::printf("verify OK: %lld log entries, %lld entities; head %s\n",
                static_cast<long long>(r->entries), static_cast<long long>(r->entities),
                st.ok() ? st->head_hash.c_str() : "?");
    ctx.exit_code = 0;
  });
}

void AddStats(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("stats", "Summarise what the store holds");
  AddDbOption(*sub, ctx);
  sub->callback([&ctx] {
    Result<std::unique_ptr<store::Store>> s = OpenStore(ctx);
    if (!s.ok()) {
      ctx.exit_code = ReportError(s.status());
      return;
    }
    Result<store::StoreStats> st = (*s)->Stats();
    if (!st.ok()) {
      ctx.exit_code = ReportError(st.status());
      return;
    }
    std::printf("store: %s\nlog entries: %lld (head %s)\n", ctx.db_path.c_str(),
                static_cast<long long>(st->log_entries),
                st->head_hash.empty() ? "-" : st->head_hash.substr(0, 16).c_str());
    std::printf("entities:\n");
    for (const auto& [type, n] : st->entities)
      std::printf("  %-12s %10lld\n", type.c_str(), static_cast<long long>(n));
    if (st->deleted > 0)
      std::printf("  (deleted)    %10lld\n", static_cast<long long>(st->deleted));
    if (!st->acts_by_type.empty()) {
      const Vocabulary* v = Vocabularies::Default().List("violation_types");
      std::printf("acts by violation type:\n");
      for (const auto& [code, n] : st->acts_by_type) {
        const Term* t = v ? v->Find(code) : nullptr;
        std::printf("  %-28s %8lld  %s\n", code.c_str(), static_cast<long long>(n),
                    t ? t->label_en.c_str() : "");
      }
    }
    ctx.exit_code = 0;
  });
}

void AddVocab(CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("vocab", "List the controlled vocabularies, or the codes of one");
  auto list = std::make_shared<std::string>();
  sub->add_option("LIST", *list, "a list name, e.g. violation_types");
  sub->callback([&ctx, list] {
    const Vocabularies& v = Vocabularies::Default();
    if (list->empty()) {
      for (const std::string& name : v.ListNames()) {
        std::printf("%-24s %4zu codes  version %s\n", name.c_str(), v.List(name)->terms().size(),
                    v.List(name)->version().substr(0, 12).c_str());
      }
      ctx.exit_code = 0;
      return;
    }
    const Vocabulary* l = v.List(*list);
    if (!l) {
      std::string names;
      for (const std::string& n : v.ListNames()) names += (names.empty() ? "" : ", ") + n;
      ctx.exit_code =
          ReportError(Status::NotFound(fmt::format("no vocabulary '{}'; lists: {}", *list, names)));
      return;
    }
    for (const Term& t : l->terms()) {
      std::string rs;
      for (const auto& r : t.rome_statute) rs += (rs.empty() ? "" : ";") + r;
      std::printf("%-28s %-40s %s%s%s\n", t.code.c_str(), t.label_en.c_str(), t.label_ko.c_str(),
                  rs.empty() ? "" : "  [Rome Statute ", rs.empty() ? "" : (rs + "]").c_str());
    }
    ctx.exit_code = 0;
  });
}

void AddSchema(CLI::App& app, Context& ctx) {
  auto* sub =
      app.add_subcommand("schema", "Print the JSON Schema (2020-12) of one interchange line");
  sub->callback([&ctx] {
    std::printf("%s\n", InterchangeJsonSchema().dump(2).c_str());
    ctx.exit_code = 0;
  });
}

MEMORIA_COMMAND(10, AddInit);
MEMORIA_COMMAND(11, AddImport);
MEMORIA_COMMAND(12, AddExport);
MEMORIA_COMMAND(13, AddShow);
MEMORIA_COMMAND(14, AddHistory);
MEMORIA_COMMAND(15, AddVerify);
MEMORIA_COMMAND(16, AddStats);
MEMORIA_COMMAND(17, AddVocab);
MEMORIA_COMMAND(18, AddSchema);

}  // namespace
}  // namespace memoria::cli
