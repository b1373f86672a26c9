package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	return d.importExport(ctx, e, nil)
}

// ImportJSON reads an export (docs/export-format.md) and imports it as Import does. Records
// that do not decode (a number where text belongs, a date that is not one) are reported with
// the problems the rules find, in the order of the lists, at most MaxProblems, each naming its
// record and field and none quoting a value; the export is then refused whole. A file that is
// not an export at all (not JSON, unknown fields of its own, another format) is an error
// before anything is checked.
func (d *DB) ImportJSON(ctx context.Context, r io.Reader) (Report, error) {
	e, bad, err := decodeExport(r, MaxExportBytes)
	if err != nil {
		return Report{}, err
	}
	return d.importExport(ctx, e, bad)
}

func (d *DB) importExport(ctx context.Context, e *domain.Export, bad *undecoded) (Report, error) {
	var rep Report
	// A large change touches pages all over the file; in a page cache of 64 MiB they were
	// written out to the WAL and read back again before the commit.
	err := d.writeCached(ctx, importCacheKiB, func(tx *sql.Tx) error {
		r := newRunner(tx)
		defer r.close()
		v, err := newViews(r)
		if err != nil {
			return err
		}
		// The validator reads the stored cases an export refers to through the views' cache,
		// where the import finds them again for the offices of their records.
		inv, err := validate(e, txKnown{r, v}, bad)
		if err != nil {
			return err
		}
		if inv != nil {
			return inv
		}
		im := &importer{r: r, e: e, v: v, dirty: map[source]bool{}}
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
	// Writes of owned records waiting to be made in one statement each: new base rows and
	// changed ones of queuedKind, and views (of any kind) with their sequence numbers.
	queuedKind string
	added      []baseRow
	bodies     []baseRow
	viewQ      []viewRow
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
	if err := im.owned(ctx, protocol.KindPayment, len(e.Payments), func(i int) ownedRecord {
		p := &e.Payments[i]
		return ownedRecord{p.ID, p.Case, p.Payer, p}
	}); err != nil {
		return err
	}
	if err := im.owned(ctx, protocol.KindDisbursement, len(e.Disbursements), func(i int) ownedRecord {
		d := &e.Disbursements[i]
		return ownedRecord{d.ID, d.Case, d.Payee, d}
	}); err != nil {
		return err
	}
	if err := im.owned(ctx, protocol.KindAppointment, len(e.Appointments), func(i int) ownedRecord {
		a := &e.Appointments[i]
		return ownedRecord{a.ID, a.Case, a.Participant, a}
	}); err != nil {
		return err
	}
	if err := im.owned(ctx, protocol.KindMessage, len(e.Messages), func(i int) ownedRecord {
		m := &e.Messages[i]
		return ownedRecord{m.ID, m.Case, m.Participant, m}
	}); err != nil {
		return err
	}
	if err := im.owned(ctx, protocol.KindDocument, len(e.Documents), func(i int) ownedRecord {
		d := &e.Documents[i]
		return ownedRecord{d.ID, d.Case, d.Participant, d}
	}); err != nil {
		return err
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
	numbers, err := im.v.caseNumbersOf(participant)
	for _, n := range numbers {
		im.mark(source{protocol.KindCase, n}, false)
	}
	return err
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
	var was domain.CaseRecord
	if changed {
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
	if (added && k.FamilyViolence) || (changed && (was.FamilyViolence != k.FamilyViolence ||
		k.FamilyViolence && !slices.Equal(was.Parties, k.Parties))) {
		// The indicator hides the other party on every case of its parties (domain.Shield):
		// their other cases' views change with it, before and after.
		return im.markCasesOfParties(append(append([]domain.Party(nil), was.Parties...), k.Parties...))
	}
	return nil
}

// markCasesOfParties marks dirty every case of the participants among parties.
func (im *importer) markCasesOfParties(parties []domain.Party) error {
	for _, p := range parties {
		if p.Participant == "" {
			continue
		}
		if err := im.markCasesOf(p.Participant); err != nil {
			return err
		}
	}
	return nil
}

// freshParticipant reports whether a participant is new in this import (so it has no views yet).
func (im *importer) freshParticipant(id string) bool {
	fresh, ok := im.dirty[source{protocol.KindParticipant, id}]
	return ok && fresh
}

// ownedRecord is a payment, disbursement, appointment, message or document of an export.
type ownedRecord struct {
	id, caseNumber, owner string
	rec                   any
}

// readAhead is how many records of an owned kind are classified together: their stored rows
// and views are read in one query each, and their writes made batchRows to a statement.
const readAhead = 500

// batchRows is how many rows go in one INSERT: one statement per row would spend more time
// crossing into SQLite than in it.
const batchRows = 100

// baseRow is a payment, disbursement, appointment, message or document to write.
type baseRow struct {
	id, caseNumber, owner string
	hash, body            []byte
}

// viewRow is a view to write with the sequence number it was given.
type viewRow struct {
	office, kind, id, owner string
	seq                     int64
	hash, body              []byte
}

// storedOwned is what the base table holds of an owned record.
type storedOwned struct {
	caseNumber, owner string
	hash              []byte
}

// storedView is one row of the feed for a record, live or a tombstone.
type storedView struct {
	office, owner string
	seq           int64
	deleted       bool
	hash          []byte
}

// owned imports the n records of an owned kind (at(i) is the i-th), readAhead at a time.
// Each is written with its view, made from the body just made: the initial import of millions
// of payments never reads them back, and a changed one is not read again after its row has
// left SQLite's cache. Their cases and owners are already written (kinds), so their offices
// are known.
func (im *importer) owned(ctx context.Context, kind string, n int, at func(i int) ownedRecord) error {
	for i := 0; i < n; i += readAhead {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := im.ownedChunk(kind, i, min(i+readAhead, n), at); err != nil {
			return err
		}
	}
	return im.flush()
}

// ownedChunk imports records i to j-1 of an owned kind. A changed record whose case and owner
// are the same keeps its row in the base table's indexes (only its hash and body are written);
// its view is moved to a new sequence number only when its body or owner changed or it was a
// tombstone, and its live views at other offices become tombstones.
func (im *importer) ownedChunk(kind string, i, j int, at func(i int) ownedRecord) error {
	stored, err := im.storedOwned(kind, i, j, at)
	if err != nil {
		return err
	}
	type change struct {
		r          ownedRecord
		was        storedOwned
		hash, body []byte
		office     string
	}
	var changed []change
	c := im.count(kind)
	for k := i; k < j; k++ {
		r := at(k)
		body, err := json.Marshal(r.rec)
		if err != nil {
			return err
		}
		hash := hashOf(body)
		was, ok := stored[r.id]
		switch {
		case ok && bytes.Equal(was.hash, hash):
			c.Unchanged++
			continue
		case ok:
			c.Changed++
		default:
			c.Added++
		}
		office, err := im.v.ownedOffice(r.caseNumber, r.owner)
		if err != nil {
			return err
		}
		row := baseRow{id: r.id, caseNumber: r.caseNumber, owner: r.owner, hash: hash, body: body}
		switch {
		case office == "":
			// Seen at no office: its views, if any, become tombstones when the dirty sources
			// are refreshed.
			if err := im.upsertBase(kind, row); err != nil {
				return err
			}
			im.mark(source{kind, r.id}, false)
		case !ok:
			if err := im.queue(kind, &im.added, row); err != nil {
				return err
			}
			im.queueView(viewRow{office: office, kind: kind, id: r.id, owner: r.owner, hash: hash, body: body})
		default:
			changed = append(changed, change{r: r, was: was, hash: hash, body: body, office: office})
		}
	}
	if len(changed) == 0 {
		return im.flushFull()
	}
	ids := make([]string, len(changed))
	for k, ch := range changed {
		ids[k] = ch.r.id
	}
	views, err := im.storedViews(kind, ids)
	if err != nil {
		return err
	}
	for _, ch := range changed {
		row := baseRow{id: ch.r.id, caseNumber: ch.r.caseNumber, owner: ch.r.owner, hash: ch.hash, body: ch.body}
		if ch.was.caseNumber == ch.r.caseNumber && ch.was.owner == ch.r.owner {
			if err := im.queue(kind, &im.bodies, row); err != nil {
				return err
			}
		} else if err := im.upsertBase(kind, row); err != nil {
			return err
		}
		// A source marked by a move of its case or owner is refreshed again at the end, to
		// the same view, which then changes nothing.
		put := true
		for _, w := range views[ch.r.id] {
			if w.office == ch.office {
				put = w.deleted || !bytes.Equal(w.hash, ch.hash) || w.owner != ch.r.owner
			}
		}
		if put {
			im.queueView(viewRow{office: ch.office, kind: kind, id: ch.r.id, owner: ch.r.owner, hash: ch.hash, body: ch.body})
		}
		for _, w := range views[ch.r.id] {
			if w.office == ch.office || w.deleted {
				continue
			}
			if _, err := im.r.exec(tombView, im.v.seq+1, w.office, w.seq); err != nil {
				return err
			}
			im.v.seq++
			im.v.changed++
		}
	}
	return im.flushFull()
}

// storedOwned reads what the base table holds of records i to j-1 of an owned kind, in one
// query: re-importing millions of payments should not cost millions of look-ups.
func (im *importer) storedOwned(kind string, i, j int, at func(i int) ownedRecord) (map[string]storedOwned, error) {
	stored := make(map[string]storedOwned, j-i)
	if im.empty[kind] {
		return stored, nil
	}
	args := make([]any, j-i)
	for k := range args {
		args[k] = at(i + k).id
	}
	rows, err := im.r.query(multiInsert(`SELECT id, case_number, owner, hash FROM `+tables[kind]+` WHERE id IN (`,
		"?", len(args), ")"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var s storedOwned
		if err := rows.Scan(&id, &s.caseNumber, &s.owner, &s.hash); err != nil {
			return nil, err
		}
		stored[id] = s
	}
	return stored, rows.Err()
}

// storedViews reads the feed's rows of records of a kind, in one query. The list of IDs is
// padded to a power of two with its last, so that few statements are prepared.
func (im *importer) storedViews(kind string, ids []string) (map[string][]storedView, error) {
	n := 1
	for n < len(ids) {
		n *= 2
	}
	args := make([]any, 1, n+1)
	args[0] = kind
	for k := range n {
		args = append(args, ids[min(k, len(ids)-1)])
	}
	rows, err := im.r.query(multiInsert(`SELECT id, office, seq, deleted, owner, hash FROM records WHERE kind = ? AND id IN (`,
		"?", n, ")"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	views := make(map[string][]storedView, len(ids))
	for rows.Next() {
		var id string
		var w storedView
		if err := rows.Scan(&id, &w.office, &w.seq, &w.deleted, &w.owner, &w.hash); err != nil {
			return nil, err
		}
		views[id] = append(views[id], w)
	}
	return views, rows.Err()
}

// upsertBase writes one owned record to its base table, case and owner included.
func (im *importer) upsertBase(kind string, r baseRow) error {
	_, err := im.r.exec(`INSERT INTO `+tables[kind]+`(id, case_number, owner, hash, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET case_number = excluded.case_number, owner = excluded.owner,
		hash = excluded.hash, body = excluded.body`, r.id, r.caseNumber, r.owner, r.hash, r.body)
	return err
}

// queue adds a base row of kind to q (added or bodies), writing the queues first when they
// hold another kind, and after when q is full.
func (im *importer) queue(kind string, q *[]baseRow, r baseRow) error {
	if im.queuedKind != kind {
		if err := im.flush(); err != nil {
			return err
		}
		im.queuedKind = kind
	}
	*q = append(*q, r)
	if len(*q) == batchRows {
		return im.flush()
	}
	return nil
}

// queueView gives a view the next sequence number and queues it.
func (im *importer) queueView(w viewRow) {
	im.v.seq++
	im.v.changed++
	w.seq = im.v.seq
	im.viewQ = append(im.viewQ, w)
}

// flushFull writes the queues that are full.
func (im *importer) flushFull() error {
	if len(im.added) >= batchRows || len(im.bodies) >= batchRows || len(im.viewQ) >= batchRows {
		return im.flush()
	}
	return nil
}

// flush writes the queued rows: new base rows, changed ones (hash and body only, so that
// their indexes are not rewritten) and views, each in one statement.
func (im *importer) flush() error {
	for len(im.added) > 0 || len(im.bodies) > 0 || len(im.viewQ) > 0 {
		if err := im.flushBase(&im.added, `INSERT INTO `+tables[im.queuedKind]+`(id, case_number, owner, hash, body) VALUES `, ""); err != nil {
			return err
		}
		if err := im.flushBase(&im.bodies, `INSERT INTO `+tables[im.queuedKind]+`(id, case_number, owner, hash, body) VALUES `,
			` ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, body = excluded.body`); err != nil {
			return err
		}
		rows := im.viewQ[:min(batchRows, len(im.viewQ))]
		if len(rows) == 0 {
			continue
		}
		// Every view here is new, revives a tombstone or changed, so each takes the sequence
		// number it was given.
		args := make([]any, 0, 7*len(rows))
		for _, r := range rows {
			args = append(args, r.office, r.seq, r.kind, r.id, r.owner, r.hash, r.body)
		}
		if err := im.execAll(multiInsert(`INSERT INTO records(office, seq, kind, id, owner, deleted, hash, body) VALUES `,
			"(?, ?, ?, ?, ?, 0, ?, ?)", len(rows), ` ON CONFLICT(kind, id, office) DO UPDATE SET seq = excluded.seq,
		owner = excluded.owner, deleted = 0, hash = excluded.hash, body = excluded.body`), len(rows), args); err != nil {
			return fmt.Errorf("feed: %w", err)
		}
		im.viewQ = im.viewQ[len(rows):]
	}
	im.viewQ = im.viewQ[:0:0]
	return nil
}

// flushBase writes up to batchRows rows of q in one statement and drops them from q.
func (im *importer) flushBase(q *[]baseRow, head, tail string) error {
	rows := (*q)[:min(batchRows, len(*q))]
	if len(rows) == 0 {
		return nil
	}
	args := make([]any, 0, 5*len(rows))
	for _, r := range rows {
		args = append(args, r.id, r.caseNumber, r.owner, r.hash, r.body)
	}
	if err := im.execAll(multiInsert(head, "(?, ?, ?, ?, ?)", len(rows), tail), len(rows), args); err != nil {
		return fmt.Errorf("%s: %w", tables[im.queuedKind], err)
	}
	*q = append((*q)[:0], (*q)[len(rows):]...)
	return nil
}

// execAll runs a statement that must write n rows.
func (im *importer) execAll(query string, n int, args []any) error {
	res, err := im.r.exec(query, args...)
	if err != nil {
		return err
	}
	if got, err := res.RowsAffected(); err != nil || got != int64(n) {
		return fmt.Errorf("%d of %d rows written (%v)", got, n, err)
	}
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
			if was.FamilyViolence {
				if err := im.markCasesOfParties(was.Parties); err != nil {
					return err
				}
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
				recRef{list: "deletions", i: i, id: del.ID}, c.what, ref))
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

// txKnown answers the validator from the database, inside the import's transaction, before
// the import writes anything.
type txKnown struct {
	r *runner
	v *views
}

// body reads and decodes the JSON body of the row of table whose key column is id; ok is
// false when there is no such row.
func body[T any](r *runner, table, key, id string) (T, bool, error) {
	return decodeBody[T](r.queryRow(`SELECT body FROM `+table+` WHERE `+key+` = ?`, id))
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
	c, err := k.v.caseRecord(number)
	if err != nil || c == nil {
		return domain.CaseRecord{}, false, err
	}
	return *c, true, nil
}

func (k txKnown) ssnHolder(ssn string) (string, bool, error) {
	var id string
	err := k.r.queryRow(`SELECT id FROM participants WHERE ssn = ?`, ssn).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return id, err == nil, err
}
