// memoria: the command-line entry point. Subcommands register themselves (see command.h).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "cli/command.h"

namespace memoria::cli {
namespace {

std::vector<CommandSpec>& Registry() {
  static std::vector<CommandSpec> commands;
  return commands;
}

}  // namespace

bool RegisterCommand(CommandSpec spec) {
  Registry().push_back(std::move(spec));
  return true;
}

void AddDbOption(CLI::App& sub, Context& ctx) {
  // Each subcommand gets its own variable: CLI11 applies the MEMORIA_DB fallback of subcommands
  // that were not used too, so one shared variable let it overwrite an explicit --db.
  auto path = std::make_shared<std::string>("./memoria.db");
  sub.add_option("--db", *path, "Store file (SQLite)")
      ->envname("MEMORIA_DB")
      ->default_str("./memoria.db");
  sub.parse_complete_callback([&ctx, path] { ctx.db_path = *path; });
}

int ReportError(const Status& status) {
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return status.ExitCode();
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }

std::string ActorOrDefault(const std::string& given) {
  if (!given.empty()) return given;
  for (const char* var : {"MEMORIA_ACTOR", "USER"}) {
    const char* v = std::getenv(var);
    if (v && *v) return v;
  }
  return "unknown";
}

}  // namespace memoria::cli

int main(int argc, char** argv) {
  using memoria::cli::Context;
  using memoria::cli::Registry;
  CLI::App app{
      "memoria: document grave human-rights violations, link victims across lists, estimate "
      "the undocumented"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "memoria 0.1.0");
  Context ctx;
  ctx.db_path = "./memoria.db";
  auto& commands = Registry();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return a.order < b.order; });
  for (const auto& c : commands) c.add(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;  // --help and --version succeed; usage errors are bad input
  }
  return ctx.exit_code;
}
