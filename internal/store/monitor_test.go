package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
)

func cond(rule, subject string, sev rw.Severity) rw.Condition {
	return rw.Condition{VendorID: 0, ASN: 64500, Rule: rule, Control: "RS-ORIG-02", Severity: sev, Subject: subject,
		Summary: "AS64500: " + rule + " " + subject, Evidence: []rw.Detail{{Kind: "route", Prefix: subject}}}
}

func outcome(at time.Time, results []rw.CheckResult, cs ...rw.Condition) *rw.RunOutcome {
	return &rw.RunOutcome{Run: rw.MonitorRun{StartedAt: at, FinishedAt: at, ASNs: 1, Results: len(results)},
		Results: results, Changed: results, Conditions: cs,
		Scope: map[string]bool{rw.AlertKey("rpki-invalid-origination", 64500, ""): true}}
}

// TestAlertLifecycle: an alert opens once per rule × ASN × subject, stays one alert while the
// condition holds, resolves when it clears, and each change is in the audit log and queued
// for webhooks in the same transaction.
func TestAlertLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		hook := &rw.Webhook{URL: "https://hooks.example.com/rw", Secret: "0123456789abcdef", Events: []string{"alert.opened", "alert.resolved"}, Enabled: true, CreatedBy: "admin@x"}
		if err := db.CreateWebhook(ctx, hook); err != nil {
			t.Fatal(err)
		}
		var queued []int64
		db.Enqueue = func(ctx context.Context, tx *sql.Tx, ids []int64) error {
			if tx == nil {
				t.Error("enqueue outside a transaction")
			}
			queued = append(queued, ids...)
			return nil
		}
		t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		a := cond("rpki-invalid-origination", "198.51.100.0/24 AS64500", rw.SeverityCritical)
		evs, err := db.RecordRun(ctx, outcome(t0, nil, a, a))
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Type != "alert.opened" {
			t.Fatalf("first pass events = %+v, want one alert.opened (duplicates in one pass merge)", evs)
		}
		if evs, _ = db.RecordRun(ctx, outcome(t0.Add(time.Hour), nil, a)); len(evs) != 0 {
			t.Errorf("second pass with the same condition: events %+v, want none", evs)
		}
		open, err := db.FindAlerts(ctx, rw.AlertFilter{State: "open"})
		if err != nil || len(open) != 1 || !open[0].LastSeenAt.Equal(t0.Add(time.Hour)) || !open[0].OpenedAt.Equal(t0) {
			t.Fatalf("open alerts = %+v, %v", open, err)
		}
		// A condition outside the pass's scope is not resolved by its absence.
		other := cond("upstream-added", "AS64512", rw.SeverityLow)
		if _, err := db.RecordRun(ctx, outcome(t0.Add(2*time.Hour), nil, a, other)); err != nil {
			t.Fatal(err)
		}
		evs, err = db.RecordRun(ctx, outcome(t0.Add(3*time.Hour), nil))
		if err != nil || len(evs) != 1 || evs[0].Type != "alert.resolved" || evs[0].Alert.Subject != a.Subject {
			t.Fatalf("clearing pass events = %+v, %v; want the invalid resolved and the event alert kept", evs, err)
		}
		if left, _ := db.FindAlerts(ctx, rw.AlertFilter{State: "active"}); len(left) != 1 || left[0].Rule != "upstream-added" {
			t.Errorf("active after clearing = %+v", left)
		}
		// It can open again later: a new alert, not the resolved one.
		if evs, _ := db.RecordRun(ctx, outcome(t0.Add(4*time.Hour), nil, a)); len(evs) != 1 || evs[0].Alert.ID == open[0].ID {
			t.Errorf("reappearance events = %+v", evs)
		}
		if len(queued) != 4 { // opened, upstream added, resolved, opened again
			t.Errorf("queued deliveries = %v, want 4", queued)
		}
		ds, _ := db.FindDeliveries(ctx, hook.ID, 10)
		if len(ds) != 4 || !strings.Contains(ds[0].Payload, `"schema":"routewarden.webhook/v1"`) || !strings.Contains(ds[0].Payload, `"asn":64500`) {
			t.Errorf("deliveries = %+v", ds)
		}
		trail, err := db.FindAuditEvents(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range trail {
			if strings.HasPrefix(e.Action, "alert.") {
				n++
			}
		}
		if n != 4 {
			t.Errorf("audit entries for alerts = %d, want 4", n)
		}
	})
}

