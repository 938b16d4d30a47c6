-- memoria store schema, version 1. See docs/storage.md.
-- The change log is the source of truth; the entity tables are projections of it, written in the
-- same transaction. Reference columns are generated from the body so they cannot disagree with it.

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
  hash      TEXT NOT NULL
) STRICT;
CREATE INDEX log_by_id ON log (id, seq);

CREATE TABLE source (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  period_earliest INTEGER, period_latest INTEGER
) STRICT;

CREATE TABLE place (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  parent TEXT GENERATED ALWAYS AS (body ->> '$.parent') VIRTUAL
) STRICT;
CREATE INDEX place_parent ON place (parent) WHERE parent IS NOT NULL;

CREATE TABLE unit (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  parent TEXT GENERATED ALWAYS AS (body ->> '$.parent') VIRTUAL
) STRICT;
CREATE INDEX unit_parent ON unit (parent) WHERE parent IS NOT NULL;

CREATE TABLE record (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  received_earliest INTEGER, received_latest INTEGER,
  source TEXT GENERATED ALWAYS AS (body ->> '$.source') VIRTUAL,
  source_record_id TEXT GENERATED ALWAYS AS (body ->> '$.source_record_id') VIRTUAL
) STRICT;
CREATE UNIQUE INDEX record_source_record_id ON record (source, source_record_id);

CREATE TABLE person (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  birth_earliest INTEGER, birth_latest INTEGER,
  birthplace TEXT GENERATED ALWAYS AS (body ->> '$.birthplace') VIRTUAL,
  record TEXT GENERATED ALWAYS AS (body ->> '$.record') VIRTUAL
) STRICT;
CREATE INDEX person_birthplace ON person (birthplace) WHERE birthplace IS NOT NULL;
CREATE INDEX person_record ON person (record) WHERE record IS NOT NULL;

CREATE TABLE event (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  date_earliest INTEGER, date_latest INTEGER,
  place TEXT GENERATED ALWAYS AS (body ->> '$.place') VIRTUAL,
  facility TEXT GENERATED ALWAYS AS (body ->> '$.facility') VIRTUAL,
  record TEXT GENERATED ALWAYS AS (body ->> '$.record') VIRTUAL
) STRICT;
CREATE INDEX event_place ON event (place) WHERE place IS NOT NULL;
CREATE INDEX event_facility ON event (facility) WHERE facility IS NOT NULL;
CREATE INDEX event_record ON event (record) WHERE record IS NOT NULL;

CREATE TABLE act (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  date_earliest INTEGER, date_latest INTEGER,
  event TEXT GENERATED ALWAYS AS (body ->> '$.event') VIRTUAL,
  victim TEXT GENERATED ALWAYS AS (body ->> '$.victim') VIRTUAL,
  place TEXT GENERATED ALWAYS AS (body ->> '$.place') VIRTUAL,
  record TEXT GENERATED ALWAYS AS (body ->> '$.record') VIRTUAL
) STRICT;
CREATE INDEX act_event ON act (event) WHERE event IS NOT NULL;
CREATE INDEX act_victim ON act (victim);
CREATE INDEX act_place ON act (place) WHERE place IS NOT NULL;
CREATE INDEX act_record ON act (record) WHERE record IS NOT NULL;

CREATE TABLE involvement (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  act TEXT GENERATED ALWAYS AS (body ->> '$.act') VIRTUAL,
  event TEXT GENERATED ALWAYS AS (body ->> '$.event') VIRTUAL,
  perpetrator TEXT GENERATED ALWAYS AS (body ->> '$.perpetrator') VIRTUAL,
  unit TEXT GENERATED ALWAYS AS (body ->> '$.unit') VIRTUAL,
  record TEXT GENERATED ALWAYS AS (body ->> '$.record') VIRTUAL
) STRICT;
CREATE INDEX involvement_act ON involvement (act) WHERE act IS NOT NULL;
CREATE INDEX involvement_event ON involvement (event) WHERE event IS NOT NULL;
CREATE INDEX involvement_perpetrator ON involvement (perpetrator) WHERE perpetrator IS NOT NULL;
CREATE INDEX involvement_unit ON involvement (unit) WHERE unit IS NOT NULL;
CREATE INDEX involvement_record ON involvement (record) WHERE record IS NOT NULL;

CREATE TABLE information (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  date_earliest INTEGER, date_latest INTEGER,
  witness TEXT GENERATED ALWAYS AS (body ->> '$.witness') VIRTUAL,
  event TEXT GENERATED ALWAYS AS (body ->> '$.event') VIRTUAL,
  act TEXT GENERATED ALWAYS AS (body ->> '$.act') VIRTUAL,
  record TEXT GENERATED ALWAYS AS (body ->> '$.record') VIRTUAL
) STRICT;
CREATE INDEX information_witness ON information (witness);
CREATE INDEX information_event ON information (event) WHERE event IS NOT NULL;
CREATE INDEX information_act ON information (act) WHERE act IS NOT NULL;
CREATE INDEX information_record ON information (record) WHERE record IS NOT NULL;

CREATE TABLE evidence (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL,
  record TEXT GENERATED ALWAYS AS (body ->> '$.record') VIRTUAL,
  event TEXT GENERATED ALWAYS AS (body ->> '$.event') VIRTUAL
) STRICT;
CREATE INDEX evidence_record ON evidence (record) WHERE record IS NOT NULL;
CREATE INDEX evidence_event ON evidence (event) WHERE event IS NOT NULL;
