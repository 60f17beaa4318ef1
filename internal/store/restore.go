package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	rw "routewarden/internal/routewarden"
)

// RestoreSource is a backup as Restore reads it: the schema migrations the data belongs to,
// the tables as Dump described them, and their rows.
type RestoreSource struct {
	Schema []Migration
	Tables []*Table
	// Open returns the rows of a table as Dump wrote them.
	Open func(t *Table) (io.ReadCloser, error)
}

// CheckSchema refuses an archive made by a newer Routewarden: one whose schema has a migration
// this binary does not know.
func (db *DB) CheckSchema(schema []Migration) error {
	known, _, err := db.migrationFiles()
	if err != nil {
		return err
	}
	have := map[int]bool{}
	for _, m := range known {
		have[m.Version] = true
	}
	for _, m := range schema {
		if !have[m.Version] {
			return rw.Errorf(rw.EINVALID, "The backup's schema is newer than this Routewarden (migration %04d_%s is unknown here); restore it with the version that made it or a later one.",
				m.Version, m.Name)
		}
	}
	return nil
}

// CheckEmpty refuses a database that holds any row of data (schema migrations aside).
func (db *DB) CheckEmpty(ctx context.Context) error {
	names, err := db.tableNames(ctx, db.sql)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	for _, n := range names {
		if n == "schema_migrations" {
			continue
		}
		var one int
		err := db.sql.QueryRowContext(ctx, "SELECT 1 FROM "+quoteIdent(n)+" LIMIT 1").Scan(&one)
		if err == nil {
			return rw.Errorf(rw.ECONFLICT, "The target database %s is not empty (table %s has rows); restore only into an empty database.",
				db.Redacted(), n)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("table %s: %w", n, err)
		}
	}
	return nil
}

// Restore loads a backup into this empty database: it applies the backup's schema
// migrations, inserts every table in foreign-key order in one transaction, sets the sequences,
// checks each table's row count and content digest against the backup before committing, and
// then applies the migrations that came after the backup. Nothing is kept when any step fails.
// Progress is called every 10,000 rows of a table and once when it is done.
func (db *DB) Restore(ctx context.Context, src RestoreSource, progress func(t *Table, rows int64, done bool)) error {
	if err := db.CheckSchema(src.Schema); err != nil {
		return err
	}
	if err := db.CheckEmpty(ctx); err != nil {
		return err
	}
	want := map[int]bool{}
	for _, m := range src.Schema {
		want[m.Version] = true
	}
	status, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	for _, m := range status {
		if m.AppliedAt != nil && !want[m.Version] {
			return rw.Errorf(rw.ECONFLICT, "The target database already has migration %04d_%s, which the backup predates; restore into a database that is not migrated yet.",
				m.Version, m.Name)
		}
	}
	if err := db.migrateOnly(ctx, want); err != nil {
		return err
	}
	if err := db.load(ctx, src, progress); err != nil {
		return err
	}
	_, err = db.MigrateUp(ctx)
	return err
}

// migrateOnly applies the pending migrations in the set, in order.
func (db *DB) migrateOnly(ctx context.Context, set map[int]bool) error {
	return db.withMigrationLock(ctx, func(conn *sql.Conn) error {
		if err := db.ensureMigrationTable(ctx); err != nil {
			return fmt.Errorf("migration table: %w", err)
		}
		status, err := db.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		_, bodies, err := db.migrationFiles()
		if err != nil {
			return err
		}
		for _, m := range status {
			if m.AppliedAt == nil && set[m.Version] {
				if err := db.applyMigration(ctx, conn, m, bodies[m.Version], db.Now()); err != nil {
					return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
				}
			}
		}
		return nil
	})
}

func (db *DB) load(ctx context.Context, src RestoreSource, progress func(t *Table, rows int64, done bool)) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.Dialect == SQLite {
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
	}
	target, err := db.schemaTables(ctx, tx)
	if err != nil {
		return err
	}
	byName := map[string]*Table{}
	for _, t := range src.Tables {
		byName[t.Name] = t
	}
	for _, t := range target {
		a := byName[t.Name]
		if a == nil {
			continue
		}
		delete(byName, t.Name)
		report := func(n int64, done bool) {
			if progress != nil {
				progress(a, n, done)
			}
		}
		if err := db.loadTable(ctx, tx, t, a, src, report); err != nil {
			return fmt.Errorf("restore table %s: %w", t.Name, err)
		}
		report(a.Rows, true)
	}
	for name := range byName {
		return rw.Errorf(rw.EINVALID, "The backup holds table %s, which this schema does not have.", name)
	}
	return tx.Commit()
}

