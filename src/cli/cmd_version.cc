// `memoria version`: what this build is, for bug reports.
#include <cstdio>

#include "cli/command.h"

namespace memoria::cli {
namespace {

MEMORIA_COMMAND(900, [](CLI::App& app, Context& ctx) {
  auto* sub = app.add_subcommand("version", "Print the version of this build");
  sub->callback([&ctx] {
    std::printf("memoria 0.1.0\n");
    ctx.exit_code = 0;
  });
});

}  // namespace
}  // namespace memoria::cli
