package store

import (
	"context"

	rw "routewarden/internal/routewarden"
)

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
