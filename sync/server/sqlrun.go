package server

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// runner runs the SQL of one import, inside its transaction. Every statement of the import
// goes through a runner (and the feed's through feedQuery), prepared once per transaction and
// kept by its text: the import runs the same few statements millions of times, and
// TestQueryPlans sees every statement that runs, to read its plan. import.go, views.go and
// validate.go call no database/sql method themselves (TestSQLGoesThroughRunner).
type runner struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newRunner(tx *sql.Tx) *runner { return &runner{tx: tx, stmts: map[string]*sql.Stmt{}} }

// stmt is the prepared statement of query, prepared on first use.
func (r *runner) stmt(query string, nargs int) (*sql.Stmt, error) {
	if f := traceSQL.Load(); f != nil {
		(*f)(query, nargs)
	}
	if st, ok := r.stmts[query]; ok {
		return st, nil
	}
	st, err := r.tx.Prepare(query)
	if err != nil {
		return nil, err
	}
	r.stmts[query] = st
	return st, nil
}

func (r *runner) exec(query string, args ...any) (sql.Result, error) {
	st, err := r.stmt(query, len(args))
	if err != nil {
		return nil, err
	}
	return st.Exec(args...)
}

func (r *runner) query(query string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(query, len(args))
	if err != nil {
		return nil, err
	}
	return st.Query(args...)
}

// row is one row of a query, or the error of preparing it.
type row struct {
	r   *sql.Row
	err error
}

func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.r.Scan(dest...)
}

func (r *runner) queryRow(query string, args ...any) row {
	st, err := r.stmt(query, len(args))
	if err != nil {
		return row{err: err}
	}
	return row{r: st.QueryRow(args...)}
}

// close closes the prepared statements; the transaction is the caller's.
func (r *runner) close() {
	for _, st := range r.stmts {
		st.Close()
	}
	clear(r.stmts)
}

// feedQuery runs one of the feed's queries on the database.
func (d *DB) feedQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if f := traceSQL.Load(); f != nil {
		(*f)(query, len(args))
	}
	return d.sql.QueryContext(ctx, query, args...)
}

// traceSQL, when set (by tests), is told each statement a runner or the feed runs, with its
// number of arguments.
var traceSQL atomic.Pointer[func(query string, nargs int)]
