// Package server is the central case server: its SQLite store of agency records, the import, the per-office change feed, kiosk enrolment and pushes, and the HTTP API of sync/protocol.
package server
