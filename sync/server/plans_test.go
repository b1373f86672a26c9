package server

import (
	"context"
	"database/sql"
	"errors"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"childsupportkiosk/app/domain"
)

// sqlFiles are the files of the import and the feed. Their SQL goes through runner or
// feedQuery (sqlrun.go), which tell traceSQL about every statement they run.
var sqlFiles = []string{"import.go", "views.go", "validate.go", "feed.go"}

// A planner reads how one database engine would run a statement and names the lines of the
// plan that read a whole table, or every record of a kind or an office. The case server runs
// on SQLite only; a PostgreSQL planner would EXPLAIN the same statements (with the
// placeholders numbered $1, $2, ...) on a server named by the environment and look for
// "Seq Scan" the same way, and TestQueryPlans would ask both.
type planner interface {
	name() string
	plan(query string, nargs int) ([]string, error)
	fullScans(plan []string) []string
}

// sqlitePlanner reads EXPLAIN QUERY PLAN on a case server's database.
type sqlitePlanner struct{ db *sql.DB }

func (sqlitePlanner) name() string { return "SQLite" }

func (p sqlitePlanner) plan(query string, nargs int) ([]string, error) {
	rows, err := p.db.Query(`EXPLAIN QUERY PLAN `+query, make([]any, nargs)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		lines = append(lines, detail)
	}
	return lines, rows.Err()
}

var (
	sqliteScan   = regexp.MustCompile(`^SCAN (\S+)`)
	sqliteSearch = regexp.MustCompile(`^SEARCH records USING .*\((.*)\)$`)
	// sqliteValues are the rows of a statement's VALUES, not of a table.
	sqliteValues = regexp.MustCompile(`^SCAN (CONSTANT ROW|\d+ CONSTANT ROWS|\d+-ROW VALUES CLAUSE)$`)
	// smallTables may be scanned: the feed's one row.
	smallTables = map[string]bool{"feed": true}
	// broadColumns of records: a search that narrows records by these alone reads every record
	// of a kind or of an office (the fault of the live-views query this test was written for).
	broadColumns = map[string]bool{"kind": true, "office": true, "deleted": true}
)

func (sqlitePlanner) fullScans(plan []string) []string {
	var bad []string
	for _, line := range plan {
		if m := sqliteScan.FindStringSubmatch(line); m != nil {
			if smallTables[m[1]] || sqliteValues.MatchString(line) {
				continue
			}
			bad = append(bad, line)
			continue
		}
		if m := sqliteSearch.FindStringSubmatch(line); m != nil {
			narrow := false
			for _, term := range strings.Split(m[1], " AND ") {
				col := strings.TrimRight(term, "=<>!?")
				if !broadColumns[col] {
					narrow = true
				}
			}
			if !narrow {
				bad = append(bad, line)
			}
		}
	}
	return bad
}

// traced collects the statements that run while it is installed, with their argument counts.
type traced struct {
	mu    sync.Mutex
	stmts map[string]int
}

func traceStatements(t *testing.T) *traced {
	tr := &traced{stmts: map[string]int{}}
	f := func(q string, n int) {
		tr.mu.Lock()
		tr.stmts[q] = n
		tr.mu.Unlock()
	}
	if !traceSQL.CompareAndSwap(nil, &f) {
		t.Fatal("statements are already traced")
	}
	t.Cleanup(func() { traceSQL.Store(nil) })
	return tr
}

// TestQueryPlans runs imports that take every path of the import's code (a first import into
// an empty server, the same export again, a change of every kind, moves of a participant and
// a case to another office, new records, deletions of every kind, refused deletions) and reads
// of the feed, collects every statement they run, and fails on any whose plan reads a whole
// table, or every record of a kind or office, whatever the size of the change.
func TestQueryPlans(t *testing.T) {
	db := openTest(t)
	tr := traceStatements(t)
	importPaths(t, db)
	for _, office := range []string{"CA-LA", "CA-SD"} {
		feed(t, db, office, 0)
	}
	lastSeq(t, db)
	traceSQL.Store(nil)

	planners := []planner{sqlitePlanner{db.sql}}
	queries := make([]string, 0, len(tr.stmts))
	for q := range tr.stmts {
		queries = append(queries, q)
	}
	slices.Sort(queries)
	for _, p := range planners {
		for _, q := range queries {
			plan, err := p.plan(q, tr.stmts[q])
			if err != nil {
				t.Errorf("%s: %v\n%s", p.name(), err, q)
				continue
			}
			if bad := p.fullScans(plan); len(bad) > 0 {
				t.Errorf("%s reads more than the change: %s\n  %s", p.name(), strings.Join(bad, "; "), oneLine(q))
			}
		}
	}
	t.Logf("%d statements planned", len(queries))

	// Every piece of SQL written in the import's and the feed's files ran above: a statement
	// added to the code and to no path of this test fails here, not silently.
	ran := make([]string, 0, len(queries))
	for _, q := range queries {
		ran = append(ran, oneLine(q))
	}
	for _, lit := range sqlLiterals(t) {
		if !slices.ContainsFunc(ran, func(q string) bool { return strings.Contains(q, lit.text) }) {
			t.Errorf("%s: this SQL never ran in TestQueryPlans, so its plan was not read: %q", lit.pos, lit.text)
		}
	}
}

