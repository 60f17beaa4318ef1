package report

import (
	"cmp"
	"slices"
	"sort"
	"time"

	rw "routewarden/internal/routewarden"
)

// RenewalWindow: an attestation in force whose validity (rw.Attestation.Expires: twelve months
// from the decision, or earlier when a waiver it relies on ends) ends within it, or has ended,
// is listed as due for renewal, early enough to run the re-assessment.
const RenewalWindow = 60 * 24 * time.Hour

// StaleAfter is the age from which a data set counts as stale on the dashboard, by kind; kinds
// not listed are stale after 30 days.
var StaleAfter = map[string]time.Duration{"vrps": 2 * 24 * time.Hour, "routes": 2 * 24 * time.Hour, "asrel": 45 * 24 * time.Hour}

// DashboardInput is what the dashboard is computed from: list rows, not full records.
type DashboardInput struct {
	Now          time.Time
	VendorTotal  int              // number of vendors
	Critical     []*rw.Vendor     // list rows of the vendors with a critical service
	Assessments  []*rw.Assessment // every assessment, with Summary
	Alerts       map[rw.Severity]int
	Attestations []*rw.Attestation
	Snapshots    map[string]*rw.Snapshot // latest per kind
	Runs         []rw.MonitorRun         // oldest first
}

// Count is one number on the dashboard with the list behind it.
type Count struct {
	Label string `json:"label"`
	N     int    `json:"n"`
	Link  string `json:"link"`
}

// ActionReadiness is the mean readiness of one MANRS action over the critical suppliers'
// latest scored assessments.
type ActionReadiness struct {
	Action    string  `json:"action"`
	Mean      float64 `json:"mean"` // 0..1
	Suppliers int     `json:"suppliers"`
	Ready     int     `json:"ready"` // suppliers at 1.0
}

// Freshness is the age of one data set.
type Freshness struct {
	Kind     string     `json:"kind"`
	Imported *time.Time `json:"imported_at"`
	DataTime *time.Time `json:"data_time,omitempty"`
	AgeHours int        `json:"age_hours"`
	Stale    bool       `json:"stale"`
	Missing  bool       `json:"missing"`
}

// TrendPoint is one monitor pass.
type TrendPoint struct {
	At       time.Time `json:"at"`
	ASNs     int       `json:"asns"`
	Changes  int       `json:"changes"`
	Opened   int       `json:"opened"`
	Resolved int       `json:"resolved"`
	Open     int       `json:"open_after"` // alerts opened minus resolved, cumulated over the window
	// The pass's portfolio figures (nil without data): mean ROA coverage of the supplier ASNs
	// measured, and how many ASNs originated RPKI-invalid routes.
	ROACoverage *float64 `json:"roa_coverage"`
	ROAMeasured int      `json:"roa_measured"`
	InvalidASNs *int     `json:"invalid_asns"`
}

// Dashboard holds the portfolio's headline figures.
type Dashboard struct {
	Vendors         Count             `json:"vendors"`
	CriticalVendors Count             `json:"critical_vendors"`
	Ratings         []Count           `json:"ratings"`
	Readiness       []ActionReadiness `json:"readiness"`
	States          []Count           `json:"assessments_by_state"`
	Overdue         []*rw.Assessment  `json:"overdue"`
	OverdueCount    Count             `json:"overdue_count"`
	Alerts          []Count           `json:"alerts"`
	Renewal         []*rw.Attestation `json:"attestations_due_for_renewal"`
	RenewalCount    Count             `json:"attestations_due_count"`
	Attestations    Count             `json:"attestations_valid"`
	Freshness       []Freshness       `json:"freshness"`
	Trend           []TrendPoint      `json:"trend"`
}

// Ratings in display order; a vendor without a scored assessment is "not assessed".
var Ratings = []string{"low", "medium", "high", "severe"}