func TestAcknowledge(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		evs, err := db.RecordRun(ctx, outcome(time.Now(), nil, cond("rpki-invalid-origination", "192.0.2.0/24 AS64500", rw.SeverityCritical)))
		if err != nil {
			t.Fatal(err)
		}
		id := evs[0].Alert.ID
		if _, err := db.AcknowledgeAlert(ctx, id, "risk@x", strings.Repeat("x", 2001)); rw.ErrorCode(err) != rw.EINVALID {
			t.Errorf("overlong comment: %v", err)
		}
		a, err := db.AcknowledgeAlert(ctx, id, "risk@x", "known; customer informed")
		if err != nil || a.State != rw.AlertAcknowledged || a.AckBy != "risk@x" {
			t.Fatalf("ack: %+v %v", a, err)
		}
		if _, err := db.AcknowledgeAlert(ctx, id, "risk@x", "again"); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Errorf("second ack: %v, want conflict", err)
		}
		if _, err := db.AcknowledgeAlert(ctx, 99999, "risk@x", ""); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Errorf("missing alert: %v", err)
		}
		// Acknowledged alerts still hold (no second alert for the same subject).
		if evs, _ := db.RecordRun(ctx, outcome(time.Now(), nil, cond("rpki-invalid-origination", "192.0.2.0/24 AS64500", rw.SeverityCritical))); len(evs) != 0 {
			t.Errorf("events after ack = %+v", evs)
		}
	})
}

// TestHistoryStoresChanges: the history keeps the results a pass hands it as changed, and the
// latest per check is the baseline for the next pass.
func TestHistoryStoresChanges(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Truncate(time.Microsecond)
		one, half := 1.0, 0.5
		r := func(f *float64, at time.Time) rw.CheckResult {
			return rw.CheckResult{ASN: 64500, Check: "rpki.roa-coverage", Status: rw.StatusPass, Figure: f, ComputedAt: at}
		}
		if _, err := db.RecordRun(ctx, outcome(t0, []rw.CheckResult{r(&one, t0)})); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordRun(ctx, outcome(t0.Add(24*time.Hour), []rw.CheckResult{r(&half, t0.Add(24*time.Hour))})); err != nil {
			t.Fatal(err)
		}
		latest, err := db.LatestHistory(ctx, []uint32{64500, 64501})
		if err != nil || len(latest[64500]) != 1 || *latest[64500][0].Figure != 0.5 || len(latest[64501]) != 0 {
			t.Fatalf("latest = %+v, %v", latest, err)
		}
		h, err := db.FindHistory(ctx, 64500, t0.Add(-time.Hour))
		if err != nil || len(h) != 2 {
			t.Fatalf("history = %+v, %v", h, err)
		}
		runs, _ := db.FindMonitorRuns(ctx, time.Time{})
		if len(runs) != 2 {
			t.Errorf("runs = %d", len(runs))
		}
		// Retention drops old rows but keeps each check's latest as the baseline.
		if _, err := db.PruneHistory(ctx, t0.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if h, _ := db.FindHistory(ctx, 64500, time.Time{}); len(h) != 1 || *h[0].Result.Figure != 0.5 {
			t.Errorf("after pruning: %+v", h)
		}
	})
}

// TestAlertMail: with alert mail on, a new critical alert queues one e-mail per enabled risk
// officer and administrator, with a link to the open alerts; a low alert queues none.
func TestAlertMail(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	for _, u := range []*rw.User{{Email: "risk@x.example", Role: rw.RoleRiskOfficer, PasswordHash: "h"}, {Email: "admin@x.example", Role: rw.RoleAdmin, PasswordHash: "h"},
		{Email: "buyer@x.example", Role: rw.RoleProcurement, PasswordHash: "h"}, {Email: "gone@x.example", Role: rw.RoleRiskOfficer, PasswordHash: "h", Disabled: true}} {
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	db.AlertMail = &store.AlertMail{BaseURL: "https://rw.example/"}
	if _, err := db.RecordRun(ctx, outcome(time.Now(), nil, cond("upstream-added", "AS64512", rw.SeverityLow))); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordRun(ctx, outcome(time.Now(), nil, cond("rpki-invalid-origination", "192.0.2.0/24 AS64500", rw.SeverityCritical))); err != nil {
		t.Fatal(err)
	}
	ms, err := db.ClaimMail(ctx, time.Now().Add(time.Minute), 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range ms {
		to = append(to, m.To)
		if !strings.Contains(m.Body, "192.0.2.0/24 AS64500") || !strings.Contains(m.Body, "https://rw.example/alerts?state=open") {
			t.Errorf("mail body:\n%s", m.Body)
		}
	}
	if strings.Join(to, ",") != "admin@x.example,risk@x.example" && strings.Join(to, ",") != "risk@x.example,admin@x.example" {
		t.Errorf("mailed to %v, want the enabled risk officer and admin only, once each", to)
	}
}