// TestQueryPlansCatchTheKindScan holds the checker to the fault it was written for: the
// live-views query as it was, one statement for a source's own ID or a case's range of IDs,
// which SQLite could narrow by kind only.
func TestQueryPlansCatchTheKindScan(t *testing.T) {
	db := openTest(t)
	p := sqlitePlanner{db.sql}
	for _, c := range []struct {
		query string
		nargs int
		bad   bool
	}{
		{`SELECT seq, office, id FROM records WHERE kind = ?1 AND deleted = 0
			AND (id = ?2 OR ?1 = 'case' AND id > ?2 || '/' AND id < ?2 || '0')`, 2, true},
		{`SELECT id FROM payments WHERE body = ?`, 1, true},
		{`SELECT EXISTS (SELECT 1 FROM payments)`, 0, true},
		{`SELECT seq FROM records WHERE office = ? AND deleted = 0`, 1, true},
		{liveViews, 2, false},
		{liveCaseViews, 2, false},
	} {
		plan, err := p.plan(c.query, c.nargs)
		if err != nil {
			t.Fatal(err)
		}
		if bad := p.fullScans(plan); (len(bad) > 0) != c.bad {
			t.Errorf("plan %q: full scans %q, want some: %v\n%s", plan, bad, c.bad, c.query)
		}
	}
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }

type sqlLiteral struct {
	pos  gotoken.Position
	text string
}

