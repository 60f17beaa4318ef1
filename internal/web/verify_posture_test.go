package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
)

// TestVerifyWarnsOfPostureChange: a critical alert about the attested vendor that opens after
// issue does not break the signature — the verdict stays valid — but the verification page says
// the measured posture has changed since, naming the alert; an alert opened before issue does not.
func TestVerifyWarnsOfPostureChange(t *testing.T) {
	e := newAttestEnv(t)
	ctx := context.Background()
	_, att := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/attestations", e.assessmentIn(rw.StateApproved)), rw.RoleRiskOfficer, "{}")
	_, _, pdf := e.raw("GET", fmt.Sprintf("/api/v1/attestations/%v/pdf", att["id"]), rw.RoleAuditor, "")
	const warning = "The measured posture has changed since issue"
	if code, page := upload(t, e, "a.pdf", pdf); code != 200 || strings.Contains(page, warning) {
		t.Fatalf("before any new alert: %d, warning shown: %v", code, strings.Contains(page, warning))
	}
	vendorID := int64(att["vendor_id"].(float64))
	const summary = "AS64499 originates 203.0.113.0/24 RPKI-invalid (test)"
	at := time.Now().Add(time.Minute)
	out := &rw.RunOutcome{Run: rw.MonitorRun{StartedAt: at, FinishedAt: at, ASNs: 1},
		Conditions: []rw.Condition{{VendorID: vendorID, ASN: 64499, Rule: "rpki-invalid-origination", Control: "RS-ORIG-02",
			Severity: rw.SeverityCritical, Subject: "203.0.113.0/24 AS64499", Summary: summary}},
		Scope: map[string]bool{rw.AlertKey("rpki-invalid-origination", 64499, ""): true}}
	if _, err := e.db.RecordRun(ctx, out); err != nil {
		t.Fatal(err)
	}
	code, page := upload(t, e, "a.pdf", pdf)
	if code != 200 || !strings.Contains(page, warning) || !strings.Contains(page, summary) {
		t.Errorf("after a critical alert: %d; page lacks the posture warning naming the alert", code)
	}
	if strings.Contains(page, "Not valid") {
		t.Error("a posture change made the signed document invalid; it should only warn")
	}
}
