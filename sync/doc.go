// Package sync is the way case data travels between the central case server and the office
// kiosks. Its subpackages are the protocol (protocol), the kiosk's side (client), the server's
// side with its own database (server) and the demo data generator (demo).
package sync
