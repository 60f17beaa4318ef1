package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	rw "routewarden/internal/routewarden"
)

type outboxRow struct {
	ID            int64 `gorm:"primaryKey"`
	Recipient     string
	Subject       string
	Body          string
	BodySHA256    string `gorm:"column:body_sha256"`
	Attempts      int
	NextAttemptAt time.Time
	SentAt        *time.Time
	LastError     string
	CreatedAt     time.Time
}

func (outboxRow) TableName() string { return "outbox" }

func (r *outboxRow) domain() *rw.Mail {
	return &rw.Mail{ID: r.ID, To: r.Recipient, Subject: r.Subject, Body: r.Body, Attempts: r.Attempts, NextAttemptAt: r.NextAttemptAt.UTC(),
		SentAt: utcPtr(r.SentAt), LastError: r.LastError, CreatedAt: r.CreatedAt.UTC()}
}

// EnqueueMail adds a message to the outbox, due now. The body (which may carry a one-time link)
// stays only until the message is sent or given up; the SHA-256 of the body stays for good.
func (db *DB) EnqueueMail(ctx context.Context, m *rw.Mail) error {
	if err := m.Validate(); err != nil {
		return err
	}
	now := db.Now()
	sum := sha256.Sum256([]byte(m.Body))
	r := outboxRow{Recipient: m.To, Subject: m.Subject, Body: m.Body, BodySHA256: hex.EncodeToString(sum[:]), NextAttemptAt: now, CreatedAt: now}
	if err := db.q(ctx).Create(&r).Error; err != nil {
		return translate(err, "mail")
	}
	m.ID, m.CreatedAt, m.NextAttemptAt = r.ID, now, now
	return nil
}

// ClaimMail returns up to n unsent messages due at now and moves their next attempt to now+lease,
// so that another worker does not pick them up while this one sends.
func (db *DB) ClaimMail(ctx context.Context, now time.Time, n int, lease time.Duration) ([]*rw.Mail, error) {
	var rows []outboxRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Where("sent_at IS NULL AND next_attempt_at <= ?", now).Order("next_attempt_at, id").Limit(n)
		if db.Dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if err := tx.Model(&outboxRow{}).Where("id = ?", r.ID).Update("next_attempt_at", now.Add(lease)).Error; err != nil {
				return err
			}
		}
		return nil
	})
	out := make([]*rw.Mail, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, err
}

// MarkMailSent records a successful delivery and drops the body: the invitation link it carried
// must not stay at rest in the database (body_sha256 still identifies what was sent).
func (db *DB) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	return db.q(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(map[string]any{"sent_at": at, "attempts": gorm.Expr("attempts + 1"),
		"last_error": "", "body": ""}).Error
}

// GiveUpMail parks a message that will not be retried: it stays listed with its error for the
// administrator, and its body is dropped as at delivery.
func (db *DB) GiveUpMail(ctx context.Context, id int64, msg string) error {
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	return db.q(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(map[string]any{"next_attempt_at": db.Now().AddDate(100, 0, 0),
		"last_error": msg, "body": ""}).Error
}

// MarkMailFailed records a failed attempt and when to try again.
func (db *DB) MarkMailFailed(ctx context.Context, id int64, msg string, next time.Time) error {
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	return db.q(ctx).Model(&outboxRow{}).Where("id = ?", id).Updates(map[string]any{"next_attempt_at": next, "attempts": gorm.Expr("attempts + 1"), "last_error": msg}).Error
}

// FindMail lists the outbox, newest first, for the administration page and tests.
func (db *DB) FindMail(ctx context.Context, limitN int) ([]*rw.Mail, error) {
	var rows []outboxRow
	if err := db.q(ctx).Order("id DESC").Limit(limit(limitN)).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Mail, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}
