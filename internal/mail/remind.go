package mail

import (
	"context"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

// Reminders re-issues the invitation link of every assessment whose reminder is due (7, 3 and 1
// days before the due date, and once overdue) and queues the e-mail. The previous link stops
// working, so a forwarded old e-mail cannot be used after a reminder.
type Reminders struct {
	Store   rw.InvitationStore
	BaseURL string // e.g. https://routewarden.example.org
	Now     func() time.Time
}

// RunOnce sends the reminders due now and returns how many were queued.
func (r *Reminders) RunOnce(ctx context.Context) (int, error) {
	if r.BaseURL == "" {
		return 0, ErrNoPublicURL
	}
	now := r.Now()
	due, err := r.Store.AssessmentsToRemind(ctx, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range due {
		purpose := rw.ReminderPurpose(a.DueDate, now)
		raw := secret.NewToken("rwi_")
		exp := a.DueDate.Add(14 * 24 * time.Hour)
		if exp.Before(now.Add(7 * 24 * time.Hour)) {
			exp = now.Add(7 * 24 * time.Hour)
		}
		inv := &rw.Invitation{AssessmentID: a.ID, Email: a.ContactEmail, TokenHash: secret.HashToken(raw), Purpose: purpose,
			CreatedBy: "system", ExpiresAt: exp}
		if err := r.Store.CreateInvitation(ctx, inv, true); err != nil {
			return n, err
		}
		link := r.BaseURL + "/portal/open?token=" + raw
		if err := r.Store.EnqueueMail(ctx, &rw.Mail{To: a.ContactEmail, Subject: InvitationSubject(a, purpose), Body: InvitationBody(a, link, exp, "")}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
