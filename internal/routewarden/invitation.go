package routewarden

import (
	"strings"
	"time"
)

// Invitation is a link that lets a vendor contact without an account into one assessment (or
// one section of it, when delegated). Only the SHA-256 of its token is stored. Each reminder
// revokes the previous link and issues a new one.
type Invitation struct {
	ID           int64
	AssessmentID int64
	Email        string
	Section      string // "" for the whole questionnaire; a control family ID when delegated
	TokenHash    string
	Purpose      string // "invitation", "reminder-7", "reminder-3", "reminder-1", "overdue", "delegation"
	CreatedBy    string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	RevokedAt    *time.Time
	LastUsedAt   *time.Time
}

// Usable reports why the invitation cannot be used at now, or "" when it can.
func (i *Invitation) Usable(now time.Time) string {
	switch {
	case i.RevokedAt != nil:
		return "revoked"
	case !now.Before(i.ExpiresAt):
		return "expired"
	}
	return ""
}

// PortalSession binds a browser to one assessment after it opened an invitation link.
type PortalSession struct {
	TokenHash    string
	InvitationID int64
	AssessmentID int64
	Email        string
	Section      string
	CSRFToken    string
	CreatedAt    time.Time
	ExpiresAt    time.Time
}

// Actor returns the audit actor name of the portal visitor.
func (p *PortalSession) Actor() string { return "vendor:" + p.Email }

// Mail is one message in the outbox. A worker sends it and retries with back-off on failure.
type Mail struct {
	ID            int64
	To            string
	Subject       string
	Body          string
	Attempts      int
	NextAttemptAt time.Time
	SentAt        *time.Time
	LastError     string
	CreatedAt     time.Time
}

// Validate checks the recipient and the subject line (no header injection).
func (m *Mail) Validate() error {
	m.To = NormalizeEmail(m.To)
	if !ValidEmail(m.To) {
		return FieldError("to", "Recipient %q is not an e-mail address.", m.To)
	}
	if strings.ContainsAny(m.Subject, "\r\n") || m.Subject == "" {
		return FieldError("subject", "Subject must be one non-empty line.")
	}
	return nil
}

// ReminderPurpose returns the reminder due at now for an assessment due on due (UTC midnight):
// 7, 3 and 1 days before, and once overdue; "" when none is due today.
func ReminderPurpose(due, now time.Time) string {
	days := int(due.Sub(now.Truncate(24*time.Hour)).Hours() / 24)
	switch {
	case days < 0:
		return "overdue"
	case days == 7:
		return "reminder-7"
	case days == 3:
		return "reminder-3"
	case days == 1:
		return "reminder-1"
	}
	return ""
}