var sqlWords = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|VALUES|CONFLICT|JOIN)\b`)

// sqlLiterals are the string literals of sqlFiles that hold SQL. On the way it fails on any
// call of database/sql in those files that does not go through runner or feedQuery.
func sqlLiterals(t *testing.T) []sqlLiteral {
	direct := map[string]bool{"Query": true, "QueryRow": true, "QueryContext": true, "QueryRowContext": true,
		"Exec": true, "ExecContext": true, "Prepare": true, "PrepareContext": true, "Begin": true, "BeginTx": true}
	var lits []sqlLiteral
	fset := gotoken.NewFileSet()
	for _, name := range sqlFiles {
		f, err := parser.ParseFile(fset, filepath.Join(".", name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && direct[sel.Sel.Name] {
					t.Errorf("%s: %s runs SQL past the runner, where TestQueryPlans does not see it", fset.Position(n.Pos()), sel.Sel.Name)
				}
			case *ast.BasicLit:
				if n.Kind != gotoken.STRING {
					break
				}
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					t.Fatal(err)
				}
				if s = oneLine(s); sqlWords.MatchString(s) {
					lits = append(lits, sqlLiteral{fset.Position(n.Pos()), s})
				}
			}
			return true
		})
	}
	if len(lits) < 20 {
		t.Fatalf("only %d SQL literals found in %v", len(lits), sqlFiles)
	}
	return lits
}

// importPaths takes the import through each of its paths on db.
func importPaths(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	mustImport(t, db, smallExport(t)) // into an empty server
	mustImport(t, db, smallExport(t)) // the same again

	// Every kind changed; a new payment, disbursement, appointment, message and document; a
	// participant and a case move office; a case changes parties.
	e := smallExport(t)
	e.Offices[0].Name += " (Commerce)"
	e.Staff[0].Name = "Eva Ortiz"
	e.Participants[1].Name = "Bruno Lefèvre-Martin"
	e.Participants[2].Office = "CA-SD"
	e.Participants = append(e.Participants, domain.Participant{ID: "1000000005", SSN: "523456789",
		Name: "Elena Ruiz", BirthDate: e.Participants[0].BirthDate, Office: "CA-SD"})
	e.Cases[0].Balances.Arrears += 100
	e.Cases[2].Office = "CA-LA"
	e.Cases[2].Parties[1].Participant = "1000000005"
	e.Payments[0].Amount, e.Payments[0].Allocation.Current = 30000, 30000
	e.Payments[2].Payer = "1000000005"
	p := e.Payments[0]
	p.ID = "P-4"
	e.Payments = append(e.Payments, p)
	e.Disbursements[0].Method = domain.Check
	dd := e.Disbursements[0]
	dd.ID = "D-3"
	e.Disbursements = append(e.Disbursements, dd)
	e.Appointments[0].Place = "Commerce office, window 5"
	a := e.Appointments[0]
	a.ID, a.Case = "A-2", ""
	e.Appointments = append(e.Appointments, a)
	e.Messages[0].Body = "We received your payment. Thank you."
	m := e.Messages[0]
	m.ID, m.Case = "M-2", ""
	e.Messages = append(e.Messages, m)
	e.Documents[0].Title = "Order for Child Support (amended)"
	d := e.Documents[0]
	d.ID = "DOC-2"
	e.Documents = append(e.Documents, d)
	r := mustImport(t, db, e)
	for _, k := range kinds {
		if c := r.Kind(k); c.Changed == 0 {
			t.Fatalf("no %s changed:\n%s", k, r)
		}
	}
	mustImport(t, db, e) // and again

	// An export of a few records that refer to what the server holds.
	mustImport(t, db, &domain.Export{Format: e.Format, Agency: e.Agency, Generated: e.Generated,
		Cases: e.Cases[:1], Payments: e.Payments[:1]})

	// A deletion still referred to, of each kind that is checked, is refused.
	for _, del := range []domain.Deletion{{Kind: "office", ID: "CA-SD"}, {Kind: "participant", ID: bruno},
		{Kind: "case", ID: "C-1"}} {
		_, err := db.Import(ctx, &domain.Export{Format: e.Format, Agency: e.Agency, Generated: e.Generated,
			Deletions: []domain.Deletion{del}})
		var inv *Invalid
		if !errors.As(err, &inv) {
			t.Fatalf("deleting %v: %v", del, err)
		}
	}

	// Deletions of every kind, with every check of what may still refer to them: a case with
	// its records, a participant who had only that case, an office with nothing left in it.
	del := &domain.Export{Format: e.Format, Agency: e.Agency, Generated: e.Generated,
		Offices: []domain.Office{e.Offices[0], e.Offices[1], {ID: "CA-SF", Name: "San Francisco", Agency: "CA",
			TimeZone: "America/Los_Angeles"}},
		Staff: []domain.Staff{{ID: "S2", Name: "Ida Roth", Office: "CA-SF", Role: domain.FrontDesk,
			Password: domain.PIN{Verifier: testVerifier(t), Version: 1}}}}
	mustImport(t, db, del)
	del = &domain.Export{Format: e.Format, Agency: e.Agency, Generated: e.Generated, Deletions: []domain.Deletion{
		{Kind: "payment", ID: "P-3"}, {Kind: "document", ID: "DOC-2"}, {Kind: "case", ID: "C-3"},
		{Kind: "participant", ID: "1000000005"}, {Kind: "staff", ID: "S2"}, {Kind: "office", ID: "CA-SF"},
		{Kind: "payment", ID: "P-404"},
	}}
	r = mustImport(t, db, del)
	for _, k := range []string{"payment", "document", "case", "participant", "staff", "office"} {
		if r.Kind(k).Deleted != 1 {
			t.Fatalf("%s not deleted:\n%s", k, r)
		}
	}
	del = &domain.Export{Format: e.Format, Agency: e.Agency, Generated: e.Generated, Deletions: []domain.Deletion{
		{Kind: "disbursement", ID: "D-3"}, {Kind: "appointment", ID: "A-2"}, {Kind: "message", ID: "M-2"}}}
	if r = mustImport(t, db, del); r.FeedChanges == 0 {
		t.Fatalf("deletions changed no view:\n%s", r)
	}
}

// TestSchemaMigrates opens a file of schema version 3, without the indexes of version 4: it
// gets them, and keeps its data; a file of a later version is refused.
func TestSchemaMigrates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cases.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, db, smallExport(t))
	seq := lastSeq(t, db)
	for _, q := range []string{`DROP INDEX payments_owner`, `DROP INDEX disbursements_owner`, `PRAGMA user_version = 3`} {
		if _, err := db.sql.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var version, indexes int
	if err := db.sql.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := db.sql.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'
		AND name IN ('payments_owner', 'disbursements_owner')`).Scan(&indexes); err != nil {
		t.Fatal(err)
	}
	if version != schemaVersion || indexes != 2 || lastSeq(t, db) != seq {
		t.Fatalf("after the upgrade: version %d, %d of 2 indexes, feed at %d (was %d)", version, indexes, lastSeq(t, db), seq)
	}
	if _, err := db.sql.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err := Open(path); err == nil {
		db.Close()
		t.Fatal("a file of schema 99 was opened")
	}
}
