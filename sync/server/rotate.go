package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"childsupportkiosk/sync/protocol"
)

// Token rotation. A kiosk asks for a new bearer token with its current one; the server keeps
// the new token's hash beside the kiosk (token_next) and accepts both until the new one is
// first used, when it becomes the kiosk's only token. So a kiosk that crashes between the
// server's answer and saving the new token still holds a token that works, and a rotation
// asked again replaces a new token that was never used.

func init() { endpoints[protocol.PathToken] = true }

// token serves PathToken: POST issues a new token, GET confirms the one it is called with.
func (a *api) token(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		a.authed(a.issueToken)(w, r)
	case http.MethodGet:
		a.authed(func(w http.ResponseWriter, r *http.Request, k Kiosk) {
			a.reply(w, protocol.TokenResponse{Kiosk: k.ID})
		})(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		a.fail(w, r, http.StatusMethodNotAllowed, protocol.CodeBadRequest, "use POST or GET")
	}
}

func (a *api) issueToken(w http.ResponseWriter, r *http.Request, k Kiosk) {
	token, err := a.db.RotateToken(r.Context(), k.ID)
	if err != nil {
		a.internal(w, r, err)
		return
	}
	a.reply(w, protocol.TokenResponse{Kiosk: k.ID, Token: token})
}

func (a *api) reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}

// tokenSchema is the table of new tokens not yet used, made when first needed.
const tokenSchema = `CREATE TABLE IF NOT EXISTS token_next (
	kiosk  TEXT PRIMARY KEY REFERENCES kiosks(id),
	hash   BLOB NOT NULL UNIQUE,
	issued INTEGER NOT NULL
)`

// RotateToken issues a new bearer token for kiosk, kept (as its SHA-256) beside the current one
// until it is first used. A new token issued before and never used is replaced.
func (d *DB) RotateToken(ctx context.Context, kiosk string) (string, error) {
	token, err := randomString(32)
	if err != nil {
		return "", err
	}
	err = d.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(tokenSchema); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO token_next(kiosk, hash, issued) VALUES (?, ?, ?)
			ON CONFLICT(kiosk) DO UPDATE SET hash = excluded.hash, issued = excluded.issued`,
			kiosk, tokenHash(token), unix(d.Now()))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// promoteToken makes a new token, on its first use, the kiosk's only one: the old token stops
// working. It returns ErrUnknownKiosk when token is no new token.
func (d *DB) promoteToken(token string) error {
	h := tokenHash(token)
	var kiosk string
	err := d.sql.QueryRow(`SELECT kiosk FROM token_next WHERE hash = ?`, h).Scan(&kiosk)
	if errors.Is(err, sql.ErrNoRows) || err != nil && isNoTable(err) {
		return ErrUnknownKiosk
	} else if err != nil {
		return err
	}
	return d.write(context.Background(), func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM token_next WHERE hash = ?`, h)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // promoted meanwhile by another request
		}
		_, err = tx.Exec(`UPDATE kiosks SET token_hash = ? WHERE id = ?`, h, kiosk)
		return err
	})
}

func isNoTable(err error) bool {
	return strings.Contains(err.Error(), "no such table")
}
