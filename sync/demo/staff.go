package demo

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/seal"
)

// StaffLogin is a demo staff account one can enter staff mode with.
type StaffLogin struct {
	Staff    string // staff ID
	Name     string
	Office   string
	Role     domain.StaffRole
	Password string
}

// demoStaff are the staff of every demo office: two at the front desk and a supervisor.
var demoStaff = []struct {
	name string
	role domain.StaffRole
}{
	{"Marisol Peña", domain.FrontDesk},
	{"Thomas Nguyen", domain.FrontDesk},
	{"Claire Dubois-Moreau", domain.Supervisor},
}

// staffID is the demo staff ID of the i-th staff member of the o-th office: "S" and 4 digits.
func staffID(o, i int) string { return fmt.Sprintf("S%d%03d", o+1, 101+i) }

// StaffPassword is the demo password of a demo staff ID: a word and four digits, derived from
// the ID alone, so scripts and the README can name it. Demo data only.
func StaffPassword(id string) string {
	words := []string{"desk", "lobby", "window", "counter", "harbor", "maple", "cedar", "river"}
	h := sha256.Sum256([]byte("childsupportkiosk demo staff " + id))
	return fmt.Sprintf("%s%04d", words[int(h[0])%len(words)], (int(h[1])<<8|int(h[2]))%10000)
}

// staff adds each office's demo staff to the export, with Argon2id verifiers of their demo
// passwords whose salts come from the seed.
func (g *gen) staff() ([]StaffLogin, error) {
	var out []StaffLogin
	for o, off := range g.e.Offices {
		for i, s := range demoStaff {
			id := staffID(o, i)
			pw := StaffPassword(id)
			v, err := g.verifier(pw)
			if err != nil {
				return nil, err
			}
			g.e.Staff = append(g.e.Staff, domain.Staff{ID: id, Name: s.name, Office: off.ID, Role: s.role,
				Password: domain.PIN{Verifier: v, Version: 1, IssuedBy: "import"}})
			out = append(out, StaffLogin{Staff: id, Name: s.name, Office: off.ID, Role: s.role, Password: pw})
		}
	}
	return out, nil
}

// verifier makes an Argon2id verifier of secret with a salt drawn from the seed, so the export
// stays the same from run to run.
func (g *gen) verifier(secret string) (string, error) {
	salt := make([]byte, 16)
	for i := range salt {
		salt[i] = byte(g.r.UintN(256))
	}
	c := seal.PINParams
	sum := argon2.IDKey([]byte(secret), salt, c.Time, c.MemoryKiB, c.Threads, 32)
	b64 := base64.RawStdEncoding
	v := fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.MemoryKiB,
		c.Time, c.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum))
	if !seal.ValidVerifier(v) {
		return "", fmt.Errorf("demo verifier is not valid")
	}
	return v, nil
}

// Staff returns the demo staff sign-ins of an export made by Generate, for the offices listed
// (all when none are).
func Staff(e *domain.Export, offices ...string) []StaffLogin {
	var out []StaffLogin
	for _, s := range e.Staff {
		if len(offices) > 0 && !strings.Contains(","+strings.Join(offices, ",")+",", ","+s.Office+",") {
			continue
		}
		out = append(out, StaffLogin{Staff: s.ID, Name: s.Name, Office: s.Office, Role: s.Role, Password: StaffPassword(s.ID)})
	}
	return out
}
