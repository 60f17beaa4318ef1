package store_test

import (
	"context"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// TestCancelEndsPortalSessions: cancelling an assessment deletes its portal sessions in the same
// transaction; the sessions of other assessments stay.
func TestCancelEndsPortalSessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := db.Now()
		var ids []int64
		for _, tok := range []string{"cancelled", "other"} {
			a := newAssessment(t, db)
			ids = append(ids, a.ID)
			inv := &rw.Invitation{AssessmentID: a.ID, Email: "noc@example.net", TokenHash: "inv-" + tok, Purpose: "invitation", CreatedBy: "p", ExpiresAt: now.Add(time.Hour)}
			if err := db.CreateInvitation(ctx, inv, false); err != nil {
				t.Fatal(err)
			}
			if err := db.CreatePortalSession(ctx, &rw.PortalSession{TokenHash: "sess-" + tok, InvitationID: inv.ID, AssessmentID: a.ID,
				Email: inv.Email, CSRFToken: "c", ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Transition(ctx, a.ID, rw.StateSent, rw.AuditEvent{Actor: "p"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Transition(ctx, ids[0], rw.StateCancelled, rw.AuditEvent{Actor: "p"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindPortalSession(ctx, "sess-cancelled", now); rw.ErrorCode(err) != rw.EUNAUTHORIZED {
			t.Errorf("session of the cancelled assessment: %v, want it gone", err)
		}
		if _, err := db.FindPortalSession(ctx, "sess-other", now); err != nil {
			t.Errorf("session of another assessment: %v", err)
		}
	})
}
