-- The central case server's database, schema version 3 (db.go's migrations add to it). Base
-- tables keep the agency's records as imported; the records table is the change feed: what
-- kiosks of each office may see, one row per view record.

CREATE TABLE IF NOT EXISTS offices (
	id   TEXT PRIMARY KEY,
	hash BLOB NOT NULL,
	body BLOB NOT NULL
) WITHOUT ROWID;

-- Staff accounts of an office: kiosks of the office receive them for staff mode.
CREATE TABLE IF NOT EXISTS staff (
	id     TEXT PRIMARY KEY,
	office TEXT NOT NULL,
	hash   BLOB NOT NULL,
	body   BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS staff_office ON staff(office);

CREATE TABLE IF NOT EXISTS participants (
	id     TEXT PRIMARY KEY,
	ssn    TEXT NOT NULL,
	office TEXT NOT NULL,
	hash   BLOB NOT NULL,
	body   BLOB NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS participants_ssn ON participants(ssn);
CREATE INDEX IF NOT EXISTS participants_office ON participants(office);

CREATE TABLE IF NOT EXISTS cases (
	number TEXT PRIMARY KEY,
	office TEXT NOT NULL,
	hash   BLOB NOT NULL,
	body   BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cases_office ON cases(office);

-- Who is a party to which case, so that a participant's cases are found without a scan.
CREATE TABLE IF NOT EXISTS case_parties (
	participant TEXT NOT NULL,
	case_number TEXT NOT NULL,
	PRIMARY KEY (participant, case_number)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_parties_case ON case_parties(case_number);

-- Payments, disbursements, appointments, messages and documents share one shape: the case they
-- belong to (may be empty) and their owner, a participant. The indexes of payments and
-- disbursements by owner come with schema version 4 (migrations in db.go).
CREATE TABLE IF NOT EXISTS payments (
	id    TEXT PRIMARY KEY,
	case_number TEXT NOT NULL,
	owner TEXT NOT NULL,
	hash  BLOB NOT NULL,
	body  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS payments_case ON payments(case_number);

CREATE TABLE IF NOT EXISTS disbursements (
	id    TEXT PRIMARY KEY,
	case_number TEXT NOT NULL,
	owner TEXT NOT NULL,
	hash  BLOB NOT NULL,
	body  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS disbursements_case ON disbursements(case_number);

CREATE TABLE IF NOT EXISTS appointments (
	id    TEXT PRIMARY KEY,
	case_number TEXT NOT NULL,
	owner TEXT NOT NULL,
	hash  BLOB NOT NULL,
	body  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS appointments_case ON appointments(case_number);
CREATE INDEX IF NOT EXISTS appointments_owner ON appointments(owner);

CREATE TABLE IF NOT EXISTS messages (
	id    TEXT PRIMARY KEY,
	case_number TEXT NOT NULL,
	owner TEXT NOT NULL,
	hash  BLOB NOT NULL,
	body  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_case ON messages(case_number);
CREATE INDEX IF NOT EXISTS messages_owner ON messages(owner);

CREATE TABLE IF NOT EXISTS documents (
	id    TEXT PRIMARY KEY,
	case_number TEXT NOT NULL,
	owner TEXT NOT NULL,
	hash  BLOB NOT NULL,
	body  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_case ON documents(case_number);
CREATE INDEX IF NOT EXISTS documents_owner ON documents(owner);

-- The change feed, kept in each office's order: a batch is one range of the primary key. seq is
-- one global rising sequence, given again to a record only when its body's hash changes; feed
-- holds the last one given. A tombstone has deleted = 1 and no body. The key index leads with
-- (kind, id) so that every view of a base record is found without knowing its offices: a
-- case's views are the IDs "<case number>/..." of kind "case".
CREATE TABLE IF NOT EXISTS records (
	office  TEXT NOT NULL,
	seq     INTEGER NOT NULL,
	kind    TEXT NOT NULL,
	id      TEXT NOT NULL,
	owner   TEXT NOT NULL,
	deleted INTEGER NOT NULL DEFAULT 0,
	hash    BLOB,
	body    BLOB,
	PRIMARY KEY (office, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS records_key ON records(kind, id, office);

CREATE TABLE IF NOT EXISTS feed (
	one  INTEGER PRIMARY KEY CHECK (one = 1),
	last INTEGER NOT NULL
);
INSERT OR IGNORE INTO feed(one, last) VALUES (1, 0);

CREATE TABLE IF NOT EXISTS enrolment_codes (
	hash    BLOB PRIMARY KEY,
	office  TEXT NOT NULL,
	created INTEGER NOT NULL,
	expires INTEGER NOT NULL,
	used_at INTEGER,
	kiosk   TEXT
);

CREATE TABLE IF NOT EXISTS kiosks (
	id         TEXT PRIMARY KEY,
	office     TEXT NOT NULL,
	name       TEXT NOT NULL,
	token_hash BLOB NOT NULL UNIQUE,
	enrolled   INTEGER NOT NULL,
	revoked_at INTEGER,
	last_seen  INTEGER
);

-- Every pushed item, applied once: a retry with the same (kiosk, id) is answered as a duplicate.
CREATE TABLE IF NOT EXISTS pushed (
	kiosk    TEXT NOT NULL,
	id       TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	kind     TEXT NOT NULL,
	status   TEXT NOT NULL,
	received INTEGER NOT NULL,
	PRIMARY KEY (kiosk, id)
) WITHOUT ROWID;

-- What parents asked the office for at a kiosk: PIN requests, contact changes, other-party
-- information. Staff work through them.
CREATE TABLE IF NOT EXISTS requests (
	n           INTEGER PRIMARY KEY,
	office      TEXT NOT NULL,
	kiosk       TEXT NOT NULL,
	kind        TEXT NOT NULL,
	participant TEXT NOT NULL,
	body        BLOB NOT NULL,
	received    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_office ON requests(office, n);

-- Audit events from kiosks. They carry no PII: the subject is a keyed hash made by the kiosk.
CREATE TABLE IF NOT EXISTS audit (
	n        INTEGER PRIMARY KEY,
	kiosk    TEXT NOT NULL,
	at       INTEGER NOT NULL,
	action   TEXT NOT NULL,
	subject  TEXT NOT NULL,
	staff    TEXT NOT NULL,
	detail   TEXT NOT NULL,
	received INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_kiosk ON audit(kiosk, n);
