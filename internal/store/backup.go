package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Dump is what a backup read: the applied schema migrations and every table, each described
// after its rows were written.
type Dump struct {
	Dialect Dialect
	Schema  []Migration
	Tables  []*Table
}

// DumpRows writes one table's rows to w, one JSON array per line in column order, and fills the
// table's row count and digest. Progress is called every 10,000 rows.
type DumpRows func(w io.Writer, progress func(rows int64)) error

// Dump reads the whole database as one consistent snapshot — a single read transaction,
// REPEATABLE READ READ ONLY on PostgreSQL and a deferred transaction in WAL mode on SQLite, so
// writers carry on meanwhile — and hands each table to each, in foreign-key order, with a
// function that writes its rows.
func (db *DB) Dump(ctx context.Context, each func(t *Table, rows DumpRows) error) (*Dump, error) {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var q queryer
	if db.Dialect == Postgres {
		tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("begin read transaction: %w", err)
		}
		defer tx.Rollback()
		q = tx
	} else {
		// The driver's BeginTx would take the write lock (_txlock=immediate); a deferred
		// transaction reads one snapshot of the WAL from its first read on and blocks nobody.
		if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
			return nil, fmt.Errorf("begin read transaction: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		q = conn
	}
	d := &Dump{Dialect: db.Dialect}
	if d.Schema, err = appliedMigrations(ctx, q); err != nil {
		return nil, err
	}
	if d.Tables, err = db.schemaTables(ctx, q); err != nil {
		return nil, err
	}
	for _, t := range d.Tables {
		if t.Sequence, err = db.sequenceValue(ctx, q, t); err != nil {
			return nil, fmt.Errorf("table %s: sequence: %w", t.Name, err)
		}
		rows := func(w io.Writer, progress func(int64)) error { return writeRows(ctx, q, t, w, progress) }
		if err := each(t, rows); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// appliedMigrations lists the applied migrations, oldest first; none on a database never
// migrated.
func appliedMigrations(ctx context.Context, q queryer) ([]Migration, error) {
	rows, err := q.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("read the schema version (is the database migrated?): %w", err)
	}
	defer rows.Close()
	var out []Migration
	for rows.Next() {
		var m Migration
		if err := rows.Scan(&m.Version, &m.Name); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// sequenceValue is the highest number the table's sequence has handed out (rows may have been
// deleted since), so a restore never hands out an old ID again.
func (db *DB) sequenceValue(ctx context.Context, q queryer, t *Table) (int64, error) {
	col := serialColumn(t)
	if col == "" {
		return 0, nil
	}
	var query string
	var args []any
	if db.Dialect == Postgres {
		seq, err := strings1(ctx, q, `SELECT coalesce(pg_get_serial_sequence($1, $2), '')`, quoteIdent(t.Name), col)
		if err != nil || len(seq) != 1 || seq[0] == "" {
			return 0, err
		}
		query = `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ` + seq[0]
	} else {
		query, args = `SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = ?`, []any{t.Name}
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

func serialColumn(t *Table) string {
	for _, c := range t.Columns {
		if c.Serial {
			return c.Name
		}
	}
	return ""
}

func selectAll(t *Table, cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.Name)
	}
	query := "SELECT " + strings.Join(names, ", ") + " FROM " + quoteIdent(t.Name)
	if len(t.Key) > 0 {
		keys := make([]string, len(t.Key))
		for i, k := range t.Key {
			keys[i] = quoteIdent(k)
		}
		query += " ORDER BY " + strings.Join(keys, ", ")
	}
	return query
}

// scanRows runs fn for every row of the table, read as the given columns and normalised.
func scanRows(ctx context.Context, q queryer, t *Table, cols []Column, fn func(row []any) error) error {
	rows, err := q.QueryContext(ctx, selectAll(t, cols))
	if err != nil {
		return err
	}
	defer rows.Close()
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	row := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			v, err := normalize(c.Kind, raw[i])
			if err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
			row[i] = v
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

func writeRows(ctx context.Context, q queryer, t *Table, w io.Writer, progress func(int64)) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var dg digester
	out := make([]any, len(t.Columns))
	t.Rows = 0
	err := scanRows(ctx, q, t, t.Columns, func(row []any) error {
		for i, v := range row {
			out[i] = archiveValue(v)
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
		t.Rows++
		if progress != nil && t.Rows%10000 == 0 {
			progress(t.Rows)
		}
		return dg.add(row)
	})
	if err != nil {
		return fmt.Errorf("table %s, row %d: %w", t.Name, t.Rows+1, err)
	}
	t.Digest = dg.sum()
	return bw.Flush()
}
