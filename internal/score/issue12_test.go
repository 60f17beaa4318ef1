package score

import (
	"strings"
	"testing"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// lib2026_2 is the shipped library version whose questions all carry a grading.
func lib2026_2(t *testing.T) *control.Library {
	t.Helper()
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	lib, ok := set.Library("routewarden-manrs", "2026.2")
	if !ok {
		t.Fatal("routewarden-manrs 2026.2 not shipped")
	}
	return lib
}

func fig(asn uint32, check string, status rw.CheckStatus, v float64) rw.Measurement {
	return rw.Measurement{ASN: asn, Check: check, Status: status, Figure: &v, Summary: "summary of " + check}
}

// TestAnswersCanFail rebuilds the reproductions of issue 12 item 1: answers that admit the
// practice is missing were "met" because only contradicted yes/no answers could fail.
func TestAnswersCanFail(t *testing.T) {
	lib := lib2026_2(t)
	tests := []struct {
		name    string
		control string
		answers map[string]*rw.Answer
		files   map[string]int
		status  Status
		why     string
	}{
		{"max-prefix on 0 % of sessions", "RS-FILT-05", answers("RS-FILT-05.Q1", "0", "RS-FILT-05.Q2", "peeringdb-or-irr"), nil, NotMet, "RS-FILT-05.Q1 = 0 % → not met"},
		{"max-prefix on 95 % of sessions", "RS-FILT-05", answers("RS-FILT-05.Q1", "95", "RS-FILT-05.Q2", "peeringdb-or-irr"), nil, PartiallyMet, "partially met"},
		{"max-prefix everywhere", "RS-FILT-05", answers("RS-FILT-05.Q1", "100", "RS-FILT-05.Q2", "peeringdb-or-irr"), nil, Met, "all required answers"},
		{"no AS0 for unannounced space", "RS-ORIG-03", answers("RS-ORIG-03.Q1", "yes", "RS-ORIG-03.Q2", "none"), nil, NotMet, "RS-ORIG-03.Q2 = none"},
		{"no unannounced space", "RS-ORIG-03", answers("RS-ORIG-03.Q1", "no"), nil, Met, ""},
		{"no anti-spoofing for multi-homed or own traffic", "RS-SAV-02", answers("RS-SAV-02.Q1", "none", "RS-SAV-02.Q2", "no"), nil, NotMet, "RS-SAV-02.Q2 = no"},
		{"no peer locking", "RS-FILT-08", answers("RS-FILT-08.Q1", "no"), nil, NotMet, "not met"},
		{"no notice of material changes", "RS-GOV-11", answers("RS-GOV-11.Q1", "no"), nil, NotMet, "not met"},
		{"no incident notification to customers", "RS-MON-02", answers("RS-MON-02.Q1", "no"), nil, NotMet, "not met"},
		{"notification after 720 hours against a 4-hour objective", "RS-GOV-06", answers("RS-GOV-06.Q1", "720"), map[string]int{"RS-GOV-06.Q2": 1}, NotMet, "720 hours → not met (met ≤ 4 hours, partially met ≤ 24 hours"},
		{"notification within 12 hours", "RS-GOV-06", answers("RS-GOV-06.Q1", "12"), map[string]int{"RS-GOV-06.Q2": 1}, PartiallyMet, "partially met"},
		{"notification within 4 hours", "RS-GOV-06", answers("RS-GOV-06.Q1", "4"), map[string]int{"RS-GOV-06.Q2": 1}, Met, "document(s) attached"},
		{"no ROV, no measurement", "RS-ROV-01", answers("RS-ROV-01.Q1", "none", "RS-ROV-01.Q2", "2027-03-01"), nil, NotMet, "RS-ROV-01.Q1 = none"},
		{"ROV deadline already passed", "RS-ROV-01", answers("RS-ROV-01.Q1", "some", "RS-ROV-01.Q2", "2026-01-01"), nil, NotMet, "has passed"},
		{"contract without any commitment", "RS-GOV-04", answers("RS-GOV-04.Q1", "none"), map[string]int{"RS-GOV-04.Q2": 1}, NotMet, "not met"},
		{"unmaintained validator", "RS-ROV-02", map[string]*rw.Answer{"RS-ROV-02.Q1": {Values: []string{"2"}},
			"RS-ROV-02.Q2": {Values: []string{"routinator", "octorpki"}}, "RS-ROV-02.Q3": {Values: []string{"yes"}}}, nil, NotMet, "worst chosen option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(Input{Library: lib, Scope: []string{"transit"}, Now: now, Answers: tt.answers, Evidence: tt.files, Submitted: true})
			c, _ := r.Control(tt.control)
			if c.Status != tt.status || !strings.Contains(c.Why, tt.why) {
				t.Errorf("%s = %s (%s), want %s with %q", tt.control, c.Status, c.Why, tt.status, tt.why)
			}
			if tt.control == "RS-ROV-01" && r.Card.OriginValidation == "fully deployed" {
				t.Errorf("card says origin validation fully deployed for %s", c.Why)
			}
		})
	}
}

