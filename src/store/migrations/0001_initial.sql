-- memoria store schema, version 1. See docs/storage.md.
--
-- The change log (`log`) is the source of truth and the only place an entity's content is kept.
-- `entity` is its projection: one row per id ever written, pointing at the id's current log entry
-- (`last_seq`; a delete entry for a tombstone), updated in the same transaction as the log. Each
-- log entry links to the previous entry of the same id (`prev_seq`), so an entity's history is a
-- walk back along its chain and the log needs no index besides its sequence number.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  entity    TEXT NOT NULL,
  id        TEXT NOT NULL,
  version   INTEGER NOT NULL,
  op        TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
  body      TEXT,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL,
  prev_seq  INTEGER  -- previous entry of the same id; NULL for its first (not hashed: derived)
) STRICT;

CREATE TABLE entity (
  id        TEXT PRIMARY KEY,
  type      TEXT NOT NULL,
  version   INTEGER NOT NULL,
  last_seq  INTEGER NOT NULL,
  deleted   INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  earliest  INTEGER,  -- day range of the type's date field (days since 1970-01-01)
  latest    INTEGER,
  record_key TEXT     -- for a live record: source || char(31) || source_record_id
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX entity_record_key ON entity (record_key) WHERE record_key IS NOT NULL;

-- One view per entity type over the live entities, for reading with SQL.
CREATE VIEW source AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'source' AND e.deleted = 0;
CREATE VIEW place AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'place' AND e.deleted = 0;
CREATE VIEW unit AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'unit' AND e.deleted = 0;
CREATE VIEW record AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'record' AND e.deleted = 0;
CREATE VIEW person AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'person' AND e.deleted = 0;
CREATE VIEW event AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'event' AND e.deleted = 0;
CREATE VIEW act AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'act' AND e.deleted = 0;
CREATE VIEW involvement AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'involvement' AND e.deleted = 0;
CREATE VIEW information AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'information' AND e.deleted = 0;
CREATE VIEW evidence AS
  SELECT e.id, e.version, l.body FROM entity e JOIN log l ON l.seq = e.last_seq
  WHERE e.type = 'evidence' AND e.deleted = 0;
