package assess_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/assess"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
)

type fixture struct {
	db       *store.DB
	svc      *assess.Service
	vendor   *rw.Vendor
	approved *rw.Assessment
}

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// newFixture is a vendor (AS64500, one contact) with an approved assessment and a current
// measurement that changed since: its ROA coverage fell to 40 %.
func newFixture(t *testing.T, mail bool) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	lib, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	v := &rw.Vendor{LegalName: "Nordic Transit AB", Country: "SE", Networks: []*rw.Network{{ASN: 64500}},
		Services: []*rw.Service{{Name: "IP transit", Type: "S05", Regulations: []string{"DORA"}, Substitutability: "medium_complexity", ProviderType: rw.ProviderTransit, Critical: true}},
		Contacts: []*rw.Contact{{Name: "NOC", Email: "noc@nordic.example", Role: "technical"}}}
	if err := db.CreateVendor(ctx, v); err != nil {
		t.Fatal(err)
	}
	svc := &assess.Service{Library: lib, Vendors: db, Assessments: db, Invitations: db, Snapshots: db,
		MailEnabled: mail, BaseURL: "https://rw.example.org", Now: func() time.Time { return now }}
	a, err := svc.Draft(ctx, v.ID, "Annual 2026", "", now.Add(30*24*time.Hour), "procurement@x")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved} {
		if a, err = db.Transition(ctx, a.ID, st, rw.AuditEvent{Actor: "risk@x"}); err != nil {
			t.Fatal(st, err)
		}
	}
	fig := 0.40
	if err := db.SaveCheckResults(ctx, []rw.CheckResult{{ASN: 64500, Check: "rpki.roa-coverage", Status: rw.StatusFail,
		Figure: &fig, Summary: "40 % of routes covered by a ROA", ComputedAt: now}}); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, svc: svc, vendor: v, approved: a}
}

func critical(id, vendorID int64) rw.AlertEvent {
	return rw.AlertEvent{Type: "alert.opened", Alert: rw.Alert{ID: id, VendorID: vendorID, VendorName: "Nordic Transit AB",
		ASN: 64500, Rule: "rpki-invalid-origination", Severity: rw.SeverityCritical, Summary: "AS64500 originates 192.0.2.0/24, RPKI invalid"}}
}

func TestReassessDraft(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	events := []rw.AlertEvent{critical(7, f.vendor.ID), critical(8, f.vendor.ID),
		{Type: "alert.opened", Alert: rw.Alert{ID: 9, VendorID: f.vendor.ID, Severity: rw.SeverityHigh, Rule: "upstream-lost"}},
		{Type: "alert.resolved", Alert: rw.Alert{ID: 3, VendorID: f.vendor.ID, Severity: rw.SeverityCritical}}}
	outs, err := f.svc.Reassess(ctx, assess.ModeDraft, events)
	if err != nil || len(outs) != 1 || outs[0].AssessmentID == 0 || outs[0].Sent {
		t.Fatalf("Reassess = %+v, %v; want one draft", outs, err)
	}
	a, err := f.db.FindAssessmentByID(ctx, outs[0].AssessmentID)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != rw.StateDraft || a.VendorID != f.vendor.ID || !strings.Contains(a.Title, "Re-assessment after critical alerts") ||
		a.ContactEmail != "noc@nordic.example" || a.DueDate.Before(now.Add(assess.ReassessDue-24*time.Hour)) {
		t.Errorf("re-assessment = %+v", a)
	}
	ms, err := f.db.FindMeasurements(ctx, a.ID)
	if err != nil || len(ms) != 1 || ms[0].Check != "rpki.roa-coverage" || ms[0].Figure == nil || *ms[0].Figure != 0.40 {
		t.Errorf("measurements of the re-assessment = %+v, %v; want the new ROA coverage", ms, err)
	}
	cs, err := f.db.FindComments(ctx, a.ID)
	if err != nil || len(cs) != 1 || !strings.Contains(cs[0].Body, "#7") || !strings.Contains(cs[0].Body, "#8") ||
		strings.Contains(cs[0].Body, "#9") || !strings.Contains(cs[0].Body, "approved assessment #") {
		t.Errorf("comment = %+v, %v; want the two critical alerts and the approved assessment named", cs, err)
	}

	// A second critical alert while the re-assessment is open opens nothing more.
	outs, err = f.svc.Reassess(ctx, assess.ModeDraft, []rw.AlertEvent{critical(10, f.vendor.ID)})
	if err != nil || len(outs) != 1 || outs[0].AssessmentID != 0 || !strings.Contains(outs[0].Note, "already open") {
		t.Errorf("with one open: %+v, %v", outs, err)
	}
	if _, n, _ := f.db.FindAssessments(ctx, rw.AssessmentFilter{VendorID: f.vendor.ID}); n != 2 {
		t.Errorf("assessments of the vendor = %d, want 2", n)
	}
}

