package server

import (
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// A source is a base record from which view records are derived: kind is the protocol kind
// ("case" for a case record, whose views are one per participant party).
type source struct {
	kind, id string
}

// views keeps the change feed in step with the base tables inside one write transaction. It
// caches what it reads; the caches are only valid within that transaction.
type views struct {
	r       *runner
	seq     int64 // last sequence number given
	start   int64 // the feed's last sequence number when the transaction began
	changed int   // view records added, changed or tombstoned

	participants map[string]*domain.Participant
	cases        map[string]*domain.CaseRecord
	offices      map[string]bool
}

// putView writes a view record; it takes the new sequence number only when the body or owner
// changed or it was a tombstone.
const putView = `INSERT INTO records(seq, office, kind, id, owner, deleted, hash, body)
	VALUES (?, ?, ?, ?, ?, 0, ?, ?)
	ON CONFLICT(kind, id, office) DO UPDATE SET seq = excluded.seq,
		owner = excluded.owner, deleted = 0, hash = excluded.hash, body = excluded.body
	WHERE records.deleted = 1 OR records.hash IS NOT excluded.hash OR records.owner IS NOT excluded.owner`

// tombView makes a view record a tombstone with a new sequence number.
const tombView = `UPDATE records SET seq = ?, deleted = 1, hash = NULL, body = NULL WHERE office = ? AND seq = ?`

// The live views of a source, found through the key index (kind, id, office): its own ID, or
// for a case every "<number>/<participant>", a range of IDs ('0' is the character after '/').
// They are two statements: one that could be either (id = ? OR id BETWEEN ...) lets SQLite use
// only the kind of the key, which read every view of that kind for each source.
const (
	liveViews     = `SELECT seq, office, id FROM records WHERE kind = ? AND id = ? AND deleted = 0`
	liveCaseViews = `SELECT seq, office, id FROM records WHERE kind = 'case' AND id > ? AND id < ? AND deleted = 0`
)

func newViews(r *runner) (*views, error) {
	v := &views{r: r, participants: map[string]*domain.Participant{},
		cases: map[string]*domain.CaseRecord{}, offices: map[string]bool{}}
	if err := r.queryRow(`SELECT last FROM feed`).Scan(&v.seq); err != nil {
		return nil, err
	}
	v.start = v.seq
	return v, nil
}

// finish records the last sequence number given; call it before the transaction commits.
func (v *views) finish() error {
	if v.seq == v.start {
		return nil
	}
	_, err := v.r.exec(`UPDATE feed SET last = ?`, v.seq)
	return err
}

func hashOf(body []byte) []byte {
	h := sha256.Sum256(body)
	return h[:16]
}

// view is one record a kiosk of an office may see.
type view struct {
	office, kind, id, owner string
	body                    []byte
}

// upsert writes a view record, giving it a new sequence number only when its body or owner
// changed or it was a tombstone.
func (v *views) upsert(w view) error {
	res, err := v.r.exec(putView, v.seq+1, w.office, w.kind, w.id, w.owner, hashOf(w.body), w.body)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		v.seq++
		v.changed++
	}
	return nil
}

// refresh recomputes the views of one source and writes them; views it no longer has become
// tombstones. fresh says the source did not exist before this transaction, so it has no live
// views to retire.
func (v *views) refresh(s source, fresh bool) error {
	ws, err := v.derive(s)
	if err != nil {
		return err
	}
	return v.write(s, ws, fresh)
}

