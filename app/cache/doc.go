// Package cache is the kiosk's encrypted SQLite cache of case data: sealed records, blind-index look-ups, the sync cursor and the outbox.
package cache