// TestMeasuredControlAdmittedGap: a passing measurement does not hide an answer that admits the
// practice is missing.
func TestMeasuredControlAdmittedGap(t *testing.T) {
	lib := lib2026_2(t)
	r := Evaluate(Input{Library: lib, Scope: []string{"transit"}, Now: now, Submitted: true,
		Measurements: []rw.Measurement{fig(1, "rov.invalid-propagation", rw.StatusPass, 0)},
		Answers:      answers("RS-ROV-01.Q1", "none", "RS-ROV-01.Q2", "2027-03-01")})
	c, _ := r.Control("RS-ROV-01")
	if c.Status != NotMet || c.Basis != BasisMeasured || !strings.Contains(c.Why, "The answers admit less") {
		t.Errorf("RS-ROV-01 = %s/%s (%s)", c.Status, c.Basis, c.Why)
	}
}

// TestUpstreamDirection rebuilds issue 12 item 2: the best-connected ASN decided
// upstream.concentration, and a transit-free network (pass, figure 0) failed RS-RES-01.
func TestUpstreamDirection(t *testing.T) {
	lib := lib2026_2(t)
	const check = "upstream.concentration"
	tests := []struct {
		name   string
		ms     []rw.Measurement
		status Status
		asn    uint32
	}{
		{"worst ASN decides", []rw.Measurement{fig(1, check, rw.StatusPass, 4), fig(2, check, rw.StatusWarn, 1)}, NotMet, 2},
		{"two upstreams is the warn band", []rw.Measurement{fig(1, check, rw.StatusPass, 4), fig(2, check, rw.StatusPass, 2)}, PartiallyMet, 2},
		{"transit-free network passes by the check's status", []rw.Measurement{fig(1, check, rw.StatusPass, 0)}, Met, 1},
		{"figure 0 without a pass status still fails", []rw.Measurement{fig(1, check, rw.StatusFail, 0)}, NotMet, 1},
		{"transit-free next to a single-homed ASN", []rw.Measurement{fig(1, check, rw.StatusPass, 0), fig(2, check, rw.StatusWarn, 1)}, NotMet, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(Input{Library: lib, Scope: []string{"transit"}, Now: now, Measurements: tt.ms, Submitted: true})
			c, _ := r.Control("RS-RES-01")
			if c.Status != tt.status || len(c.Checks) != 1 || c.Checks[0].ASN != tt.asn {
				t.Errorf("RS-RES-01 = %s %+v (%s), want %s on AS%d", c.Status, c.Checks, c.Why, tt.status, tt.asn)
			}
		})
	}
	// Contradictions see the worst ASN too: two upstreams claimed, one measured on AS2.
	r := Evaluate(Input{Library: lib, Scope: []string{"transit"}, Now: now,
		Measurements: []rw.Measurement{fig(1, check, rw.StatusPass, 4), fig(2, check, rw.StatusWarn, 1)},
		Answers:      answers("RS-RES-01.Q1", "3")})
	if len(r.Discrepancies) != 1 || r.Discrepancies[0].ASN != 2 {
		t.Errorf("discrepancies %+v, want one on AS2", r.Discrepancies)
	}
}

