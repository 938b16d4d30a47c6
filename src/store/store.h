// The Store: memoria's persistent state behind one interface (DESIGN §4, docs/storage.md).
//
// The change log is the source of truth. Every create, update and delete of an entity appends
// one LogEntry whose hash chains to the previous one; the current state of each entity type is a
// projection written in the same transaction. Nothing is overwritten: every version of every
// entity can be read back from History().
//
// Implementations: SQLite (sqlite_store.h), the embedded default. PostgreSQL will implement the
// same interface; nothing SQLite-specific belongs here.
//
// Thread-safety: a Store is used by one thread at a time.
// Writes happen inside Begin()/Commit(); Rollback() discards everything since Begin().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"
#include "core/status.h"

namespace memoria::store {

// One change, as stored. `body` is the RFC 8785 canonical JSON of the entity after the change
// (empty for a delete). hash = SHA-256(prev_hash bytes || canonical JSON of
// {actor, at, body, entity, id, op, seq, version}), both as 64 lower-case hex digits; the first
// entry's prev_hash is 64 zeros. See docs/storage.md for the exact bytes.
struct LogEntry {
  std::int64_t seq = 0;
  std::string at;  // RFC 3339 UTC with milliseconds
  std::string actor;
  std::string entity;  // entity type
  std::string id;
  std::int64_t version = 0;  // 1 for a create, +1 for each later change
  std::string op;            // "create", "update", "delete"
  std::string body;          // canonical JSON; "" for a delete
  std::string prev_hash;
  std::string hash;
};

// The current version of an entity.
struct StoredEntity {
  std::string type;
  std::string id;
  std::int64_t version = 0;
  std::string body;  // canonical JSON, including "type" and "id"
};

enum class WriteOutcome { kCreated, kUpdated, kUnchanged };

// How many puts of a batch created, updated or left unchanged an entity.
struct WriteCounts {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;

  void Count(WriteOutcome outcome) {
    switch (outcome) {
      case WriteOutcome::kCreated:
        ++created;
        break;
      case WriteOutcome::kUpdated:
        ++updated;
        break;
      case WriteOutcome::kUnchanged:
        ++unchanged;
        break;
    }
  }
};

struct StoreStats {
  std::int64_t log_entries = 0;
  std::string head_hash;                             // hash of the last entry ("" if none)
  std::map<std::string, std::int64_t> entities;      // live entities per type
  std::map<std::string, std::int64_t> acts_by_type;  // live acts per act_type
  std::int64_t deleted = 0;                          // entities whose last entry is a delete
};

struct VerifyReport {
  std::int64_t entries = 0;   // log entries checked
  std::int64_t entities = 0;  // entity rows checked, tombstones included
};

// The clock the store stamps log entries with (a seam for tests).
class Clock {
 public:
  virtual ~Clock() = default;
  // Current UTC time as RFC 3339 with milliseconds, e.g. "2026-11-29T08:00:00.000Z".
  virtual std::string NowUtc() = 0;
};
// The system clock.
Clock& SystemClock();

class Store {
 public:
  virtual ~Store() = default;

  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;  // no-op outside a transaction

  // Writes `entity` (already validated by ValidateEntity) inside a transaction.
  //  - new id: creates it (version 1);
  //  - same id, same type, identical canonical body: kUnchanged, and nothing is written;
  //  - same id, different body: with `allow_update` a new version, else Conflict;
  //  - id in use by another type: Conflict; a record whose (source, source_record_id) is taken by
  //    another id: Conflict.
  // References are not checked here (see MissingReference).
  virtual Result<WriteOutcome> Put(const Entity& entity, std::string_view actor,
                                   bool allow_update) = 0;

  // Deletes an entity (a tombstone entry in the log; the projection row goes). NotFound if there
  // is no live entity with that id; Conflict if a live entity still refers to it.
  virtual Status Delete(std::string_view id, std::string_view actor) = 0;

  // True if a live entity of `type` has `id`.
  virtual Result<bool> Exists(std::string_view type, std::string_view id) = 0;

  // The live entity with `id` (any type), or nullopt.
  virtual Result<std::optional<StoredEntity>> Get(std::string_view id) = 0;

  // Every log entry about `id`, oldest first (empty if none).
  virtual Result<std::vector<LogEntry>> History(std::string_view id) = 0;

  // Calls `fn` for each live entity of `type`, ordered by id; stops at the first error.
  virtual Status ForEach(std::string_view type,
                         const std::function<Status(const StoredEntity&)>& fn) = 0;

  // A bulk read of a few fields: like ForEach (live entities of `type`, ordered by id, stops at
  // the first error), but the engine extracts the values at `paths` from each body instead of
  // handing over the whole body, for readers that need a few fields of very many entities (the
  // store's persons for linkage). A path is object keys joined by '.', each key optionally
  // followed by array indexes: "sex", "names[0].full", "roles" (keys of ASCII letters, digits
  // and '_'). `values` has one entry per path: the JSON text of the value there (a string comes
  // quoted and escaped, an array or object as JSON whose spacing may differ between engines:
  // parse it), or nullopt if the body has no such value. The views are valid until `fn` returns.
  // Errors: InvalidInput for an unknown type or a malformed path (field "paths"); Corruption
  // ("<type> <id>: stored body is not a JSON object") for a body that is not a JSON object.
  using FieldValues = std::vector<std::optional<std::string_view>>;
  virtual Status ForEachFields(
      std::string_view type, const std::vector<std::string>& paths,
      const std::function<Status(std::string_view id, const FieldValues& values)>& fn) = 0;

  // Replays the log: checks every hash and the chain, that versions and ops follow each other,
  // and that every projection row equals the last logged version of its entity (no row missing,
  // altered or extra). Corruption naming the first failing entry or row.
  virtual Result<VerifyReport> Verify() = 0;

  virtual Result<StoreStats> Stats() = 0;

  // Small key/value settings kept with the data (e.g. what `init` loaded).
  virtual Result<std::optional<std::string>> GetMeta(std::string_view key) = 0;
  virtual Status SetMeta(std::string_view key, std::string_view value) = 0;
};

// The SHA-256 chain hash of an entry (its `hash` field is ignored). Exposed for docs and tests.
std::string ComputeEntryHash(const LogEntry& entry);

}  // namespace memoria::store
