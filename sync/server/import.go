package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/sync/protocol"
)

// Report says what an import did, kind by kind.
type Report struct {
	Kinds       []KindReport
	FeedChanges int   // view records added, changed or made tombstones on the change feed
	Seq         int64 // the feed's last sequence number after the import
}

// KindReport counts the records of one kind in an import.
type KindReport struct {
	Kind                               string
	Added, Changed, Unchanged, Deleted int
}

// String is the report as key=value lines.
func (r Report) String() string {
	var b strings.Builder
	for _, k := range r.Kinds {
		fmt.Fprintf(&b, "kind=%s added=%d changed=%d unchanged=%d deleted=%d\n", k.Kind, k.Added, k.Changed, k.Unchanged, k.Deleted)
	}
	fmt.Fprintf(&b, "feed_changes=%d seq=%d\n", r.FeedChanges, r.Seq)
	return b.String()
}

// Kind returns the counts for one kind.
func (r Report) Kind(kind string) KindReport {
	for _, k := range r.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	return KindReport{Kind: kind}
}

// Import checks an export whole and then loads it in one transaction, all or nothing. An export
// that breaks a rule returns an *Invalid naming the first problems, and changes nothing.
// Records are upserted by ID; a record whose content is unchanged keeps its place on the
// change feed, so importing the same export twice changes nothing.
func (d *DB) Import(ctx context.Context, e *domain.Export) (Report, error) {
	var rep Report
	// A large change touches pages all over the file; in a page cache of 64 MiB they were
	// written out to the WAL and read back again before the commit.
	err := d.writeCached(ctx, importCacheKiB, func(tx *sql.Tx) error {
		r := newRunner(tx)
		defer r.close()
		inv, err := validate(e, txKnown{r})
		if err != nil {
			return err
		}
		if inv != nil {
			return inv
		}
		im := &importer{r: r, e: e, dirty: map[source]bool{}}
		if im.v, err = newViews(r); err != nil {
			return err
		}
		if err := im.run(ctx); err != nil {
			return err
		}
		if err := im.v.finish(); err != nil {
			return err
		}
		rep = im.report()
		return nil
	})
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

// importCacheKiB is the page cache of the connection that imports, for the time of the
// import: SQLite takes what it needs of it, and the cache returns to cacheKiB after.
const importCacheKiB = 1 << 20

type importer struct {
	r      *runner
	e      *domain.Export
	v      *views
	counts map[string]*KindReport
	// dirty are the sources whose views must be recomputed; the value says the source is new
	// in this import (no live views to retire).
	dirty map[source]bool
	// pending are new records of pendingKind waiting to be written in one statement.
	pending     []newRow
	pendingKind string
	// hashes are the stored hashes of the next records of hashesKind, read ahead in one query.
	hashes     map[string][]byte
	hashesKind string
	// empty are the kinds whose base table held nothing when the import began: their records
	// are all new, and need not be looked up one by one.
	empty map[string]bool
}

// kinds is the order of import: what is referred to comes first.
var kinds = []string{protocol.KindOffice, protocol.KindParticipant, protocol.KindCase, protocol.KindPayment,
	protocol.KindDisbursement, protocol.KindAppointment, protocol.KindMessage, protocol.KindDocument, protocol.KindStaff}

// ownedKinds are the kinds that belong to a participant and a case.
var ownedKinds = []string{protocol.KindPayment, protocol.KindDisbursement, protocol.KindAppointment,
	protocol.KindMessage, protocol.KindDocument}

func (im *importer) count(kind string) *KindReport {
	if im.counts == nil {
		im.counts = map[string]*KindReport{}
	}
	if im.counts[kind] == nil {
		im.counts[kind] = &KindReport{Kind: kind}
	}
	return im.counts[kind]
}

func (im *importer) report() Report {
	r := Report{FeedChanges: im.v.changed, Seq: im.v.seq}
	for _, k := range kinds {
		r.Kinds = append(r.Kinds, *im.count(k))
	}
	return r
}

func (im *importer) mark(s source, fresh bool) {
	if old, ok := im.dirty[s]; ok {
		fresh = fresh && old
	}
	im.dirty[s] = fresh
}

func (im *importer) run(ctx context.Context) error {
	im.empty = map[string]bool{}
	for _, k := range kinds {
		// The largest key, not EXISTS: SQLite finds it at the end of the primary key, where
		// EXISTS is planned as a scan (that stops at the first row).
		var empty bool
		if err := im.r.queryRow(`SELECT max(` + keyColumn[k] + `) IS NULL FROM ` + tables[k]).Scan(&empty); err != nil {
			return err
		}
		im.empty[k] = empty
	}
	if err := im.deletions(); err != nil {
		return err
	}
	e := im.e
	for i := range e.Offices {
		o := &e.Offices[i]
		if err := im.upsertOffice(o); err != nil {
			return err
		}
	}
	for i := range e.Staff {
		if err := im.upsertStaff(&e.Staff[i]); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for i := range e.Participants {
		p := &e.Participants[i]
		if err := im.upsertParticipant(p); err != nil {
			return err
		}
	}
	for i := range e.Cases {
		if err := im.upsertCase(&e.Cases[i]); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for i := range e.Payments {
		p := &e.Payments[i]
		if i%readAhead == 0 {
			if err := im.readAhead(protocol.KindPayment, len(e.Payments[i:min(i+readAhead, len(e.Payments))]),
				func(j int) string { return e.Payments[i+j].ID }); err != nil {
				return err
			}
		}
		if err := im.upsertOwned(protocol.KindPayment, p.ID, p.Case, p.Payer, p); err != nil {
			return err
		}
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	for i := range e.Disbursements {
		p := &e.Disbursements[i]
		if i%readAhead == 0 {
			if err := im.readAhead(protocol.KindDisbursement, len(e.Disbursements[i:min(i+readAhead, len(e.Disbursements))]),
				func(j int) string { return e.Disbursements[i+j].ID }); err != nil {
				return err
			}
		}
		if err := im.upsertOwned(protocol.KindDisbursement, p.ID, p.Case, p.Payee, p); err != nil {
			return err
		}
		if i%65536 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	im.hashesKind = ""
	for i := range e.Appointments {
		a := &e.Appointments[i]
		if err := im.upsertOwned(protocol.KindAppointment, a.ID, a.Case, a.Participant, a); err != nil {
			return err
		}
	}
	for i := range e.Messages {
		m := &e.Messages[i]
		if err := im.upsertOwned(protocol.KindMessage, m.ID, m.Case, m.Participant, m); err != nil {
			return err
		}
	}
	for i := range e.Documents {
		d := &e.Documents[i]
		if err := im.upsertOwned(protocol.KindDocument, d.ID, d.Case, d.Participant, d); err != nil {
			return err
		}
	}
	if err := im.flush(); err != nil {
		return err
	}
	if err := im.checkDeletions(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return im.refresh()
}

// readAhead is how many stored hashes one query reads for a re-import.
const readAhead = 500

// readAhead reads the stored hashes of the next n records of a kind (id(j) is the j-th ID) in
// one query, for classify: re-importing millions of payments should not cost millions of
// look-ups.
func (im *importer) readAhead(kind string, n int, id func(j int) string) error {
	if im.empty[kind] {
		return nil
	}
	im.hashesKind = kind
	if im.hashes == nil {
		im.hashes = make(map[string][]byte, readAhead)
	}
	clear(im.hashes)
	query := multiInsert(`SELECT id, hash FROM `+tables[kind]+` WHERE id IN (`, "?", n, ")")
	args := make([]any, n)
	for j := range n {
		args[j] = id(j)
	}
	rows, err := im.r.query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var h []byte
		if err := rows.Scan(&k, &h); err != nil {
			return err
		}
		im.hashes[k] = h
	}
	return rows.Err()
}

// previous reads a base record's stored hash and body; ok is false when there is none.
func (im *importer) previous(kind, id string) (hash, body []byte, ok bool, err error) {
	err = im.r.queryRow(`SELECT hash, body FROM `+tables[kind]+` WHERE `+keyColumn[kind]+` = ?`, id).Scan(&hash, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, false, nil
	}
	return hash, body, err == nil, err
}

// classify marshals a record and compares it with what is stored: it returns the body, its
// hash, the stored body (when changed) and whether it is new, changed or neither.
func (im *importer) classify(kind, id string, rec any) (body, hash, old []byte, added, changed bool, err error) {
	body, err = json.Marshal(rec)
	if err != nil {
		return
	}
	hash = hashOf(body)
	var prevHash, prevBody []byte
	ok := false
	switch {
	case im.empty[kind]:
	case im.hashesKind == kind:
		prevHash, ok = im.hashes[id]
	default:
		if prevHash, prevBody, ok, err = im.previous(kind, id); err != nil {
			return
		}
	}
	c := im.count(kind)
	switch {
	case !ok:
		c.Added++
		added = true
	case !bytes.Equal(prevHash, hash):
		c.Changed++
		changed, old = true, prevBody
	default:
		c.Unchanged++
	}
	return
}

func (im *importer) upsertOffice(o *domain.Office) error {
	body, hash, _, added, changed, err := im.classify(protocol.KindOffice, o.ID, o)
	if err != nil || !added && !changed {
		return err
	}
	if _, err := im.r.exec(`INSERT INTO offices(id, hash, body) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, body = excluded.body`, o.ID, hash, body); err != nil {
		return err
	}
	im.mark(source{protocol.KindOffice, o.ID}, added)
	return nil
}

// newerPIN returns the PIN state stored for a participant or staff account when it is newer
// than the export's: a PIN chosen, issued, locked or unlocked at a kiosk or the call centre
// since the agency's export was made must survive the next import of it.
func (im *importer) newerPIN(kind, id string, export domain.PIN) (domain.PIN, error) {
	_, body, ok, err := im.previous(kind, id)
	if err != nil || !ok {
		return export, err
	}
	var stored struct {
		PIN      *domain.PIN `json:"pin"`
		Password *domain.PIN `json:"password"`
	}
	if err := json.Unmarshal(body, &stored); err != nil {
		return export, fmt.Errorf("stored %s: %w", kind, err)
	}
	p := stored.PIN
	if kind == protocol.KindStaff {
		p = stored.Password
	}
	if p != nil && p.Version > export.Version {
		return *p, nil
	}
	return export, nil
}

func (im *importer) upsertStaff(s *domain.Staff) error {
	var err error
	if s.Password, err = im.newerPIN(protocol.KindStaff, s.ID, s.Password); err != nil {
		return err
	}
	body, hash, _, added, changed, err := im.classify(protocol.KindStaff, s.ID, s)
	if err != nil || !added && !changed {
		return err
	}
	if _, err := im.r.exec(`INSERT INTO staff(id, office, hash, body) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET office = excluded.office, hash = excluded.hash, body = excluded.body`,
		s.ID, s.Office, hash, body); err != nil {
		return err
	}
	im.mark(source{protocol.KindStaff, s.ID}, added)
	return nil
}

func (im *importer) upsertParticipant(p *domain.Participant) error {
	var err error
	if p.PIN, err = im.newerPIN(protocol.KindParticipant, p.ID, p.PIN); err != nil {
		return err
	}
	body, hash, old, added, changed, err := im.classify(protocol.KindParticipant, p.ID, p)
	if err != nil || !added && !changed {
		return err
	}
	if _, err := im.r.exec(`INSERT INTO participants(id, ssn, office, hash, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET ssn = excluded.ssn, office = excluded.office, hash = excluded.hash,
		body = excluded.body`, p.ID, p.SSN, p.Office, hash, body); err != nil {
		return err
	}
	im.v.participants[p.ID] = p
	im.mark(source{protocol.KindParticipant, p.ID}, added)
	if changed {
		var was domain.Participant
		if err := json.Unmarshal(old, &was); err != nil {
			return fmt.Errorf("stored participant: %w", err)
		}
		if was.Name != p.Name {
			// The other party's name is part of every case view of its cases.
			if err := im.markCasesOf(p.ID); err != nil {
				return err
			}
		}
		if was.Office != p.Office {
			// Records without a case are seen at the home office.
			for _, k := range []string{protocol.KindAppointment, protocol.KindMessage, protocol.KindDocument} {
				if err := im.markWhere(k, `owner = ? AND case_number = ''`, p.ID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (im *importer) markCasesOf(participant string) error {
	rows, err := im.r.query(`SELECT case_number FROM case_parties WHERE participant = ?`, participant)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return err
		}
		im.mark(source{protocol.KindCase, n}, false)
	}
	return rows.Err()
}

// markWhere marks dirty every record of a kind that matches a condition on its base table.
func (im *importer) markWhere(kind, cond string, args ...any) error {
	rows, err := im.r.query(`SELECT id FROM `+tables[kind]+` WHERE `+cond, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		im.mark(source{kind, id}, false)
	}
	return rows.Err()
}

func (im *importer) upsertCase(k *domain.CaseRecord) error {
	body, hash, old, added, changed, err := im.classify(protocol.KindCase, k.Number, k)
	if err != nil || !added && !changed {
		return err
	}
	if _, err := im.r.exec(`INSERT INTO cases(number, office, hash, body) VALUES (?, ?, ?, ?)
		ON CONFLICT(number) DO UPDATE SET office = excluded.office, hash = excluded.hash, body = excluded.body`,
		k.Number, k.Office, hash, body); err != nil {
		return err
	}
	im.v.cases[k.Number] = k
	im.mark(source{protocol.KindCase, k.Number}, added)
	if changed {
		var was domain.CaseRecord
		if err := json.Unmarshal(old, &was); err != nil {
			return fmt.Errorf("stored case: %w", err)
		}
		// Its former parties may no longer be seen at this office.
		for _, p := range was.Parties {
			if p.Participant != "" {
				im.mark(source{protocol.KindParticipant, p.Participant}, false)
			}
		}
		if _, err := im.r.exec(`DELETE FROM case_parties WHERE case_number = ?`, k.Number); err != nil {
			return err
		}
		if was.Office != k.Office {
			for _, kind := range []string{protocol.KindPayment, protocol.KindDisbursement, protocol.KindAppointment,
				protocol.KindMessage, protocol.KindDocument} {
				if err := im.markWhere(kind, `case_number = ?`, k.Number); err != nil {
					return err
				}
			}
		}
	}
	for _, p := range k.Parties {
		if p.Participant == "" {
			continue
		}
		if _, err := im.r.exec(`INSERT OR IGNORE INTO case_parties(participant, case_number) VALUES (?, ?)`,
			p.Participant, k.Number); err != nil {
			return err
		}
		// The participant is now seen at the case's office.
		im.mark(source{protocol.KindParticipant, p.Participant}, im.freshParticipant(p.Participant))
	}
	return nil
}

// freshParticipant reports whether a participant is new in this import (so it has no views yet).
func (im *importer) freshParticipant(id string) bool {
	fresh, ok := im.dirty[source{protocol.KindParticipant, id}]
	return ok && fresh
}

// upsertOwned writes a payment, disbursement, appointment, message or document, and its view,
// built at once from the body just made: the initial import of millions of payments never
// reads them back, and a changed one is not read again after its row has left SQLite's cache.
// Its case and owner are already written (kinds), so its office is known.
func (im *importer) upsertOwned(kind, id, caseNumber, owner string, rec any) error {
	body, hash, _, added, changed, err := im.classify(kind, id, rec)
	if err != nil || !added && !changed {
		return err
	}
	office, err := im.v.ownedOffice(caseNumber, owner)
	if err != nil {
		return err
	}
	if added && office != "" {
		return im.addOwned(kind, newRow{id: id, caseNumber: caseNumber, owner: owner, office: office, hash: hash, body: body})
	}
	if _, err := im.r.exec(`INSERT INTO `+tables[kind]+`(id, case_number, owner, hash, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET case_number = excluded.case_number, owner = excluded.owner,
		hash = excluded.hash, body = excluded.body`, id, caseNumber, owner, hash, body); err != nil {
		return err
	}
	if office == "" {
		im.mark(source{kind, id}, false)
		return nil
	}
	// A source marked by a move of its case or owner is refreshed again at the end, to the
	// same view, which then changes nothing.
	return im.v.write(source{kind, id}, []view{{office: office, kind: kind, id: id, owner: owner, body: body}}, false)
}

// batchRows is how many new records go in one INSERT: one statement per row would spend more
// time crossing into SQLite than in it.
const batchRows = 100

// newRow is a new payment, disbursement, appointment, message or document with its one view.
type newRow struct {
	id, caseNumber, owner, office string
	hash, body                    []byte
}

// addOwned queues a new record; flush writes the queue.
func (im *importer) addOwned(kind string, r newRow) error {
	if im.pendingKind != kind {
		if err := im.flush(); err != nil {
			return err
		}
		im.pendingKind = kind
	}
	im.pending = append(im.pending, r)
	if len(im.pending) == batchRows {
		return im.flush()
	}
	return nil
}

// flush writes the queued new records to their base table and their views to the feed, each
// in one statement. Every view is new (or revives a tombstone), so each takes the next
// sequence number in order.
func (im *importer) flush() error {
	rows := im.pending
	if len(rows) == 0 {
		return nil
	}
	im.pending = im.pending[:0]
	base := multiInsert(`INSERT INTO `+tables[im.pendingKind]+`(id, case_number, owner, hash, body) VALUES `,
		"(?, ?, ?, ?, ?)", len(rows), "")
	args := make([]any, 0, 8*len(rows))
	for _, r := range rows {
		args = append(args, r.id, r.caseNumber, r.owner, r.hash, r.body)
	}
	if _, err := im.r.exec(base, args...); err != nil {
		return err
	}
	feed := multiInsert(`INSERT INTO records(office, seq, kind, id, owner, deleted, hash, body) VALUES `,
		"(?, ?, ?, ?, ?, 0, ?, ?)", len(rows), ` ON CONFLICT(kind, id, office) DO UPDATE SET seq = excluded.seq,
		owner = excluded.owner, deleted = 0, hash = excluded.hash, body = excluded.body`)
	args = args[:0]
	for i, r := range rows {
		args = append(args, r.office, im.v.seq+1+int64(i), im.pendingKind, r.id, r.owner, r.hash, r.body)
	}
	res, err := im.r.exec(feed, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(rows)) {
		return fmt.Errorf("feed: %d of %d new records written (%v)", n, len(rows), err)
	}
	im.v.seq += int64(len(rows))
	im.v.changed += len(rows)
	return nil
}

func multiInsert(head, row string, n int, tail string) string {
	var b strings.Builder
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(tail)
	return b.String()
}

// deletions removes the base records an export lists as deleted; their views become tombstones
// when the dirty sources are refreshed.
func (im *importer) deletions() error {
	for _, del := range im.e.Deletions {
		_, old, ok, err := im.previous(del.Kind, del.ID)
		if err != nil {
			return err
		}
		c := im.count(del.Kind)
		if !ok {
			c.Unchanged++ // deleted before: nothing to do
			continue
		}
		c.Deleted++
		if _, err := im.r.exec(`DELETE FROM `+tables[del.Kind]+` WHERE `+keyColumn[del.Kind]+` = ?`, del.ID); err != nil {
			return err
		}
		im.v.forget(del.Kind, del.ID)
		im.mark(source{del.Kind, del.ID}, false)
		if del.Kind == protocol.KindCase {
			var was domain.CaseRecord
			if err := json.Unmarshal(old, &was); err != nil {
				return fmt.Errorf("stored case: %w", err)
			}
			for _, p := range was.Parties {
				if p.Participant != "" {
					im.mark(source{protocol.KindParticipant, p.Participant}, false)
				}
			}
			if _, err := im.r.exec(`DELETE FROM case_parties WHERE case_number = ?`, del.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkDeletions refuses deletions that would leave records pointing at nothing: a deleted
// participant, case or office must no longer be referred to once the import is applied.
func (im *importer) checkDeletions() error {
	var problems []string
	for i, del := range im.e.Deletions {
		if len(problems) == MaxProblems {
			return &Invalid{Problems: problems, More: true}
		}
		var checks []struct{ what, query string }
		switch del.Kind {
		case protocol.KindOffice:
			checks = []struct{ what, query string }{
				{"participant", `SELECT id FROM participants WHERE office = ? LIMIT 1`},
				{"case", `SELECT number FROM cases WHERE office = ? LIMIT 1`},
				{"staff", `SELECT id FROM staff WHERE office = ? LIMIT 1`},
			}
		case protocol.KindParticipant:
			checks = []struct{ what, query string }{
				{"case", `SELECT case_number FROM case_parties WHERE participant = ? LIMIT 1`},
			}
			for _, k := range ownedKinds {
				checks = append(checks, struct{ what, query string }{k, `SELECT id FROM ` + tables[k] + ` WHERE owner = ? LIMIT 1`})
			}
		case protocol.KindCase:
			for _, k := range ownedKinds {
				checks = append(checks, struct{ what, query string }{k, `SELECT id FROM ` + tables[k] + ` WHERE case_number = ? LIMIT 1`})
			}
		}
		for _, c := range checks {
			var ref string
			err := im.r.queryRow(c.query, del.ID).Scan(&ref)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			problems = append(problems, fmt.Sprintf("%s: id: still referred to by %s %s; delete or change it in the same export",
				at("deletions", i, del.ID), c.what, ref))
			break
		}
	}
	if len(problems) > 0 {
		return &Invalid{Problems: problems}
	}
	return nil
}

// refresh recomputes the views of every dirty source, in the order of kinds.
func (im *importer) refresh() error {
	byKind := map[string][]source{}
	for s := range im.dirty {
		byKind[s.kind] = append(byKind[s.kind], s)
	}
	for _, k := range kinds {
		ss := byKind[k]
		sortSources(ss)
		for _, s := range ss {
			if err := im.v.refresh(s, im.dirty[s]); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortSources(ss []source) {
	slices.SortFunc(ss, func(a, b source) int { return strings.Compare(a.id, b.id) })
}

// txKnown answers the validator from the database, inside the import's transaction.
type txKnown struct{ r *runner }

// body reads and decodes the JSON body of the row of table whose key column is id; ok is
// false when there is no such row.
func body[T any](r *runner, table, key, id string) (v T, ok bool, err error) {
	var b []byte
	err = r.queryRow(`SELECT body FROM `+table+` WHERE `+key+` = ?`, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	} else if err != nil {
		return v, false, err
	}
	return v, true, json.Unmarshal(b, &v)
}

func (k txKnown) office(id string) (domain.Office, bool, error) {
	return body[domain.Office](k.r, "offices", "id", id)
}

func (k txKnown) participant(id string) (bool, error) {
	var one int
	err := k.r.queryRow(`SELECT 1 FROM participants WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (k txKnown) caseRecord(number string) (domain.CaseRecord, bool, error) {
	return body[domain.CaseRecord](k.r, "cases", "number", number)
}

func (k txKnown) ssnHolder(ssn string) (string, bool, error) {
	var id string
	err := k.r.queryRow(`SELECT id FROM participants WHERE ssn = ?`, ssn).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return id, err == nil, err
}
