package store

import (
	"context"
	"fmt"

	rw "routewarden/internal/routewarden"
)

// QueryRows runs query and returns every row as column → value (bytes as text), for tests
// that must look at everything a table holds.
func (db *DB) QueryRows(ctx context.Context, query string, args ...any) ([]map[string]any, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := map[string]any{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				m[c] = string(b)
			} else {
				m[c] = fmt.Sprint(vals[i])
			}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AllAuditEvents returns every audit event in ID order; tests play the attacker with it.
func (db *DB) AllAuditEvents(ctx context.Context) ([]*rw.AuditEvent, error) {
	var rows []auditRow
	if err := db.q(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.AuditEvent, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// DropAuditGuards removes the append-only triggers, as someone with write access to the
// database would before rewriting the log.
func (db *DB) DropAuditGuards(ctx context.Context) error {
	qs := []string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}
	if db.Dialect == Postgres {
		qs = []string{`DROP TRIGGER audit_events_no_change ON audit_events`}
	}
	for _, q := range qs {
		if err := db.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
