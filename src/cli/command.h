// The `memoria` command: thin subcommands over the library. Each subcommand lives in its own
// src/cli/cmd_<name>.cc and registers itself with MEMORIA_COMMAND; main.cc parses and runs.
//
// Conventions every subcommand follows:
//   exit 0 on success, 1 on failure, 2 on bad input or usage (Status::ExitCode());
//   errors go to stderr as `file:line: field: message` (Status::ToString());
//   results go to stdout; progress goes to stderr, and only when stderr is a terminal.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "core/status.h"

namespace memoria::cli {

// State shared by the subcommands of one invocation.
struct Context {
  std::string db_path;  // --db, or $MEMORIA_DB, or ./memoria.db
  int exit_code = 0;
};

// Adds the --db option (with $MEMORIA_DB fallback) to a subcommand that uses the store.
void AddDbOption(CLI::App& sub, Context& ctx);

// Prints `status` on stderr in the house format and returns its exit code.
int ReportError(const Status& status);

// True when stderr is an interactive terminal (progress is shown only then).
bool StderrIsTerminal();

// Who is making a change, as recorded in the change log: `given` (an --actor option), else
// $MEMORIA_ACTOR, else $USER, else "unknown".
std::string ActorOrDefault(const std::string& given);

// A subcommand: `order` sorts them in --help; `add` creates it on the app and sets its callback,
// which must store the exit code in ctx.exit_code.
struct CommandSpec {
  int order;
  std::function<void(CLI::App& app, Context& ctx)> add;
};

// Registers a subcommand at static-initialisation time; used through MEMORIA_COMMAND.
bool RegisterCommand(CommandSpec spec);

}  // namespace memoria::cli

// MEMORIA_COMMAND(order, [](CLI::App& app, Context& ctx) { ... });
#define MEMORIA_COMMAND(order, fn)                                          \
  static const bool MEMORIA_CONCAT(memoria_command_registered_, __LINE__) = \
      ::memoria::cli::RegisterCommand({order, fn})
