// Linkage on the store: the store's persons as a linkage::RecordTable, and reviewers' decisions
// kept in the store's change log as `link_decision` entities (docs/linkage.md, "Linking the
// store").
//
// It lives in io, beside the other bridges between the store and other forms of its content:
// linkage itself never reads a Store (its engine, linkage/linker.h, works on plain tables).
//
// Persons as records. Each live `person` that holds the requested role becomes one record of the
// default profile's columns (linkage::DefaultSettings(), linkage/settings/memoria_default.json):
//   record_id    the person's id
//   source       the `source` of the person's `record` ("" for a person without a record)
//   full_name, family_name, given_name
//                from the person's first name entry (the report's own spelling, as entered
//                first); further spellings are alternatives of the same report and are not
//                used, so that a record has one name as in a CSV report
//   sex          the code;  birth_date  the EDTF text;  birth_place  the place id
//   event_date, event_place
//                date and place id of the person's earliest act as victim (by the first day
//                its date can denote; acts without a date come last; ties by act id)
// Place ids rather than names: the gazetteer is shared by every source in a store, so an id
// names one place unambiguously, and it is what `memoria simulate` writes into reports.csv, so
// the store and the CSV give the same table.
//
// Decisions. A `link_decision` names two persons and says accept (same human being) or reject.
// Its id is LinkDecisionId(person_a, person_b), derived from the unordered pair, so deciding a
// pair again records a new version of the same entity; the change log keeps who decided what,
// when (its actor and timestamp).
//
// Thread-safety: none of these functions may run concurrently on one Store.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "linkage/linker.h"
#include "linkage/records.h"
#include "linkage/settings.h"
#include "store/store.h"

namespace memoria::io {

struct StoreRecordsOptions {
  // Link the persons with this person_roles code. A person counts as a victim also when it is
  // the victim of an act. "" links every person whatever its roles (perpetrators, witnesses and
  // victims can then be merged: use it only on a store of one kind of person).
  std::string role = "victim";
  // Called with a stage name ("records", "acts", "persons") as each pass over the store starts.
  std::function<void(std::string_view stage)> progress;
};

// The persons as the default profile's CSV (header and one row per person, by person id).
// Streams the store in three passes (records, acts, persons), asking it only for the fields above
// (Store::ForEachFields), not for whole bodies. Errors: InvalidInput for a role that is not a
// person_roles code; the store's errors (Corruption for a stored body that is not a JSON object).
Result<std::string> StorePersonsCsv(store::Store& store, const StoreRecordsOptions& options);

// The same rows, loaded for `settings` (which must use the profile's column names) as they are
// read (linkage::RecordTableBuilder, no CSV text): the table LoadRecordsFromStrings makes of
// StorePersonsCsv's text. The input is named "store" in errors; row n is at line n + 1. Errors:
// those of StorePersonsCsv, then of the builder (e.g. a column the settings need that the
// profile lacks, at store:1).
Result<linkage::RecordTable> LoadStoreRecords(store::Store& store,
                                              const linkage::Settings& settings,
                                              const StoreRecordsOptions& options);

// ---- decisions ----

// The deterministic id of the decision about the unordered pair {a, b} (UUIDv5 in memoria's
// namespace of "link_decision <smaller id> <larger id>").
std::string LinkDecisionId(std::string_view person_a, std::string_view person_b);

// One decision to record, or as stored.
struct LinkDecision {
  std::string person_a;
  std::string person_b;
  std::string decision;   // a link_decisions code: "accept" or "reject"
  std::string reason;     // optional free text
  std::int64_t line = 0;  // where it was read from (ReadLinkDecisionsCsv), for errors; 0 if not
  // Filled when read from the store (StoredLinkDecisions):
  std::string id;
  std::int64_t version = 0;
};

// created: pairs decided for the first time; updated: pairs decided again, differently (a new
// version); unchanged: the same decision and reason as stored (nothing written).
using DecisionWriteSummary = store::WriteCounts;

// Validates every decision and writes them in one transaction, as `actor`: all or nothing. The
// pair is stored in id order (person_a < person_b). Errors, with nothing written, located at
// (origin, decision.line, field) so that a file's errors read file:line:field:
//  - InvalidInput: a bad decision code (with the nearest valid codes; field decision), a person
//    paired with itself (person_b), the same pair twice in `decisions` (person_b), an empty or
//    malformed id (person_a / person_b), no decisions at all;
//  - NotFound: an id that is not a live person in the store (person_a / person_b);
//  - the store's errors.
Result<DecisionWriteSummary> RecordLinkDecisions(store::Store& store,
                                                 const std::vector<LinkDecision>& decisions,
                                                 std::string_view actor,
                                                 const std::string& origin = "");

// Reads a decisions CSV for RecordLinkDecisions: a header with a column decision, columns
// person_a and person_b (or record_a and record_b, as in the review queue CSV), and optionally
// reason; other columns are ignored. Rows with an empty decision are skipped, so a review queue
// with some rows filled in can be fed back. Errors: InvalidInput at file:line[:field] (a missing
// column, bad CSV); NotFound if the file cannot be opened.
Result<std::vector<LinkDecision>> ReadLinkDecisionsCsv(const std::string& path);

// Every stored decision, ordered by id.
Result<std::vector<LinkDecision>> StoredLinkDecisions(store::Store& store);

// The stored decisions whose two persons are both records of `table`, as the engine takes them
// (decisions about persons outside the table, e.g. of another role, do not apply to this run).
std::vector<linkage::Decision> DecisionsForTable(const std::vector<LinkDecision>& stored,
                                                 const linkage::RecordTable& table);

// The store's persons as records (LoadStoreRecords) with the stored decisions that apply to
// them (DecisionsForTable): what `memoria link` and `memoria review list` give RunLinkage, which
// is deterministic for a given store and settings, so a review queue listed now is the one a
// later run reproduces.
struct StorePersons {
  linkage::RecordTable table;
  std::vector<linkage::Decision> decisions;
};
Result<StorePersons> LoadStorePersons(store::Store& store, const linkage::Settings& settings,
                                      const StoreRecordsOptions& options);

}  // namespace memoria::io
