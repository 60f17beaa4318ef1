package monitor

import (
	"os"
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	rw "routewarden/internal/routewarden"
)

func fig(f float64) *float64 { return &f }

func res(check string, st rw.CheckStatus, f *float64, ds ...rw.Detail) rw.CheckResult {
	return rw.CheckResult{ASN: 64500, Check: check, Status: st, Figure: f, Details: ds, Summary: string(st)}
}

func invalid(prefix string, origin uint32) rw.Detail {
	return rw.Detail{Kind: "route", Prefix: prefix, Origin: origin, Note: "invalid (origin AS not authorised); VRP AS64501 " + prefix}
}

func rules(t *testing.T) *Rules {
	t.Helper()
	rs, err := LoadRules(controls.AlertRules, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// TestEvaluatePairs runs the released rules over pairs of consecutive results, as two re-checks
// of one ASN produce them.
func TestEvaluatePairs(t *testing.T) {
	rs := rules(t)
	up := func(asns ...string) []rw.Detail {
		var ds []rw.Detail
		for _, a := range asns {
			ds = append(ds, rw.Detail{Kind: "asn", Note: a})
		}
		return ds
	}
	cases := []struct {
		name      string
		prev, cur []rw.CheckResult
		active    []string // keys of active alerts
		want      []string // rule|subject of the conditions, in rule order
	}{
		{"first sighting of an invalid opens", nil,
			[]rw.CheckResult{res("rpki.invalid-originations", rw.StatusFail, fig(1), invalid("198.51.100.0/24", 64500))},
			nil, []string{"rpki-invalid-origination|198.51.100.0/24 AS64500"}},
		{"an invalid that stays keeps holding (one per prefix)",
			[]rw.CheckResult{res("rpki.invalid-originations", rw.StatusFail, fig(1), invalid("198.51.100.0/24", 64500))},
			[]rw.CheckResult{res("rpki.invalid-originations", rw.StatusFail, fig(2), invalid("198.51.100.0/24", 64500), invalid("2001:db8::/48", 64500))},
			nil, []string{"rpki-invalid-origination|198.51.100.0/24 AS64500", "rpki-invalid-origination|2001:db8::/48 AS64500"}},
		{"no data is not a clearance nor a finding",
			[]rw.CheckResult{res("rpki.invalid-originations", rw.StatusFail, fig(1), invalid("198.51.100.0/24", 64500))},
			[]rw.CheckResult{res("rpki.invalid-originations", rw.StatusUnknown, nil)}, nil, nil},
		{"coverage drop of 10 points or more", []rw.CheckResult{res("rpki.roa-coverage", rw.StatusPass, fig(1))},
			[]rw.CheckResult{res("rpki.roa-coverage", rw.StatusWarn, fig(0.85))}, nil, []string{"roa-coverage-drop|100 %→85 %"}},
		{"coverage drop under the threshold is quiet", []rw.CheckResult{res("rpki.roa-coverage", rw.StatusPass, fig(1))},
			[]rw.CheckResult{res("rpki.roa-coverage", rw.StatusPass, fig(0.95))}, nil, nil},
		{"upstream lost and diversity below minimum",
			[]rw.CheckResult{res("upstream.concentration", rw.StatusPass, fig(2), up("AS64510", "AS64511")...)},
			[]rw.CheckResult{res("upstream.concentration", rw.StatusWarn, fig(1), up("AS64510")...)},
			nil, []string{"upstream-lost|AS64511", "upstream-diversity|"}},
		{"single-homed from the start is not a change (no alert without transition)", nil,
			[]rw.CheckResult{res("upstream.concentration", rw.StatusWarn, fig(1), up("AS64510")...)}, nil, nil},
		{"diversity alert keeps holding while active",
			[]rw.CheckResult{res("upstream.concentration", rw.StatusWarn, fig(1), up("AS64510")...)},
			[]rw.CheckResult{res("upstream.concentration", rw.StatusWarn, fig(1), up("AS64510")...)},
			[]string{rw.AlertKey("upstream-diversity", 64500, "")}, []string{"upstream-diversity|"}},
		{"new upstream", []rw.CheckResult{res("upstream.concentration", rw.StatusPass, fig(2), up("AS64510", "AS64511")...)},
			[]rw.CheckResult{res("upstream.concentration", rw.StatusPass, fig(3), up("AS64510", "AS64511", "AS64512")...)},
			nil, []string{"upstream-added|AS64512"}},
		{"MANRS participation lost", []rw.CheckResult{res("manrs.participation", rw.StatusPass, fig(1))},
			[]rw.CheckResult{res("manrs.participation", rw.StatusFail, fig(0))}, nil, []string{"manrs-participation-lost|"}},
		{"ASPA changed", []rw.CheckResult{res("aspa.published", rw.StatusPass, fig(1), rw.Detail{Kind: "object", Note: "providers AS64510"})},
			[]rw.CheckResult{res("aspa.published", rw.StatusPass, fig(1), rw.Detail{Kind: "object", Note: "providers AS64510, AS64511"})},
			nil, []string{"aspa-changed|pass "}},
		{"leak present", nil, []rw.CheckResult{res("leak.valley-free", rw.StatusFail, fig(1), rw.Detail{Kind: "path", Prefix: "192.0.2.0/24", Path: "64510 64500 64511 64496", Origin: 64496})},
			nil, []string{"route-leak|192.0.2.0/24 AS64496"}},
		{"bogon present", nil, []rw.CheckResult{res("bogon.prefixes", rw.StatusFail, fig(1), rw.Detail{Kind: "route", Prefix: "10.0.0.0/8", Origin: 64500})},
			nil, []string{"bogon-announced|10.0.0.0/8 AS64500"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			active := map[string]bool{}
			for _, k := range tc.active {
				active[k] = true
			}
			got := Evaluate(rs, Pair{VendorID: 1, ASN: 64500, Prev: byCheck(tc.prev), Cur: byCheck(tc.cur)}, active)
			var keys []string
			for _, c := range got {
				if c.Rule == "aspa-changed" {
					c.Subject = c.Subject[:5] // the rest is a digest of the objects
				}
				keys = append(keys, c.Rule+"|"+c.Subject)
				if c.Control == "" || c.Summary == "" || !strings.Contains(c.Summary, "AS64500") {
					t.Errorf("condition %+v lacks control or a summary naming the ASN", c)
				}
			}
			if strings.Join(keys, ",") != strings.Join(tc.want, ",") {
				t.Errorf("conditions = %q, want %q", keys, tc.want)
			}
		})
	}
}

func TestChangesText(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC)
	h := []rw.HistoryEntry{
		{Result: rw.CheckResult{ASN: 64500, Check: "rpki.invalid-originations", Status: rw.StatusPass, Figure: fig(0), ComputedAt: t0}},
		{Result: rw.CheckResult{ASN: 64500, Check: "rpki.invalid-originations", Status: rw.StatusFail, Figure: fig(1), ComputedAt: t0.Add(48 * time.Hour),
			Details: []rw.Detail{{Kind: "route", Prefix: "198.51.100.0/24", Origin: 64500, Note: "VRP AS64501 198.51.100.0/22-24"}}}},
	}
	cs := Changes(h)
	if len(cs) != 1 {
		t.Fatalf("changes = %d, want 1 (the first record is a baseline)", len(cs))
	}
	want := "2026-12-03: AS64500 RPKI-invalid originations (RFC 6811) pass 0 → fail 1: 198.51.100.0/24 AS64500 (VRP AS64501 198.51.100.0/22-24) became RPKI-invalid"
	if cs[0].Text != want {
		t.Errorf("text = %q\nwant   %q", cs[0].Text, want)
	}
	if s := Series(h, "rpki.invalid-originations"); len(s) != 2 || *s[1].Figure != 1 {
		t.Errorf("series = %+v", s)
	}
}

func TestChanged(t *testing.T) {
	a := res("rpki.roa-coverage", rw.StatusPass, fig(1))
	b := a
	b.ComputedAt = time.Now()
	if Changed(&a, b) {
		t.Error("a result that differs only in computation time counts as a change (history would store copies)")
	}
	b.Figure = fig(0.5)
	if !Changed(&a, b) || !Changed(nil, a) {
		t.Error("a figure change or a first result is not a change")
	}
}

func TestRulesRefused(t *testing.T) {
	for name, yml := range map[string]string{
		"no control":      "version: x\nrules:\n- {id: a, title: A, check: rpki.roa-coverage, kind: present, severity: high}\n",
		"unknown check":   "version: x\nrules:\n- {id: a, title: A, control: RS-ORIG-01, check: nope, kind: present, severity: high}\n",
		"unknown kind":    "version: x\nrules:\n- {id: a, title: A, control: RS-ORIG-01, check: rpki.roa-coverage, kind: sometimes, severity: high}\n",
		"drop no points":  "version: x\nrules:\n- {id: a, title: A, control: RS-ORIG-01, check: rpki.roa-coverage, kind: drop, severity: high}\n",
		"bad severity":    "version: x\nrules:\n- {id: a, title: A, control: RS-ORIG-01, check: rpki.roa-coverage, kind: present, severity: urgent}\n",
		"unknown field":   "version: x\nrules:\n- {id: a, title: A, control: RS-ORIG-01, check: rpki.roa-coverage, kind: present, severity: high, colour: red}\n",
		"duplicate":       "version: x\nrules:\n- {id: a, title: A, control: RS-ORIG-01, check: rpki.roa-coverage, kind: present, severity: high}\n- {id: a, title: A, control: RS-ORIG-01, check: rpki.roa-coverage, kind: present, severity: high}\n",
		"unknown control": "version: x\nrules:\n- {id: a, title: A, control: RS-NOPE-01, check: rpki.roa-coverage, kind: present, severity: high}\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseRules([]byte(yml), func(id string) bool { return id != "RS-NOPE-01" }); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// TestReleasedRulesNameControls keeps the released rules file valid: every rule names a control.
func TestReleasedRulesNameControls(t *testing.T) {
	b, err := os.ReadFile("../../controls/alert-rules/2026.1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ParseRules(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Rules) < 10 {
		t.Errorf("only %d rules", len(rs.Rules))
	}
}
