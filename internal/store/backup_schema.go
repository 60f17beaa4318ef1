package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// Kind is the portable type of a column in a backup: the same on SQLite and PostgreSQL, so an
// archive made on one loads into the other.
type Kind string

// Column kinds of a backup.
const (
	KindInt   Kind = "int"
	KindFloat Kind = "float"
	KindText  Kind = "text"
	KindBool  Kind = "bool"
	KindTime  Kind = "time"
	KindBytes Kind = "bytes"
)

// Column is one column of a backed-up table. Serial marks the column a sequence numbers
// (PostgreSQL identity or serial, SQLite AUTOINCREMENT).
type Column struct {
	Name   string `json:"name"`
	Kind   Kind   `json:"kind"`
	Serial bool   `json:"serial,omitempty"`
}

// Table describes one table in a backup: its columns, and after a dump or load its row count,
// the highest number its sequence has handed out and a digest of its content that does not
// depend on the dialect or the row order.
type Table struct {
	Name     string   `json:"name"`
	Columns  []Column `json:"columns"`
	Key      []string `json:"primary_key,omitempty"`
	Rows     int64    `json:"rows"`
	Sequence int64    `json:"sequence,omitempty"`
	Digest   string   `json:"digest"`
	refs     []string // tables its foreign keys point to
}

// queryer is what the schema and row readers need: a transaction or a single connection.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// quoteIdent quotes a table or column name for both dialects.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// schemaTables reads the tables of the current schema, in an order where every table comes
// after the tables its foreign keys refer to. The migration bookkeeping table and the job
// queue's tables are not data and are left out.
func (db *DB) schemaTables(ctx context.Context, q queryer) ([]*Table, error) {
	names, err := db.tableNames(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var tables []*Table
	for _, n := range names {
		// The job queue's tables belong to River and hold work in flight, not data: a restored
		// instance schedules its periodic jobs anew and re-queues pending webhook deliveries.
		if n == "schema_migrations" || strings.HasPrefix(n, "river_") {
			continue
		}
		t := &Table{Name: n}
		if db.Dialect == Postgres {
			err = pgTable(ctx, q, t)
		} else {
			err = sqliteTable(ctx, q, t)
		}
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", n, err)
		}
		tables = append(tables, t)
	}
	return fkOrder(tables)
}

func (db *DB) tableNames(ctx context.Context, q queryer) ([]string, error) {
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`
	if db.Dialect == Postgres {
		query = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	return strings1(ctx, q, query)
}

// strings1 runs a query returning one text column.
func strings1(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func sqliteTable(ctx context.Context, q queryer, t *Table) error {
	ddl, err := strings1(ctx, q, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, t.Name)
	if err != nil || len(ddl) != 1 {
		return fmt.Errorf("read definition: %v", err)
	}
	autoinc := strings.Contains(strings.ToUpper(ddl[0]), "AUTOINCREMENT")
	rows, err := q.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, t.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	pk := map[int]string{}
	for rows.Next() {
		var name, typ string
		var pos int
		if err := rows.Scan(&name, &typ, &pos); err != nil {
			return err
		}
		kind, err := sqliteKind(typ)
		if err != nil {
			return fmt.Errorf("column %s: %w", name, err)
		}
		c := Column{Name: name, Kind: kind}
		if pos > 0 {
			pk[pos] = name
			c.Serial = autoinc && strings.EqualFold(typ, "INTEGER")
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := 1; i <= len(pk); i++ {
		t.Key = append(t.Key, pk[i])
	}
	t.refs, err = strings1(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, t.Name)
	return err
}

// sqliteKind maps a declared SQLite type to a kind, following SQLite's affinity rules with the
// names the migrations use for booleans and times.
func sqliteKind(decl string) (Kind, error) {
	d := strings.ToUpper(decl)
	switch {
	case strings.Contains(d, "BOOL"):
		return KindBool, nil
	case strings.Contains(d, "DATE"), strings.Contains(d, "TIME"):
		return KindTime, nil
	case strings.Contains(d, "INT"):
		return KindInt, nil
	case strings.Contains(d, "CHAR"), strings.Contains(d, "CLOB"), strings.Contains(d, "TEXT"):
		return KindText, nil
	case strings.Contains(d, "BLOB"):
		return KindBytes, nil
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return KindFloat, nil
	}
	return "", fmt.Errorf("type %q is not one the backup knows how to carry", decl)
}

func pgTable(ctx context.Context, q queryer, t *Table) error {
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type, is_identity = 'YES' OR coalesce(column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, t.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		var typ string
		if err := rows.Scan(&c.Name, &typ, &c.Serial); err != nil {
			return err
		}
		if c.Kind, err = pgKind(typ); err != nil {
			return fmt.Errorf("column %s: %w", c.Name, err)
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rel := quoteIdent(t.Name)
	if t.Key, err = strings1(ctx, q, `SELECT a.attname FROM pg_index i
		JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY k.n`, rel); err != nil {
		return err
	}
	t.refs, err = strings1(ctx, q, `SELECT DISTINCT c.relname FROM pg_constraint f JOIN pg_class c ON c.oid = f.confrelid
		WHERE f.contype = 'f' AND f.conrelid = $1::regclass`, rel)
	return err
}

func pgKind(typ string) (Kind, error) {
	switch typ {
	case "bigint", "integer", "smallint":
		return KindInt, nil
	case "double precision", "real":
		return KindFloat, nil
	case "text", "character varying", "character", "json", "jsonb":
		return KindText, nil
	case "boolean":
		return KindBool, nil
	case "timestamp with time zone", "timestamp without time zone", "date":
		return KindTime, nil
	case "bytea":
		return KindBytes, nil
	}
	return "", fmt.Errorf("type %q is not one the backup knows how to carry", typ)
}

// fkOrder sorts tables so that every table follows the ones it refers to (ties by name).
func fkOrder(tables []*Table) ([]*Table, error) {
	byName := map[string]*Table{}
	for _, t := range tables {
		byName[t.Name] = t
	}
	sort.Slice(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
	var out []*Table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t *Table) error
	visit = func(t *Table) error {
		switch state[t.Name] {
		case 1:
			return fmt.Errorf("the foreign keys of table %s form a cycle; the backup cannot order its tables", t.Name)
		case 2:
			return nil
		}
		state[t.Name] = 1
		for _, r := range t.refs {
			if dep, ok := byName[r]; ok && r != t.Name {
				if err := visit(dep); err != nil {
					return err
				}
			}
		}
		state[t.Name] = 2
		out = append(out, t)
		return nil
	}
	for _, t := range tables {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}