// TestFilteringTrigger rebuilds issue 12 item 3: one propagated invalid or one inferred leak
// made the rating severe, ignoring the bands, waivers and resolutions.
func TestFilteringTrigger(t *testing.T) {
	lib := lib2026_2(t)
	prop := func(n float64) rw.Measurement { return fig(64500, "rov.invalid-propagation", rw.StatusFail, n) }
	leak := func(n float64) rw.Measurement { return fig(64500, "leak.valley-free", rw.StatusFail, n) }
	waiver := []*rw.Waiver{{ControlID: "RS-ROV-01", ExpiresAt: now.AddDate(0, 6, 0), Justification: "ROV roll-out plan", CreatedBy: "risk"}}
	sided := map[string]*rw.Resolution{"RS-ROV-01.Q1/rov.invalid-propagation": {Key: "RS-ROV-01.Q1/rov.invalid-propagation",
		Outcome: "answer", Reason: "the collector peer sits behind a non-validating customer", ResolvedBy: "risk"}}
	tests := []struct {
		name     string
		ms       []rw.Measurement
		answers  map[string]*rw.Answer
		waivers  []*rw.Waiver
		res      map[string]*rw.Resolution
		profiles string
		evidence string
	}{
		{"one propagated invalid is the warn band", []rw.Measurement{prop(1)}, nil, nil, nil, "Moderate", "rov.invalid-propagation = 1 on AS64500 (warn"},
		{"eleven propagated invalids fail", []rw.Measurement{prop(11)}, nil, nil, nil, "Severe", "summary of rov.invalid-propagation"},
		{"one inferred leak is the warn band", []rw.Measurement{leak(1)}, nil, nil, nil, "Moderate", "leak.valley-free = 1"},
		{"three leaks fail", []rw.Measurement{leak(3)}, nil, nil, nil, "Severe", "RS-FILT-06 Not met"},
		{"waiver accepts the risk", []rw.Measurement{prop(11)}, nil, waiver, nil, "", ""},
		{"reviewer sided with the answer", []rw.Measurement{prop(11)}, answers("RS-ROV-01.Q1", "all", "RS-ROV-01.Q3", "2025-01-01"), nil, sided, "", ""},
		{"no propagation", []rw.Measurement{prop(0)}, nil, nil, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(Input{Library: lib, Scope: []string{"transit"}, Now: now, Measurements: tt.ms, Answers: tt.answers,
				Waivers: tt.waivers, Resolutions: tt.res, Submitted: true}).Residual
			var profiles []string
			var evidence string
			for _, tr := range r.Triggers {
				if strings.Contains(tr.Condition, "filtering") {
					profiles = append(profiles, tr.Profile)
					evidence += tr.Evidence
				}
			}
			if strings.Join(profiles, ",") != tt.profiles || !strings.Contains(evidence, tt.evidence) {
				t.Errorf("filtering triggers %v (%s), want %q with %q; steps %v", profiles, evidence, tt.profiles, tt.evidence, r.Steps)
			}
			if tt.profiles != "Severe" && r.Rating == "severe" {
				t.Errorf("rated severe without a failing filtering control: %v", r.Steps)
			}
		})
	}
}

// TestProvisionalRating rebuilds issue 12 item 5: a draft at 8 % progress was rated severe
// because every unanswered control counted as not met.
func TestProvisionalRating(t *testing.T) {
	lib := lib2026_2(t)
	good := []rw.Measurement{fig(1, "rpki.roa-coverage", rw.StatusPass, 1), fig(1, "rpki.score", rw.StatusPass, 1),
		fig(1, "rpki.invalid-originations", rw.StatusPass, 0), fig(1, "rov.invalid-propagation", rw.StatusPass, 0),
		fig(1, "leak.valley-free", rw.StatusPass, 0), fig(1, "irr.route-coverage", rw.StatusPass, 1)}
	tests := []struct {
		name        string
		in          Input
		rating      string
		provisional bool
	}{
		{"draft with good measurements", Input{Measurements: good, Answers: answers("RS-ORIG-02.Q1", "yes")}, "low", true},
		{"draft without measurements", Input{Answers: answers("RS-ORIG-02.Q1", "yes")}, "", true},
		{"draft whose answers fail count only once submitted", Input{Measurements: good, Answers: answers("RS-FILT-05.Q1", "0", "RS-SAV-02.Q1", "none")}, "low", true},
		{"submitted: unknown controls left out, failing answers count", Input{Measurements: good, Submitted: true,
			Answers: answers("RS-FILT-05.Q1", "0", "RS-FILT-05.Q2", "default")}, "low", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Library, tt.in.Scope, tt.in.Now = lib, []string{"transit"}, now
			rep := Evaluate(tt.in)
			r := rep.Residual
			if r.Rating != tt.rating || r.Provisional != tt.provisional || r.Unknown == 0 {
				t.Errorf("rating %q provisional %v unknown %d, want %q %v; steps %v", r.Rating, r.Provisional, r.Unknown, tt.rating, tt.provisional, r.Steps)
			}
			if s := rep.Summary(now); s.Provisional != tt.provisional || s.Rating != tt.rating {
				t.Errorf("summary %+v", s)
			}
		})
	}
}
