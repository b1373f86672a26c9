-- The kiosk's encrypted cache. Nothing here is plaintext about a person: record bodies are
-- sealed (AES-256-GCM, bound to table and row), and every key that stands for a person or a
-- record is a blind-index token (HMAC-SHA-256 with its own key).

-- records holds every record of the sync feed, sealed.
--   kind   the protocol's record kind ("payment", ...)
--   rid    blind index of kind + record ID (unique: the kind is inside the token)
--   owner  blind index of the owner's participant ID; NULL for the office
--   body   sealed JSON, exactly as the case server sent it, bound to rid and owner
--   local  outbox seq of an unsent local change to this record, or 0
--   shadow the case server's state of a record with a local change: what the record becomes
--          if the server does not take the change. NULL none, X'' deleted, else sealed JSON
--          bound to rid and shadow_owner.
-- A rowid table: an initial sync appends bodies in order instead of splitting pages at random.
CREATE TABLE records (
	kind   TEXT    NOT NULL,
	rid    BLOB    NOT NULL,
	owner  BLOB,
	body   BLOB    NOT NULL,
	local  INTEGER NOT NULL DEFAULT 0,
	shadow BLOB,
	shadow_owner BLOB
);
CREATE UNIQUE INDEX records_key ON records (rid);
CREATE INDEX records_owner ON records (owner, kind);
-- The few records with a local change; a partial index stays tiny.
CREATE INDEX records_local ON records (local) WHERE local <> 0;

-- lookup finds a participant by participant ID or SSN: bidx is the blind index of
-- "pid" or "ssn" and the digits, owner the participant's owner token.
CREATE TABLE lookup (
	bidx  BLOB PRIMARY KEY,
	owner BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX lookup_owner ON lookup (owner);

-- outbox holds what the kiosk has to push, in order. seq rises per kiosk and is never reused;
-- id is the stable random ID the server uses to apply a retried push once.
CREATE TABLE outbox (
	seq  INTEGER PRIMARY KEY AUTOINCREMENT,
	id   TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	body BLOB NOT NULL
);

-- meta holds the cursor, the "as of" time and the sealed enrolment and sync status.
CREATE TABLE meta (
	name  TEXT PRIMARY KEY,
	value BLOB NOT NULL
) WITHOUT ROWID;
