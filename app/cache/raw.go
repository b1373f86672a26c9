package cache

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/mattn/go-sqlite3"
)

// store is what the sync writes go through: a database/sql transaction, or the driver's own
// connection inside ApplyBatch, where database/sql's cost per statement would be most of the
// cost of a bulk load.
type store interface {
	exec(query string, args ...any) error
	// int reads one integer; no row is sql.ErrNoRows.
	int(query string, args ...any) (int64, error)
	// text reads one string; no row is sql.ErrNoRows.
	text(query string, args ...any) (string, error)
}

// sqlStore is a store over a *sql.DB or a *sql.Tx.
type sqlStore struct {
	db interface {
		Exec(query string, args ...any) (sql.Result, error)
		QueryRow(query string, args ...any) *sql.Row
	}
}

func (t sqlStore) exec(query string, args ...any) error {
	_, err := t.db.Exec(query, args...)
	return err
}

func (t sqlStore) int(query string, args ...any) (int64, error) {
	var v int64
	err := t.db.QueryRow(query, args...).Scan(&v)
	return v, err
}

func (t sqlStore) text(query string, args ...any) (string, error) {
	var v string
	err := t.db.QueryRow(query, args...).Scan(&v)
	return v, err
}

// rawConn is the driver's connection, used only while database/sql has lent it (Conn.Raw).
type rawConn struct{ c *sqlite3.SQLiteConn }

func named(args []any) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

func (r rawConn) exec(query string, args ...any) error {
	_, err := r.c.ExecContext(context.Background(), query, named(args))
	return err
}

func (r rawConn) int(query string, args ...any) (int64, error) {
	v, err := r.one(query, args)
	switch v := v.(type) {
	case int64:
		return v, err
	case nil:
		return 0, err
	}
	return 0, fmt.Errorf("cache: %T where an integer was expected", v)
}

func (r rawConn) text(query string, args ...any) (string, error) {
	v, err := r.one(query, args)
	switch v := v.(type) {
	case string:
		return v, err
	case []byte:
		return string(v), err
	case nil:
		return "", err
	}
	return "", fmt.Errorf("cache: %T where text was expected", v)
}

// one reads the first column of the first row; no row is sql.ErrNoRows.
func (r rawConn) one(query string, args []any) (driver.Value, error) {
	rows, err := r.c.QueryContext(context.Background(), query, named(args))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	dest := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(dest); err == io.EOF {
		return nil, sql.ErrNoRows
	} else if err != nil {
		return nil, err
	}
	return dest[0], nil
}

// rawStmt is a prepared statement on a rawConn that reuses its argument list.
type rawStmt struct {
	st   driver.Stmt
	args []driver.NamedValue
	dest []driver.Value
}

func (r rawConn) prepare(query string) (*rawStmt, error) {
	st, err := r.c.Prepare(query)
	if err != nil {
		return nil, err
	}
	return &rawStmt{st: st}, nil
}

func (s *rawStmt) close() {
	if s != nil {
		s.st.Close()
	}
}

func (s *rawStmt) bind(args []any) []driver.NamedValue {
	s.args = s.args[:0]
	for i, a := range args {
		s.args = append(s.args, driver.NamedValue{Ordinal: i + 1, Value: a})
	}
	return s.args
}

// run executes the statement through the driver's query path: go-sqlite3 binds every
// argument and steps the statement in one crossing into C there, where Exec crosses once per
// argument. Reading the (empty) result to its end makes sure the statement ran, whenever the
// driver steps it.
func (s *rawStmt) run(args ...any) error {
	rows, err := s.st.(driver.StmtQueryContext).QueryContext(context.Background(), s.bind(args))
	if err != nil {
		return err
	}
	if cap(s.dest) < len(rows.Columns()) {
		s.dest = make([]driver.Value, len(rows.Columns()))
	}
	for {
		if err = rows.Next(s.dest[:len(rows.Columns())]); err != nil {
			break
		}
	}
	if err == io.EOF {
		err = nil
	}
	clear(s.args)
	return errors.Join(err, rows.Close())
}

// int runs a query of one integer column; no row is 0, false.
func (s *rawStmt) int(args ...any) (int64, bool, error) {
	rows, err := s.st.(driver.StmtQueryContext).QueryContext(context.Background(), s.bind(args))
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	dest := []driver.Value{nil}
	if err := rows.Next(dest); err == io.EOF {
		return 0, false, nil
	} else if err != nil {
		return 0, false, err
	}
	v, _ := dest[0].(int64)
	return v, true, nil
}
