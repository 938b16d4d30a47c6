#include "io/reference_data.h"

#include <sstream>

#include "core/embedded_data.h"
#include "core/vocabulary.h"
#include "store/sqlite_store.h"

namespace memoria::io {

Result<ImportSummary> LoadReferenceData(store::Store& store) {
  std::optional<std::string_view> places = EmbeddedFile("gazetteer/places.jsonl");
  if (!places) return Status::Internal("the gazetteer is missing from this build");
  std::istringstream in{std::string(*places)};
  ImportOptions options;
  options.actor = "memoria init";
  MEMORIA_ASSIGN_OR_RETURN(ImportSummary summary,
                           ImportJsonLines(store, in, "data/gazetteer/places.jsonl", options));
  nlohmann::json versions = nlohmann::json::object();
  const Vocabularies& vocab = Vocabularies::Default();
  for (const std::string& name : vocab.ListNames()) versions[name] = vocab.List(name)->version();
  MEMORIA_RETURN_IF_ERROR(store.SetMeta("vocabularies", versions.dump()));
  return summary;
}

Result<std::unique_ptr<store::Store>> InitSqliteStore(const std::string& path,
                                                      ImportSummary* loaded) {
  MEMORIA_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                           store::OpenSqliteStore(path, store::SqliteOptions{.create = true}));
  MEMORIA_ASSIGN_OR_RETURN(ImportSummary summary, LoadReferenceData(*store));
  if (loaded) *loaded = summary;
  return store;
}

}  // namespace memoria::io
