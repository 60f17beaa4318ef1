package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	rw "routewarden/internal/routewarden"
)

type invitationRow struct {
	ID           int64 `gorm:"primaryKey"`
	AssessmentID int64
	Email        string
	Section      string
	TokenHash    string
	Purpose      string
	CreatedBy    string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	RevokedAt    *time.Time
	LastUsedAt   *time.Time
}

func (invitationRow) TableName() string { return "invitations" }

func (r *invitationRow) domain() *rw.Invitation {
	return &rw.Invitation{ID: r.ID, AssessmentID: r.AssessmentID, Email: r.Email, Section: r.Section, TokenHash: r.TokenHash,
		Purpose: r.Purpose, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(),
		RevokedAt: utcPtr(r.RevokedAt), LastUsedAt: utcPtr(r.LastUsedAt)}
}

type portalSessionRow struct {
	TokenHash    string `gorm:"primaryKey"`
	InvitationID int64
	AssessmentID int64
	Email        string
	Section      string
	CSRFToken    string `gorm:"column:csrf_token"`
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

func (portalSessionRow) TableName() string { return "portal_sessions" }

// CreateInvitation stores a new link; with revokeOthers the open links for the same assessment,
// e-mail and section are revoked first, so only the newest link works.
func (db *DB) CreateInvitation(ctx context.Context, inv *rw.Invitation, revokeOthers bool) error {
	now := db.Now()
	inv.Email = rw.NormalizeEmail(inv.Email)
	if !rw.ValidEmail(inv.Email) {
		return rw.FieldError("email", "Invite an e-mail address such as noc@example.net (got %q).", inv.Email)
	}
	r := invitationRow{AssessmentID: inv.AssessmentID, Email: inv.Email, Section: inv.Section, TokenHash: inv.TokenHash, Purpose: inv.Purpose,
		CreatedBy: inv.CreatedBy, CreatedAt: now, ExpiresAt: inv.ExpiresAt}
	return db.tx(ctx, func(tx *gorm.DB) error {
		if revokeOthers {
			err := tx.Model(&invitationRow{}).Where("assessment_id = ? AND email = ? AND section = ? AND revoked_at IS NULL",
				inv.AssessmentID, inv.Email, inv.Section).Update("revoked_at", now).Error
			if err != nil {
				return err
			}
		}
		if err := tx.Create(&r).Error; err != nil {
			return translate(err, "invitation")
		}
		inv.ID, inv.CreatedAt = r.ID, now
		return db.appendAudit(tx, rw.Event(inv.AssessmentID, inv.CreatedBy, "invitation."+inv.Purpose, "link for %s%s, expires %s",
			inv.Email, sectionNote(inv.Section), inv.ExpiresAt.Format(time.DateOnly)))
	})
}

func sectionNote(s string) string {
	if s == "" {
		return ""
	}
	return " (section " + s + ")"
}

// FindInvitationByToken returns the invitation with the given token hash, even if expired or
// revoked (the caller says which), and marks it used.
func (db *DB) FindInvitationByToken(ctx context.Context, tokenHash string) (*rw.Invitation, error) {
	var r invitationRow
	if err := db.q(ctx).Where("token_hash = ?", tokenHash).Take(&r).Error; err != nil {
		return nil, translate(err, "invitation")
	}
	now := db.Now()
	_ = db.q(ctx).Model(&invitationRow{}).Where("id = ?", r.ID).Update("last_used_at", now).Error
	return r.domain(), nil
}

// FindInvitations lists the links of an assessment, newest first.
func (db *DB) FindInvitations(ctx context.Context, assessmentID int64) ([]*rw.Invitation, error) {
	var rows []invitationRow
	if err := db.q(ctx).Where("assessment_id = ?", assessmentID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*rw.Invitation, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

// RevokeInvitation revokes one link of the assessment and ends the portal sessions it opened.
func (db *DB) RevokeInvitation(ctx context.Context, assessmentID, id int64, actor string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var r invitationRow
		if err := tx.Where("assessment_id = ? AND id = ?", assessmentID, id).Take(&r).Error; err != nil {
			return translate(err, "invitation")
		}
		if r.RevokedAt == nil {
			if err := tx.Model(&invitationRow{}).Where("id = ?", id).Update("revoked_at", db.Now()).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("invitation_id = ?", id).Delete(&portalSessionRow{}).Error; err != nil {
			return err
		}
		return db.appendAudit(tx, rw.Event(assessmentID, actor, "invitation.revoked", "link %d for %s", id, r.Email))
	})
}

// CreatePortalSession stores a portal session and removes expired ones.
func (db *DB) CreatePortalSession(ctx context.Context, s *rw.PortalSession) error {
	now := db.Now()
	if err := db.q(ctx).Where("expires_at < ?", now).Delete(&portalSessionRow{}).Error; err != nil {
		return err
	}
	r := portalSessionRow{TokenHash: s.TokenHash, InvitationID: s.InvitationID, AssessmentID: s.AssessmentID, Email: s.Email, Section: s.Section,
		CSRFToken: s.CSRFToken, CreatedAt: now, ExpiresAt: s.ExpiresAt}
	s.CreatedAt = now
	return translate(db.q(ctx).Create(&r).Error, "portal session")
}

// FindPortalSession returns the unexpired portal session whose invitation is still usable.
func (db *DB) FindPortalSession(ctx context.Context, tokenHash string, now time.Time) (*rw.PortalSession, error) {
	var r portalSessionRow
	err := db.q(ctx).Table("portal_sessions AS s").Joins("JOIN invitations i ON i.id = s.invitation_id").
		Select("s.*").Where("s.token_hash = ? AND s.expires_at > ? AND i.revoked_at IS NULL AND i.expires_at > ?", tokenHash, now, now).
		Take(&r).Error
	if err != nil {
		return nil, unauthorized(translate(err, "portal session"))
	}
	return &rw.PortalSession{TokenHash: r.TokenHash, InvitationID: r.InvitationID, AssessmentID: r.AssessmentID, Email: r.Email,
		Section: r.Section, CSRFToken: r.CSRFToken, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}, nil
}

func unauthorized(err error) error {
	if rw.ErrorCode(err) == rw.ENOTFOUND {
		return rw.Errorf(rw.EUNAUTHORIZED, "Your link has expired or was withdrawn. Ask your contact for a new one.")
	}
	return err
}

// AssessmentsToRemind lists the assessments the vendor still owes answers on whose reminder
// (7, 3, 1 days before the due date, or overdue) is due at now and has not been sent yet.
func (db *DB) AssessmentsToRemind(ctx context.Context, now time.Time) ([]*rw.Assessment, error) {
	list, _, err := db.FindAssessments(ctx, rw.AssessmentFilter{States: []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateChangesRequested}, Limit: 10000})
	if err != nil {
		return nil, err
	}
	var out []*rw.Assessment
	for _, a := range list {
		p := rw.ReminderPurpose(a.DueDate, now)
		if p == "" || a.ContactEmail == "" {
			continue
		}
		var n int64
		if err := db.q(ctx).Model(&invitationRow{}).Where("assessment_id = ? AND purpose = ? AND section = ''", a.ID, p).Count(&n).Error; err != nil {
			return nil, err
		}
		if n == 0 {
			out = append(out, a)
		}
	}
	return out, nil
}
