// Package seal holds the kiosk's cryptography, all from Go's standard library and x/crypto:
// AES-256-GCM sealing of records bound to their table, row and key version; an HMAC blind index
// for look-ups; wrapping of the data keys by a key-encryption key sealed to the kiosk's TPM 2.0
// (go-tpm), by an office passphrase (Argon2id) or, for the demo and tests, a key file; the
// rotation of those keys; and Argon2id PIN verifiers. It knows nothing of SQLite.
package seal