func TestReassessOnlyAfterApproval(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	// Off does nothing.
	if outs, err := f.svc.Reassess(ctx, assess.ModeOff, []rw.AlertEvent{critical(1, f.vendor.ID)}); err != nil || len(outs) != 0 {
		t.Errorf("off: %+v, %v", outs, err)
	}
	// A vendor whose latest decided assessment was rejected gets none.
	other := &rw.Vendor{LegalName: "Rejected Carrier SA", Country: "FR", Networks: []*rw.Network{{ASN: 64501}},
		Services: []*rw.Service{{Name: "Transit", Type: "S05", Regulations: []string{"NIS2"}, Substitutability: "highly_complex", ProviderType: rw.ProviderTransit}},
		Contacts: []*rw.Contact{{Name: "NOC", Email: "noc@rc.example", Role: "technical"}}}
	if err := f.db.CreateVendor(ctx, other); err != nil {
		t.Fatal(err)
	}
	a, err := f.svc.Draft(ctx, other.ID, "", "", now.Add(24*time.Hour), "p@x")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateRejected} {
		if _, err := f.db.Transition(ctx, a.ID, st, rw.AuditEvent{Actor: "risk@x"}); err != nil {
			t.Fatal(err)
		}
	}
	outs, err := f.svc.Reassess(ctx, assess.ModeDraft, []rw.AlertEvent{critical(2, other.ID)})
	if err != nil || len(outs) != 1 || outs[0].AssessmentID != 0 || outs[0].Note != "no approved assessment to re-open" {
		t.Errorf("rejected vendor: %+v, %v", outs, err)
	}
}

func TestReassessSend(t *testing.T) {
	ctx := context.Background()
	t.Run("mail configured", func(t *testing.T) {
		f := newFixture(t, true)
		outs, err := f.svc.Reassess(ctx, assess.ModeSend, []rw.AlertEvent{critical(1, f.vendor.ID)})
		if err != nil || len(outs) != 1 || !outs[0].Sent {
			t.Fatalf("send: %+v, %v", outs, err)
		}
		a, _ := f.db.FindAssessmentByID(ctx, outs[0].AssessmentID)
		if a.State != rw.StateSent {
			t.Errorf("state = %s, want sent", a.State)
		}
		invs, err := f.db.FindInvitations(ctx, a.ID)
		if err != nil || len(invs) != 1 || invs[0].Email != "noc@nordic.example" || invs[0].CreatedBy != "monitor" {
			t.Errorf("invitations = %+v, %v", invs, err)
		}
	})
	t.Run("no mail", func(t *testing.T) {
		f := newFixture(t, false)
		outs, err := f.svc.Reassess(ctx, assess.ModeSend, []rw.AlertEvent{critical(1, f.vendor.ID)})
		if err != nil || len(outs) != 1 || outs[0].Sent || !strings.Contains(outs[0].Note, "e-mail is not configured") {
			t.Fatalf("send without mail: %+v, %v", outs, err)
		}
		a, _ := f.db.FindAssessmentByID(ctx, outs[0].AssessmentID)
		if a.State != rw.StateDraft {
			t.Errorf("state = %s, want draft", a.State)
		}
		cs, _ := f.db.FindComments(ctx, a.ID)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "not sent: e-mail is not configured") {
			t.Errorf("comment = %+v", cs)
		}
	})
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]assess.Mode{"": assess.ModeOff, "off": assess.ModeOff, "Draft": assess.ModeDraft, " send ": assess.ModeSend} {
		if got, err := assess.ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := assess.ParseMode("always"); err == nil || !strings.Contains(err.Error(), "ROUTEWARDEN_REASSESS_ON_CRITICAL") {
		t.Errorf("ParseMode(always) = %v; want an error naming the setting", err)
	}
}