// write makes ws the views of source s: each is written, and the source's live views not among
// them become tombstones.
func (v *views) write(s source, ws []view, fresh bool) error {
	for _, w := range ws {
		if err := v.upsert(w); err != nil {
			return err
		}
	}
	if fresh {
		return nil
	}
	var rows *sql.Rows
	var err error
	if s.kind == protocol.KindCase {
		rows, err = v.r.query(liveCaseViews, s.id+"/", s.id+"0")
	} else {
		rows, err = v.r.query(liveViews, s.kind, s.id)
	}
	if err != nil {
		return err
	}
	type key struct{ office, id string }
	type at struct {
		office string
		seq    int64
	}
	var stale []at
	for rows.Next() {
		var seq int64
		var k key
		if err := rows.Scan(&seq, &k.office, &k.id); err != nil {
			rows.Close()
			return err
		}
		keep := false
		for _, w := range ws {
			if w.office == k.office && w.id == k.id {
				keep = true
				break
			}
		}
		if !keep {
			stale = append(stale, at{k.office, seq})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, old := range stale {
		if _, err := v.r.exec(tombView, v.seq+1, old.office, old.seq); err != nil {
			return err
		}
		v.seq++
		v.changed++
	}
	return nil
}

// derive computes the view records of a source from the base tables (nil when it is gone).
func (v *views) derive(s source) ([]view, error) {
	switch s.kind {
	case protocol.KindOffice:
		body, ok, err := v.body("offices", "id", s.id)
		if err != nil || !ok {
			return nil, err
		}
		return []view{{office: s.id, kind: s.kind, id: s.id, body: body}}, nil

	case protocol.KindStaff:
		var office string
		var body []byte
		err := v.r.queryRow(`SELECT office, body FROM staff WHERE id = ?`, s.id).Scan(&office, &body)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		return []view{{office: office, kind: s.kind, id: s.id, owner: domain.StaffOwner(s.id), body: body}}, nil

	case protocol.KindParticipant:
		p, err := v.participant(s.id)
		if err != nil || p == nil {
			return nil, err
		}
		body, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		offices, err := v.participantOffices(p)
		if err != nil {
			return nil, err
		}
		ws := make([]view, 0, len(offices))
		for _, o := range offices {
			ws = append(ws, view{office: o, kind: s.kind, id: p.ID, owner: p.ID, body: body})
		}
		return ws, nil

	case protocol.KindCase:
		k, err := v.caseRecord(s.id)
		if err != nil || k == nil {
			return nil, err
		}
		var lookupErr error
		name := func(pid string) string {
			p, err := v.participant(pid)
			if err != nil {
				lookupErr = err
			}
			if p == nil {
				return ""
			}
			return p.Name
		}
		var ws []view
		for _, party := range k.Parties {
			if party.Participant == "" {
				continue
			}
			c, ok := k.ViewFor(party.Participant, name)
			if !ok {
				continue
			}
			shield, err := v.shielded(party.Participant)
			if err != nil {
				return nil, err
			}
			if c.FamilyViolence || shield {
				// Never sent, whatever ViewFor does: neither on the flagged case nor on any
				// other case of a participant who has one (domain.Shield).
				c.OtherParty = ""
			}
			body, err := json.Marshal(c)
			if err != nil {
				return nil, err
			}
			ws = append(ws, view{office: k.Office, kind: s.kind, id: k.Number + "/" + party.Participant,
				owner: party.Participant, body: body})
		}
		return ws, lookupErr

	case protocol.KindPayment, protocol.KindDisbursement, protocol.KindAppointment,
		protocol.KindMessage, protocol.KindDocument:
		t := tables[s.kind]
		var caseNumber, owner string
		var body []byte
		err := v.r.queryRow(`SELECT case_number, owner, body FROM `+t+` WHERE id = ?`, s.id).
			Scan(&caseNumber, &owner, &body)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		office, err := v.ownedOffice(caseNumber, owner)
		if err != nil || office == "" {
			return nil, err
		}
		return []view{{office: office, kind: s.kind, id: s.id, owner: owner, body: body}}, nil
	}
	return nil, fmt.Errorf("no views for kind %q", s.kind)
}

// ownedOffice is the office whose kiosks see a record of a participant: its case's office, or
// the participant's home office when it belongs to no case.
func (v *views) ownedOffice(caseNumber, owner string) (string, error) {
	if caseNumber != "" {
		k, err := v.caseRecord(caseNumber)
		if err != nil || k == nil {
			return "", err
		}
		return k.Office, nil
	}
	p, err := v.participant(owner)
	if err != nil || p == nil {
		return "", err
	}
	return p.Office, nil
}

// participantOffices are the offices where a participant is seen: its home office and the
// office of every case it is a party to, sorted.
func (v *views) participantOffices(p *domain.Participant) ([]string, error) {
	rows, err := v.r.query(`SELECT DISTINCT c.office FROM case_parties p JOIN cases c ON c.number = p.case_number
		WHERE p.participant = ?`, p.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	offices := []string{p.Office}
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		if o != p.Office {
			offices = append(offices, o)
		}
	}
	return offices, rows.Err()
}

// tables maps a kind to its base table.
var tables = map[string]string{
	protocol.KindOffice: "offices", protocol.KindParticipant: "participants", protocol.KindCase: "cases",
	protocol.KindPayment: "payments", protocol.KindDisbursement: "disbursements",
	protocol.KindAppointment: "appointments", protocol.KindMessage: "messages", protocol.KindDocument: "documents",
	protocol.KindStaff: "staff",
}

// keyColumn maps a kind to its base table's key column.
var keyColumn = map[string]string{
	protocol.KindOffice: "id", protocol.KindParticipant: "id", protocol.KindCase: "number",
	protocol.KindPayment: "id", protocol.KindDisbursement: "id",
	protocol.KindAppointment: "id", protocol.KindMessage: "id", protocol.KindDocument: "id",
	protocol.KindStaff: "id",
}

func (v *views) body(table, key, id string) ([]byte, bool, error) {
	var b []byte
	err := v.r.queryRow(`SELECT body FROM `+table+` WHERE `+key+` = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return b, err == nil, err
}

func (v *views) participant(id string) (*domain.Participant, error) {
	if p, ok := v.participants[id]; ok {
		return p, nil
	}
	b, ok, err := v.body("participants", "id", id)
	if err != nil || !ok {
		return nil, err
	}
	var p domain.Participant
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("participant record: %w", err)
	}
	v.participants[id] = &p
	return &p, nil
}

func (v *views) caseRecord(number string) (*domain.CaseRecord, error) {
	if k, ok := v.cases[number]; ok {
		return k, nil
	}
	b, ok, err := v.body("cases", "number", number)
	if err != nil || !ok {
		return nil, err
	}
	var k domain.CaseRecord
	if err := json.Unmarshal(b, &k); err != nil {
		return nil, fmt.Errorf("case record: %w", err)
	}
	v.cases[number] = &k
	return &k, nil
}

// shielded reports whether the family-violence rule hides every other party of a participant
// (domain.ShieldedParticipant): whether any of the participant's cases carries the indicator.
func (v *views) shielded(pid string) (bool, error) {
	numbers, err := v.caseNumbersOf(pid)
	if err != nil {
		return false, err
	}
	records := make([]domain.CaseRecord, 0, len(numbers))
	for _, n := range numbers {
		k, err := v.caseRecord(n)
		if err != nil {
			return false, err
		}
		if k != nil {
			records = append(records, *k)
		}
	}
	return domain.ShieldedParticipant(pid, records), nil
}

// caseNumbersOf lists the numbers of a participant's cases.
func (v *views) caseNumbersOf(pid string) ([]string, error) {
	rows, err := v.r.query(`SELECT case_number FROM case_parties WHERE participant = ?`, pid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		numbers = append(numbers, n)
	}
	return numbers, rows.Err()
}

// forget drops cached copies of a record that was just written or deleted.
func (v *views) forget(kind, id string) {
	switch kind {
	case protocol.KindParticipant:
		delete(v.participants, id)
	case protocol.KindCase:
		delete(v.cases, id)
	}
}
