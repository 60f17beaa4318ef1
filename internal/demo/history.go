package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"routewarden/controls"
	"routewarden/internal/evidence"
	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
)

// historySource marks the snapshots of earlier demo generations.
const historySource = "history generation"

// generation is an earlier state of the demo's routing world: which routes were not yet seen,
// and which ROAs still existed. The current state is demoRoutes and demoVRPs.
type generation struct {
	ago        time.Duration
	omitRoutes map[string]bool   // prefixes not yet announced
	extraPaths map[string]string // prefix → an extra collector path seen then
	extraROAs  string            // ROAs removed since
	extraRels  string            // as-rel lines (provider|customer|-1) of links gone since
}

// generations tell the demo's recent past, oldest first: three weeks ago Meridian did not yet
// announce its two /25s (RPKI-invalid by length today) and Łódź had a second upstream;
// ten days ago Société Générale des Réseaux still had a ROA for its /40.
var generations = []generation{
	{ago: 21 * 24 * time.Hour,
		omitRoutes: map[string]bool{"203.0.113.0/25": true, "203.0.113.128/25": true, "2001:db8:901::/48": true},
		extraPaths: map[string]string{"2001:db8:900::/40": "64510 64511 65538"},
		extraROAs:  `{"asn":"AS64502","prefix":"2001:db8:300::/40","maxLength":48,"ta":"demo"},`,
		extraRels:  "64511|65538|-1\n"},
	{ago: 10 * 24 * time.Hour,
		omitRoutes: map[string]bool{"2001:db8:901::/48": true},
		extraROAs:  `{"asn":"AS64502","prefix":"2001:db8:300::/40","maxLength":48,"ta":"demo"},`},
}

// HistoryStore is what seeding the monitoring history needs.
type HistoryStore interface {
	monitor.Store
	FindMonitorRuns(ctx context.Context, since time.Time) ([]rw.MonitorRun, error)
}

// SeedHistory gives a new demo portfolio a few weeks of monitoring history: it imports earlier
// generations of the routes and VRPs (labelled demo snapshots) and runs a monitor pass over each
// at its time. It does nothing when monitor passes exist already. Run it before SeedEvidence,
// which then adds the current generation, and run a final pass with MonitorNow.
func SeedHistory(ctx context.Context, snaps rw.SnapshotStore, hist HistoryStore, now time.Time) (int, error) {
	if runs, err := hist.FindMonitorRuns(ctx, time.Time{}); err != nil || len(runs) > 0 {
		return 0, err
	}
	if _, err := snaps.LatestSnapshot(ctx, "routes"); err == nil {
		return 0, nil // a database with data of its own: no invented past
	}
	rules, err := monitor.LoadRules(controls.AlertRules, nil)
	if err != nil {
		return 0, err
	}
	n := 0
	for i, g := range generations {
		at := now.Add(-g.ago)
		files := EvidenceFiles(at)
		files["routes"] = []evidence.File{{Name: "demo-rib.bgpdump.txt", Data: []byte(bgpDumpOf(g.routes(), at))}}
		files["vrps"] = []evidence.File{{Name: "demo-vrps.json", Data: []byte(strings.Replace(fmt.Sprintf(demoVRPs, at.Add(-24*time.Hour).Format(time.RFC3339)),
			`"roas":[`, `"roas":[`+g.extraROAs, 1))}}
		if g.extraRels != "" {
			files["asrel"] = []evidence.File{{Name: "demo.as-rel.txt", Data: append(files["asrel"][0].Data, g.extraRels...)}}
		}
		src := fmt.Sprintf("demo (synthetic, %s %d of %d)", historySource, i+1, len(generations)+1)
		for _, kind := range rw.SnapshotKinds {
			if fs, ok := files[kind]; ok && (i == 0 || kind == "routes" || kind == "vrps") {
				if _, _, err := evidence.Import(ctx, snaps, kind, src, fs, true); err != nil {
					return n, fmt.Errorf("demo history %s: %w", kind, err)
				}
			}
		}
		if _, err := MonitorNow(ctx, snaps, hist, rules, at); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// MonitorNow runs one monitor pass over the latest snapshots with the clock at t.
func MonitorNow(ctx context.Context, snaps rw.SnapshotStore, hist monitor.Store, rules *monitor.Rules, t time.Time) (*monitor.Summary, error) {
	if rules == nil {
		var err error
		if rules, err = monitor.LoadRules(controls.AlertRules, nil); err != nil {
			return nil, err
		}
	}
	lib, err := Library()
	if err != nil {
		return nil, err
	}
	run := &monitor.Runner{Store: hist, Rules: rules, Now: func() time.Time { return t },
		Data: func(ctx context.Context) (*evidence.Data, error) {
			d, err := evidence.Load(ctx, snaps)
			if err == nil {
				d.Bands = evidence.BandsOf(lib)
			}
			return d, err
		}}
	return run.Run(ctx)
}

func (g generation) routes() []demoRoute {
	var out []demoRoute
	for _, r := range demoRoutes {
		if g.omitRoutes[r.prefix] {
			continue
		}
		if p, ok := g.extraPaths[r.prefix]; ok {
			r.paths = append(append([]string{}, r.paths...), p)
		}
		out = append(out, r)
	}
	return out
}
