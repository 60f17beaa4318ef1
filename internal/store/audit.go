package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type auditRow struct {
	ID           int64 `gorm:"primaryKey;autoIncrement:false"`
	AssessmentID int64
	Actor        string
	Action       string
	Detail       string
	At           time.Time
	PrevHash     string
	Hash         string
}

func (auditRow) TableName() string { return "audit_events" }

func (r *auditRow) domain() *rw.AuditEvent {
	return &rw.AuditEvent{ID: r.ID, AssessmentID: r.AssessmentID, Actor: r.Actor, Action: r.Action, Detail: r.Detail,
		At: r.At.UTC(), PrevHash: r.PrevHash, Hash: r.Hash}
}

// auditLockID is the PostgreSQL transaction lock key that serialises appends to the chain
// ("rwau" in ASCII). SQLite serialises writers by itself (immediate transactions).
const auditLockID = 0x72776175

// appendAudit adds ev to the chain inside tx: it takes the last entry's hash as PrevHash and the
// next ID, then stores the entry with its hash.
func (db *DB) appendAudit(tx *gorm.DB, ev rw.AuditEvent) error {
	if db.Dialect == Postgres {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, auditLockID).Error; err != nil {
			return err
		}
	}
	var last auditRow
	err := tx.Order("id DESC").Limit(1).Find(&last).Error
	if err != nil {
		return err
	}
	ev.ID, ev.PrevHash = last.ID+1, last.Hash
	if last.ID == 0 {
		ev.PrevHash = rw.GenesisHash
	}
	// Stored with microsecond precision (PostgreSQL's), so the hash must cover exactly that.
	ev.At = db.Now().Truncate(time.Microsecond)
	ev.Hash = ev.ComputeHash()
	r := auditRow{ID: ev.ID, AssessmentID: ev.AssessmentID, Actor: ev.Actor, Action: ev.Action, Detail: ev.Detail,
		At: ev.At, PrevHash: ev.PrevHash, Hash: ev.Hash}
	return tx.Create(&r).Error
}

// AppendAudit records an event that is not part of another change.
func (db *DB) AppendAudit(ctx context.Context, ev rw.AuditEvent) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.appendAudit(tx, ev) })
}

// FindAuditEvents returns the events about one assessment, oldest first.
func (db *DB) FindAuditEvents(ctx context.Context, assessmentID int64) ([]*rw.AuditEvent, error) {
	var rows []auditRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.AuditEvent, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// VerifyAudit re-computes the whole chain, in pages, and returns the number of entries checked.
func (db *DB) VerifyAudit(ctx context.Context) (int, error) {
	prev, n := rw.GenesisHash, 0
	var after int64
	for {
		var rows []auditRow
		if err := db.q(ctx).Where("id > ?", after).Order("id").Limit(1000).Find(&rows).Error; err != nil {
			return n, err
		}
		if len(rows) == 0 {
			return n, nil
		}
		for i := range rows {
			e := rows[i].domain()
			if e.PrevHash != prev {
				return n, rw.Errorf(rw.EINVALID, "Audit event %d does not follow the one before it (chain broken).", e.ID)
			}
			if e.ComputeHash() != e.Hash {
				return n, rw.Errorf(rw.EINVALID, "Audit event %d was altered (hash mismatch).", e.ID)
			}
			prev = e.Hash
			n++
		}
		after = rows[len(rows)-1].ID
	}
}