// ComputeDashboard builds the dashboard. Each vendor counts once, with its latest scored
// assessment (by update time).
func ComputeDashboard(in DashboardInput) *Dashboard {
	d := &Dashboard{
		Vendors:         Count{"Suppliers", in.VendorTotal, "/vendors"},
		OverdueCount:    Count{"Overdue", 0, "/assessments?overdue=yes"},
		RenewalCount:    Count{"Due for renewal", 0, "/attestations"},
		Attestations:    Count{"Valid attestations", 0, "/attestations"},
		Freshness:       []Freshness{},
		Trend:           []TrendPoint{},
		Overdue:         []*rw.Assessment{},
		Renewal:         []*rw.Attestation{},
		Readiness:       []ActionReadiness{},
		CriticalVendors: Count{"Critical suppliers", 0, "/vendors?critical=yes"},
	}
	critical := map[int64]bool{}
	for _, v := range in.Critical {
		critical[v.ID] = true
	}
	d.CriticalVendors.N = len(critical)

	latest := map[int64]*rw.Assessment{}
	states := map[rw.AssessmentState]int{}
	for _, a := range in.Assessments {
		states[a.State]++
		if a.Overdue(in.Now) {
			d.OverdueCount.N++
			d.Overdue = append(d.Overdue, a)
		}
		if a.Summary.Rating == "" || a.State == rw.StateCancelled {
			continue
		}
		if l := latest[a.VendorID]; l == nil || a.UpdatedAt.After(l.UpdatedAt) {
			latest[a.VendorID] = a
		}
	}
	slices.SortFunc(d.Overdue, func(a, b *rw.Assessment) int {
		return cmp.Or(a.DueDate.Compare(b.DueDate), cmp.Compare(a.ID, b.ID))
	})
	if len(d.Overdue) > 10 {
		d.Overdue = d.Overdue[:10]
	}
	byRating := map[string]int{}
	sum, n, ready := map[string]float64{}, map[string]int{}, map[string]int{}
	for id, a := range latest {
		byRating[a.Summary.Rating]++
		if !critical[id] {
			continue
		}
		for act, r := range a.Summary.Readiness {
			sum[act] += r
			n[act]++
			if r >= 1 {
				ready[act]++
			}
		}
	}
	for _, r := range Ratings {
		d.Ratings = append(d.Ratings, Count{r, byRating[r], "/assessments"})
	}
	d.Ratings = append(d.Ratings, Count{"not assessed", max(in.VendorTotal-len(latest), 0), "/vendors"})
	acts := make([]string, 0, len(sum))
	for a := range sum {
		acts = append(acts, a)
	}
	sort.Strings(acts)
	for _, a := range acts {
		d.Readiness = append(d.Readiness, ActionReadiness{Action: a, Mean: round3(sum[a] / float64(n[a])), Suppliers: n[a], Ready: ready[a]})
	}
	// Overdue first, then the lifecycle order.
	d.States = append(d.States, d.OverdueCount)
	for _, st := range rw.AssessmentStates {
		if states[st] > 0 {
			d.States = append(d.States, Count{string(st), states[st], "/assessments?state=" + string(st)})
		}
	}
	for _, sev := range []rw.Severity{rw.SeverityCritical, rw.SeverityHigh, rw.SeverityMedium, rw.SeverityLow} {
		d.Alerts = append(d.Alerts, Count{string(sev), in.Alerts[sev], "/alerts?state=active&severity=" + string(sev)})
	}
	for _, a := range in.Attestations {
		if a.Revoked() || a.Superseded() {
			continue
		}
		exp := a.Expires()
		if exp.After(in.Now) {
			d.Attestations.N++
		}
		if exp.Sub(in.Now) <= RenewalWindow {
			d.RenewalCount.N++
			d.Renewal = append(d.Renewal, a)
		}
	}
	sort.SliceStable(d.Renewal, func(i, j int) bool { return d.Renewal[i].Expires().Before(d.Renewal[j].Expires()) })
	for _, k := range rw.SnapshotKinds {
		s := in.Snapshots[k]
		f := Freshness{Kind: k, Missing: s == nil}
		if s != nil {
			at := s.ImportedAt
			if s.DataTime != nil {
				at = *s.DataTime
			}
			f.Imported, f.DataTime = &s.ImportedAt, s.DataTime
			f.AgeHours = int(in.Now.Sub(at).Hours())
			limit, ok := StaleAfter[k]
			if !ok {
				limit = 30 * 24 * time.Hour
			}
			f.Stale = in.Now.Sub(at) > limit
		}
		d.Freshness = append(d.Freshness, f)
	}
	open := 0
	for _, r := range in.Runs {
		open += r.Opened - r.Resolved
		d.Trend = append(d.Trend, TrendPoint{At: r.StartedAt, ASNs: r.ASNs, Changes: r.Changes, Opened: r.Opened, Resolved: r.Resolved, Open: max(open, 0),
			ROACoverage: r.ROACoverage, ROAMeasured: r.ROAMeasured, InvalidASNs: r.InvalidASNs})
	}
	return d
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }
