// Package seal holds the kiosk's cryptography, all from Go's standard library and x/crypto:
// AES-256-GCM sealing of records bound to their table, row and key version; an HMAC blind index
// for look-ups; wrapping of the data keys by a key file or an office passphrase (Argon2id); and
// Argon2id PIN verifiers. It knows nothing of SQLite.
package seal
