package monitor

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"sync"
	"time"

	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
)

// Store is what a monitor pass reads and writes.
type Store interface {
	FindNetworks(ctx context.Context) ([]*rw.Network, error)
	LatestHistory(ctx context.Context, asns []uint32) (map[uint32][]rw.CheckResult, error)
	FindAlerts(ctx context.Context, f rw.AlertFilter) ([]rw.Alert, error)
	LatestMonitorRun(ctx context.Context) (*rw.MonitorRun, error)
	// RecordRun stores the outcome in one transaction: the run, the changed results (history and
	// latest results), the alerts opened, refreshed and resolved, their audit entries and the
	// notifications they cause. It returns the alert events.
	RecordRun(ctx context.Context, out *rw.RunOutcome) ([]rw.AlertEvent, error)
}

// Runner performs monitor passes.
type Runner struct {
	Store Store
	Data  func(ctx context.Context) (*evidence.Data, error)
	Rules *Rules
	Now   func() time.Time
	// After, when set, runs after a pass is recorded with the alert events it produced (e.g. to
	// open re-assessments). What it reports goes into Summary.Notes; its failure is in
	// Summary.AfterErr and does not undo or fail the pass.
	After func(ctx context.Context, events []rw.AlertEvent) ([]string, error)

	// last keeps the results of this runner's previous pass: when that pass is still the
	// latest in the database, the next one compares with it instead of reading the history.
	mu   sync.Mutex
	last struct {
		run     int64
		results map[uint32][]rw.CheckResult
	}
}

// Summary is what one pass did.
type Summary struct {
	Run      rw.MonitorRun
	Events   []rw.AlertEvent
	Notes    []string // what After did
	AfterErr error
}

// Run re-checks every vendor ASN over the latest data, records what changed, evaluates the rules
// and stores the alerts, all in one transaction.
func (m *Runner) Run(ctx context.Context) (*Summary, error) {
	start := m.Now()
	d, err := m.Data(ctx)
	if err != nil {
		return nil, fmt.Errorf("routing data: %w", err)
	}
	nets, err := m.Store.FindNetworks(ctx)
	if err != nil {
		return nil, err
	}
	targets, owner := targets(nets)
	asns := make([]uint32, 0, len(targets))
	for asn := range targets {
		asns = append(asns, asn)
	}
	sort.Slice(asns, func(i, j int) bool { return asns[i] < asns[j] })
	prevRun, err := m.Store.LatestMonitorRun(ctx)
	if err != nil && rw.ErrorCode(err) != rw.ENOTFOUND {
		return nil, err
	}
	prev, err := m.previous(ctx, prevRun, asns)
	if err != nil {
		return nil, err
	}
	active, err := m.activeKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := &rw.RunOutcome{Scope: map[string]bool{}}
	out.Run.StartedAt, out.Run.ASNs, out.Run.Snapshots = start, len(asns), snapshotIDs(d)
	out.Touch = prevRun == nil || !maps.Equal(prevRun.Snapshots, out.Run.Snapshots)
	expiring := m.expiringROAs(d, start)
	for _, asn := range asns {
		cur := evidence.Run(d, *targets[asn], start)
		out.Run.Results += len(cur)
		out.Results = append(out.Results, cur...)
		p := Pair{VendorID: owner[asn], ASN: asn, Prev: byCheck(prev[asn]), Cur: byCheck(cur)}
		for _, r := range cur {
			old, ok := p.Prev[r.Check]
			var po *rw.CheckResult
			if ok {
				po = &old
			}
			if Changed(po, r) {
				out.Changed = append(out.Changed, r)
			}
		}
		out.Conditions = append(out.Conditions, Evaluate(m.Rules, p, active)...)
		out.Conditions = append(out.Conditions, expiring(owner[asn], asn)...)
		for _, r := range m.Rules.Rules {
			if r.Event() || r.Kind == KindStale {
				continue
			}
			// Without data a condition is not known to have cleared: its alert stays.
			if c, ok := p.Cur[r.Check]; r.Check != "" && (!ok || c.Status == rw.StatusUnknown) {
				continue
			}
			out.Scope[scopeKey(r.ID, asn)] = true
		}
	}
	out.Conditions = append(out.Conditions, m.staleSources(d, start)...)
	for _, r := range m.Rules.Rules {
		if r.Kind == KindStale {
			out.Scope[scopeKey(r.ID, 0)] = true
		}
	}
	out.Run.Changes = len(out.Changed)
	out.Run.ROACoverage, out.Run.ROAMeasured, out.Run.InvalidASNs = portfolioFigures(out.Results)
	out.Run.FinishedAt = m.Now()
	events, err := m.Store.RecordRun(ctx, out)
	if err != nil {
		return nil, err
	}
	m.remember(out)
	for _, e := range events {
		switch e.Type {
		case "alert.opened":
			out.Run.Opened++
		case "alert.resolved":
			out.Run.Resolved++
		}
	}
	sum := &Summary{Run: out.Run, Events: events}
	if m.After != nil && len(events) > 0 {
		sum.Notes, sum.AfterErr = m.After(ctx, events)
	}
	return sum, nil
}

// previous returns the latest recorded results of the ASNs: from this runner's memory when its
// pass is the latest, otherwise from the stored history.
func (m *Runner) previous(ctx context.Context, prevRun *rw.MonitorRun, asns []uint32) (map[uint32][]rw.CheckResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if prevRun != nil && m.last.run == prevRun.ID && m.last.results != nil {
		return m.last.results, nil
	}
	return m.Store.LatestHistory(ctx, asns)
}

func (m *Runner) remember(out *rw.RunOutcome) {
	byASN := map[uint32][]rw.CheckResult{}
	for _, r := range out.Results {
		byASN[r.ASN] = append(byASN[r.ASN], r)
	}
	m.mu.Lock()
	m.last.run, m.last.results = out.Run.ID, byASN
	m.mu.Unlock()
}

// ScopeKey names a (rule, ASN) pair in RunOutcome.Scope.
func scopeKey(rule string, asn uint32) string { return rw.AlertKey(rule, asn, "") }

// InScope reports whether an active alert was evaluated by the pass (and so resolves when its
// condition is not among the pass's conditions).
func InScope(scope map[string]bool, a *rw.Alert) bool { return scope[scopeKey(a.Rule, a.ASN)] }

func (m *Runner) activeKeys(ctx context.Context) (map[string]bool, error) {
	as, err := m.Store.FindAlerts(ctx, rw.AlertFilter{State: "active"})
	if err != nil {
		return nil, err
	}
	keys := make(map[string]bool, len(as))
	for _, a := range as {
		keys[rw.AlertKey(a.Rule, a.ASN, a.Subject)] = true
	}
	return keys, nil
}

// targets merges what the vendor records say of each ASN (as the check command does).
func targets(nets []*rw.Network) (map[uint32]*evidence.Target, map[uint32]int64) {
	byVendor := map[int64]*rw.Vendor{}
	for _, n := range nets {
		v := byVendor[n.VendorID]
		if v == nil {
			v = &rw.Vendor{ID: n.VendorID}
			byVendor[n.VendorID] = v
		}
		v.Networks = append(v.Networks, n)
	}
	ts := map[uint32]*evidence.Target{}
	owner := map[uint32]int64{}
	for _, n := range nets {
		vt := evidence.TargetOf(byVendor[n.VendorID], n)
		t := ts[n.ASN]
		if t == nil {
			t = &evidence.Target{ASN: n.ASN, ASSet: vt.ASSet}
			ts[n.ASN], owner[n.ASN] = t, n.VendorID
		}
		t.Expected = append(t.Expected, vt.Expected...)
		t.Siblings = append(t.Siblings, vt.Siblings...)
	}
	return ts, owner
}

func byCheck(rs []rw.CheckResult) map[string]rw.CheckResult {
	m := make(map[string]rw.CheckResult, len(rs))
	for _, r := range rs {
		m[r.Check] = r
	}
	return m
}

func snapshotIDs(d *evidence.Data) map[string]int64 {
	ids := map[string]int64{}
	for k, s := range d.Snapshots {
		if s != nil {
			ids[k] = s.ID
		}
	}
	return ids
}

// staleSources opens conditions about our own data: a source older than the rule's limit.
func (m *Runner) staleSources(d *evidence.Data, now time.Time) []rw.Condition {
	var out []rw.Condition
	for _, r := range m.Rules.Rules {
		if r.Kind != KindStale {
			continue
		}
		limit := time.Duration(r.MaxAgeHours) * time.Hour
		for _, kind := range rw.SnapshotKinds {
			s := d.Snapshots[kind]
			if s == nil || s.Demo {
				continue
			}
			t := s.ImportedAt
			if s.DataTime != nil {
				t = *s.DataTime
			}
			if age := now.Sub(t); age > limit {
				out = append(out, rw.Condition{Rule: r.ID, Control: r.Control, Severity: rw.Severity(r.Severity), Subject: kind,
					Summary:   fmt.Sprintf("%s data (snapshot %d, %s) is %s old, beyond the %d-hour freshness limit", kind, s.ID, s.Source, age.Round(time.Hour), r.MaxAgeHours),
					Snapshots: []int64{s.ID}})
			}
		}
	}
	return out
}

// expiringROAs returns a function giving, per ASN, a condition for each ROA (VRP) that expires
// within the rule's window.
func (m *Runner) expiringROAs(d *evidence.Data, now time.Time) func(vendor int64, asn uint32) []rw.Condition {
	var rule *Rule
	for i := range m.Rules.Rules {
		if m.Rules.Rules[i].Kind == KindExpiring {
			rule = &m.Rules.Rules[i]
		}
	}
	if rule == nil || d.VRPs == nil {
		return func(int64, uint32) []rw.Condition { return nil }
	}
	limit := now.Add(time.Duration(rule.Days) * 24 * time.Hour).Unix()
	by := map[uint32][]rw.Detail{}
	for _, v := range d.VRPs.VRPs() {
		if v.Expires > 0 && v.Expires <= limit {
			by[v.ASN] = append(by[v.ASN], rw.Detail{Kind: "vrp", Prefix: fmt.Sprintf("%s-%d", v.Prefix, v.MaxLength), Origin: v.ASN,
				Note: "expires " + time.Unix(v.Expires, 0).UTC().Format("2006-01-02 15:04 UTC")})
		}
	}
	snap := []int64{}
	if s := d.Snapshots["vrps"]; s != nil {
		snap = []int64{s.ID}
	}
	return func(vendor int64, asn uint32) []rw.Condition {
		var out []rw.Condition
		for _, det := range by[asn] {
			out = append(out, rw.Condition{VendorID: vendor, ASN: asn, Rule: rule.ID, Control: rule.Control, Severity: rw.Severity(rule.Severity),
				Subject: det.Prefix, Summary: fmt.Sprintf("AS%d: ROA %s %s (within %d days)", asn, det.Prefix, det.Note, rule.Days),
				Evidence: []rw.Detail{det}, Snapshots: snap})
		}
		return out
	}
}

// portfolioFigures are the pass's figures over every supplier ASN, for the dashboard's trend:
// the mean ROA coverage over the ASNs with a known figure (and how many those are), and how many
// ASNs originate RPKI-invalid routes among those where it is known. Nil without data.
func portfolioFigures(rs []rw.CheckResult) (coverage *float64, measured int, invalid *int) {
	var sum float64
	known, bad := 0, 0
	for _, r := range rs {
		if r.Status == rw.StatusUnknown {
			continue
		}
		switch r.Check {
		case "rpki.roa-coverage":
			if r.Figure != nil {
				sum += *r.Figure
				measured++
			}
		case "rpki.invalid-originations":
			known++
			if r.Status == rw.StatusFail {
				bad++
			}
		}
	}
	if measured > 0 {
		m := sum / float64(measured)
		coverage = &m
	}
	if known > 0 {
		invalid = &bad
	}
	return coverage, measured, invalid
}
