package report

import (
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
)

func TestComputeDashboard(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	dt := now.Add(-3 * day)
	as := []*rw.Assessment{
		{ID: 1, VendorID: 1, State: rw.StateApproved, UpdatedAt: now.Add(-10 * day), Summary: rw.Summary{Rating: "high", Readiness: map[string]float64{"action-1": 0.5}}},
		{ID: 2, VendorID: 1, State: rw.StateApproved, UpdatedAt: now.Add(-day), Summary: rw.Summary{Rating: "low", Readiness: map[string]float64{"action-1": 1}}},
		{ID: 3, VendorID: 2, State: rw.StateSent, DueDate: now.Add(-5 * day), UpdatedAt: now, Summary: rw.Summary{Rating: "severe", Readiness: map[string]float64{"action-1": 0}}},
		{ID: 4, VendorID: 3, State: rw.StateInProgress, DueDate: now.Add(-9 * day)},
		{ID: 5, VendorID: 3, State: rw.StateCancelled, Summary: rw.Summary{Rating: "low"}},
	}
	d := ComputeDashboard(DashboardInput{Now: now, VendorTotal: 4, Critical: []*rw.Vendor{{ID: 1}, {ID: 2}}, Assessments: as,
		Alerts: map[rw.Severity]int{rw.SeverityCritical: 2},
		Attestations: []*rw.Attestation{
			{ID: 1, IssuedAt: now.AddDate(-1, 0, -1)},                                        // no recorded validity: twelve months from issue, ended
			{ID: 2, IssuedAt: now, ValidUntil: ptr(now.AddDate(1, 0, 0))},                    // in force
			{ID: 3, IssuedAt: now.AddDate(-2, 0, 0), RevokedAt: &now},                        // revoked
			{ID: 4, IssuedAt: now.AddDate(0, -3, 0), ValidUntil: ptr(now.AddDate(0, 0, 20))}, // a waiver ends in 20 days
			{ID: 5, IssuedAt: now.AddDate(0, -11, -20), SupersededAt: &now},                  // replaced by a re-issue
		},
		Snapshots: map[string]*rw.Snapshot{"vrps": {ImportedAt: now, DataTime: &dt}, "routes": {ImportedAt: now.Add(-time.Hour)}},
		Runs:      []rw.MonitorRun{{StartedAt: now.Add(-2 * day), Opened: 3}, {StartedAt: now.Add(-day), Opened: 1, Resolved: 2}}})
	t.Run("ratings: latest scored per vendor, cancelled left out", func(t *testing.T) {
		want := map[string]int{"low": 1, "medium": 0, "high": 0, "severe": 1, "not assessed": 2}
		for _, c := range d.Ratings {
			if want[c.Label] != c.N {
				t.Errorf("%s = %d, want %d", c.Label, c.N, want[c.Label])
			}
		}
	})
	t.Run("readiness over critical suppliers", func(t *testing.T) {
		if len(d.Readiness) != 1 || d.Readiness[0].Mean != 0.5 || d.Readiness[0].Suppliers != 2 || d.Readiness[0].Ready != 1 {
			t.Errorf("%+v", d.Readiness)
		}
	})
	t.Run("overdue first, oldest due first", func(t *testing.T) {
		if d.OverdueCount.N != 2 || d.Overdue[0].ID != 4 || d.States[0].Label != "Overdue" || d.States[0].N != 2 {
			t.Errorf("overdue %+v states %+v", d.Overdue, d.States)
		}
	})
	t.Run("alerts, attestations, freshness, trend", func(t *testing.T) {
		if d.Alerts[0].N != 2 || d.Alerts[0].Link != "/alerts?state=active&severity=critical" {
			t.Errorf("alerts %+v", d.Alerts)
		}
		if d.Attestations.N != 2 || d.RenewalCount.N != 2 || d.Renewal[0].ID != 1 || d.Renewal[1].ID != 4 {
			t.Errorf("attestations %d renewal %d %+v; want 2 in force, 2 due (the ended one first)", d.Attestations.N, d.RenewalCount.N, d.Renewal)
		}
		fresh := map[string]Freshness{}
		for _, f := range d.Freshness {
			fresh[f.Kind] = f
		}
		if !fresh["vrps"].Stale || fresh["vrps"].AgeHours != 72 || fresh["routes"].Stale || !fresh["irr"].Missing {
			t.Errorf("freshness %+v", d.Freshness)
		}
		if len(d.Trend) != 2 || d.Trend[1].Open != 2 {
			t.Errorf("trend %+v", d.Trend)
		}
	})
}

func ptr(t time.Time) *time.Time { return &t }