// loadTable inserts the backup's rows of table a into the target table t, sets its sequence
// and checks the result against the backup's count and digest.
func (db *DB) loadTable(ctx context.Context, tx *sql.Tx, t, a *Table, src RestoreSource, report func(int64, bool)) error {
	cols, err := matchColumns(t, a)
	if err != nil {
		return err
	}
	r, err := src.Open(a)
	if err != nil {
		return err
	}
	defer r.Close()
	ins := &inserter{db: db, tx: tx, table: t.Name, cols: cols}
	dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
	dec.UseNumber()
	var n int64
	for {
		var raw []any
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return fmt.Errorf("row %d: %w", n+1, err)
		}
		n++
		if len(raw) != len(a.Columns) {
			return fmt.Errorf("row %d has %d values for %d columns", n, len(raw), len(a.Columns))
		}
		row := make([]any, len(raw))
		for i, c := range a.Columns {
			if row[i], err = decodeValue(c.Kind, raw[i]); err != nil {
				return fmt.Errorf("row %d, column %s: %w", n, c.Name, err)
			}
		}
		if err := ins.add(ctx, row); err != nil {
			return err
		}
		if n%10000 == 0 {
			report(n, false)
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	if err := db.setSequence(ctx, tx, t, a.Sequence); err != nil {
		return fmt.Errorf("sequence: %w", err)
	}
	return verifyTable(ctx, tx, t, cols, a)
}

// matchColumns returns the target's columns in the backup's order, refusing a backup column
// the target lacks or a kind that differs.
func matchColumns(t, a *Table) ([]Column, error) {
	have := map[string]Column{}
	for _, c := range t.Columns {
		have[c.Name] = c
	}
	cols := make([]Column, len(a.Columns))
	for i, c := range a.Columns {
		tc, ok := have[c.Name]
		if !ok {
			return nil, rw.Errorf(rw.EINVALID, "The backup has column %s.%s, which this schema does not have.", a.Name, c.Name)
		}
		if tc.Kind != c.Kind {
			return nil, rw.Errorf(rw.EINVALID, "Column %s.%s holds %s in the backup but %s here.", a.Name, c.Name, c.Kind, tc.Kind)
		}
		cols[i] = tc
	}
	return cols, nil
}

// verifyTable re-reads the restored table and compares its row count and digest with the
// backup's.
func verifyTable(ctx context.Context, q queryer, t *Table, cols []Column, a *Table) error {
	var dg digester
	var n int64
	if err := scanRows(ctx, q, t, cols, func(row []any) error { n++; return dg.add(row) }); err != nil {
		return err
	}
	if n != a.Rows {
		return fmt.Errorf("%d rows restored, the backup lists %d", n, a.Rows)
	}
	if got := dg.sum(); got != a.Digest {
		return fmt.Errorf("the restored rows differ from the backup's (digest %s, backup %s)", got, a.Digest)
	}
	return nil
}

// setSequence makes the table's sequence continue after both the highest ID restored and the
// highest the source had handed out.
func (db *DB) setSequence(ctx context.Context, tx *sql.Tx, t *Table, issued int64) error {
	col := serialColumn(t)
	if col == "" {
		return nil
	}
	var max int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max("+quoteIdent(col)+"), 0) FROM "+quoteIdent(t.Name)).Scan(&max); err != nil {
		return err
	}
	next := max
	if issued > next {
		next = issued
	}
	if db.Dialect == Postgres {
		if next == 0 {
			_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), 1, false)`, quoteIdent(t.Name), col)
			return err
		}
		_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), $3, true)`, quoteIdent(t.Name), col, next)
		return err
	}
	if next == 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?`, next, t.Name, next)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)`,
			t.Name, next, t.Name)
	}
	return err
}

// inserter batches rows into multi-row INSERT statements.
type inserter struct {
	db    *DB
	tx    *sql.Tx
	table string
	cols  []Column
	args  []any
	rows  int
	size  int
}

func (in *inserter) add(ctx context.Context, row []any) error {
	in.args = append(in.args, row...)
	in.rows++
	for _, v := range row {
		switch x := v.(type) {
		case []byte:
			in.size += len(x)
		case string:
			in.size += len(x)
		default:
			in.size += 8
		}
	}
	if in.rows >= 500 || len(in.args)+len(in.cols) > 30000 || in.size > 8<<20 {
		return in.flush(ctx)
	}
	return nil
}

func (in *inserter) flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	names := make([]string, len(in.cols))
	for i, c := range in.cols {
		names[i] = quoteIdent(c.Name)
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + quoteIdent(in.table) + " (" + strings.Join(names, ", ") + ") VALUES ")
	p := 0
	for r := 0; r < in.rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range in.cols {
			if c > 0 {
				b.WriteString(", ")
			}
			p++
			if in.db.Dialect == Postgres {
				b.WriteString("$" + strconv.Itoa(p))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	if _, err := in.tx.ExecContext(ctx, b.String(), in.args...); err != nil {
		return err
	}
	in.args, in.rows, in.size = in.args[:0], 0, 0
	return nil
}
