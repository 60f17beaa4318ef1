package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// TestWorkflowWebhookEvents: submitting, approving and rejecting assessments and issuing and
// revoking attestations notify the webhooks subscribed to those events, in the transaction
// that makes the change; a webhook not subscribed gets nothing, and a refused change sends
// nothing.
func TestWorkflowWebhookEvents(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		all := &rw.Webhook{URL: "https://hooks.example.com/all", Secret: "0123456789abcdef", Enabled: true, CreatedBy: "admin@x",
			Events: []string{"assessment.submitted", "assessment.approved", "assessment.rejected", "attestation.issued", "attestation.revoked"}}
		alerts := &rw.Webhook{URL: "https://hooks.example.com/alerts", Secret: "0123456789abcdef", Enabled: true, CreatedBy: "admin@x",
			Events: []string{"alert.opened"}}
		for _, h := range []*rw.Webhook{all, alerts} {
			if err := db.CreateWebhook(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		queued := 0
		db.Enqueue = func(ctx context.Context, tx *sql.Tx, ids []int64) error {
			if tx == nil {
				t.Error("enqueue outside a transaction")
			}
			queued += len(ids)
			return nil
		}
		a := newAssessment(t, db)
		for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview} {
			if _, err := db.Transition(ctx, a.ID, st, rw.AuditEvent{Actor: "tester"}); err != nil {
				t.Fatal(st, err)
			}
		}
		if _, err := db.Transition(ctx, a.ID, rw.StateSubmitted, rw.AuditEvent{Actor: "tester"}); err == nil {
			t.Fatal("in_review → submitted was allowed")
		}
		if _, err := db.Transition(ctx, a.ID, rw.StateApproved, rw.AuditEvent{Actor: "risk@x"}); err != nil {
			t.Fatal(err)
		}
		att := sampleAttestation("%PDF-1.5 events")
		att.AssessmentID, att.VendorID = a.ID, a.VendorID
		if err := db.CreateAttestation(ctx, att); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RevokeAttestation(ctx, att.ID, "risk@x", "Issued with the wrong scope."); err != nil {
			t.Fatal(err)
		}
		b := newAssessment(t, db)
		for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateRejected} {
			if _, err := db.Transition(ctx, b.ID, st, rw.AuditEvent{Actor: "risk@x"}); err != nil {
				t.Fatal(st, err)
			}
		}

		ds, err := db.FindDeliveries(ctx, all.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"assessment.rejected", "assessment.submitted", "attestation.revoked", "attestation.issued", "assessment.approved", "assessment.submitted"}
		if len(ds) != len(want) {
			t.Fatalf("deliveries = %d, want %d: %+v", len(ds), len(want), ds)
		}
		for i, d := range ds { // newest first
			if d.Event != want[i] {
				t.Errorf("delivery %d: event %s, want %s", i, d.Event, want[i])
			}
		}
		if queued != len(want) {
			t.Errorf("queued %d deliveries, want %d", queued, len(want))
		}
		if other, _ := db.FindDeliveries(ctx, alerts.ID, 20); len(other) != 0 {
			t.Errorf("a webhook subscribed to alerts only got %d deliveries", len(other))
		}

		var approved struct {
			Type string `json:"type"`
			Data struct {
				Assessment rw.AssessmentEventJSON `json:"assessment"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(ds[4].Payload), &approved); err != nil {
			t.Fatal(err)
		}
		if g := approved.Data.Assessment; approved.Type != "assessment.approved" || g.ID != a.ID || g.From != "in_review" ||
			g.State != "approved" || g.Actor != "risk@x" || g.Vendor == "" || g.VendorID != a.VendorID {
			t.Errorf("assessment.approved payload = %+v", approved)
		}
		var revoked struct {
			Data struct {
				Attestation rw.AttestationEventJSON `json:"attestation"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(ds[2].Payload), &revoked); err != nil {
			t.Fatal(err)
		}
		if g := revoked.Data.Attestation; g.DocumentID != att.DocumentID || g.RevokedAt == nil || g.RevocationReason != "Issued with the wrong scope." || g.AssessmentID != a.ID {
			t.Errorf("attestation.revoked payload = %+v", g)
		}
		if json.Valid([]byte(ds[3].Payload)) && len(ds[3].Payload) > 4096 {
			t.Errorf("attestation.issued payload is %d bytes: the PDF must not travel in webhooks", len(ds[3].Payload))
		}
	})
}
