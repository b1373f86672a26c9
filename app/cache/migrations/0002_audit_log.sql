-- audit_log keeps the kiosk's recent audit events for a supervisor to read at the kiosk, after
-- they have been pushed and left the outbox. Each body is sealed (bound to its n); the events
-- carry no PII, but staff IDs and times are still nobody's business on a stolen disk. The
-- cache keeps the newest few hundred.
CREATE TABLE audit_log (
	n    INTEGER PRIMARY KEY AUTOINCREMENT,
	body BLOB NOT NULL
);
