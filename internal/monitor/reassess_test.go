package monitor_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/assess"
	"routewarden/internal/evidence"
	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store/storetest"
)

// TestRunnerReassessesOnCriticalAlert: a vendor with an approved assessment starts originating
// an RPKI-invalid route; the monitor pass that opens the critical alert hands it to After,
// which (draft mode) opens a re-assessment carrying the new measurement. The pass itself is
// recorded either way.
func TestRunnerReassessesOnCriticalAlert(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	lib, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	v := &rw.Vendor{LegalName: "Nordic Transit AB", Country: "SE", Networks: []*rw.Network{{ASN: 64500}},
		Services: []*rw.Service{{Name: "IP transit", Type: "S05", Regulations: []string{"DORA"}, Substitutability: "medium_complexity",
			ProviderType: rw.ProviderTransit, Critical: true}},
		Contacts: []*rw.Contact{{Name: "NOC", Email: "noc@nordic.example", Role: "technical"}}}
	if err := db.CreateVendor(ctx, v); err != nil {
		t.Fatal(err)
	}
	svc := &assess.Service{Library: lib, Vendors: db, Assessments: db, Invitations: db, Snapshots: db, Now: func() time.Time { return now }}
	a, err := svc.Draft(ctx, v.ID, "Annual 2026", "", now.Add(30*24*time.Hour), "procurement@x")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []rw.AssessmentState{rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved} {
		if _, err := db.Transition(ctx, a.ID, st, rw.AuditEvent{Actor: "risk@x"}); err != nil {
			t.Fatal(err)
		}
	}

	vrps := `{"roas":[{"asn":"AS64500","prefix":"192.0.2.0/24","maxLength":24,"ta":"test"},{"asn":"AS64511","prefix":"198.51.100.0/24","maxLength":24,"ta":"test"}]}`
	gen := func(id int64, prefixes ...string) *evidence.Data {
		var rib strings.Builder
		for _, p := range prefixes {
			fmt.Fprintf(&rib, "TABLE_DUMP2|1764800000|B|10.0.0.1|64496|%s|64496 64500|IGP|10.0.0.1|0|0||NAG||\n", p)
		}
		d := evidence.NewData()
		for i, f := range []struct{ kind, name, text string }{{"routes", "rib.txt", rib.String()}, {"vrps", "vrps.json", vrps}} {
			p, err := evidence.Parse(f.kind, []evidence.File{{Name: f.name, Data: []byte(f.text)}})
			if err != nil {
				t.Fatal(f.kind, err)
			}
			d.Use(&rw.Snapshot{ID: id*10 + int64(i), Kind: f.kind, Source: f.name, ImportedAt: now}, p)
		}
		return d
	}
	data := gen(1, "192.0.2.0/24")
	rules, err := monitor.LoadRules(controls.AlertRules, nil)
	if err != nil {
		t.Fatal(err)
	}
	var handed []rw.AlertEvent
	run := &monitor.Runner{Store: db, Rules: rules, Now: func() time.Time { return now },
		Data: func(context.Context) (*evidence.Data, error) { return data, nil },
		After: func(ctx context.Context, events []rw.AlertEvent) ([]string, error) {
			handed = append(handed, events...)
			outs, err := svc.Reassess(ctx, assess.ModeDraft, events)
			var notes []string
			for _, o := range outs {
				notes = append(notes, o.Note)
			}
			return notes, err
		}}
	if s, err := run.Run(ctx); err != nil || len(s.Notes) != 0 {
		t.Fatalf("first pass: %+v, %v", s, err)
	}
	data = gen(2, "192.0.2.0/24", "198.51.100.0/24")
	s, err := run.Run(ctx)
	if err != nil || s.AfterErr != nil {
		t.Fatalf("second pass: %v, %v", err, s.AfterErr)
	}
	// The pass records the portfolio figures the dashboard's trend draws: the ROA coverage of
	// the one measured ASN, and one ASN originating an invalid route.
	last, err := db.LatestMonitorRun(ctx)
	if err != nil || last.ROACoverage == nil || last.ROAMeasured != 1 || last.InvalidASNs == nil || *last.InvalidASNs != 1 {
		t.Fatalf("latest pass = %+v, %v; want ROA coverage of one ASN and one ASN with invalid originations", last, err)
	}
	opened := false
	for _, e := range handed {
		if e.Type == "alert.opened" && e.Alert.Rule == "rpki-invalid-origination" && e.Alert.Severity == rw.SeverityCritical {
			opened = true
		}
	}
	if !opened || len(s.Notes) != 1 || !strings.HasPrefix(s.Notes[0], "draft #") {
		t.Fatalf("events handed to After: %+v; notes %q", handed, s.Notes)
	}
	list, n, err := db.FindAssessments(ctx, rw.AssessmentFilter{VendorID: v.ID, States: []rw.AssessmentState{rw.StateDraft}})
	if err != nil || n != 1 {
		t.Fatalf("draft re-assessments = %d, %v", n, err)
	}
	ms, err := db.FindMeasurements(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	invalid := false
	for _, m := range ms {
		if m.Check == "rpki.invalid-originations" && m.Status == rw.StatusFail {
			invalid = true
		}
	}
	if !invalid {
		t.Errorf("the re-assessment does not carry the new invalid origination: %+v", ms)
	}
}
