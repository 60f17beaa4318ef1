package score

import (
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

func f(v float64) *float64 { return &v }

// testLibrary is a small library with one control of each basis, one outside the scope and one
// whose only question depends on another answer.
func testLibrary() *control.Library {
	return &control.Library{Name: "test", Version: "1", Readiness: control.Readiness{Ready: 0.9, Aspiring: 0.6,
		Actions: map[string]control.ActionThreshold{"netops-4": {Ready: 0.95, Aspiring: 0.5}}},
		Families: []control.Family{{ID: "ORIG", Title: "Origin"}, {ID: "ROV", Title: "ROV"}},
		Controls: []control.Control{
			{ID: "C-MEAS", Family: "ORIG", AppliesTo: []string{"transit"}, MANRS: []string{"netops-4"}, Weight: 5, Basis: "measured",
				Checks: []control.CheckRule{{Check: "rpki.roa-coverage", Better: "higher", Pass: 0.98, Warn: f(0.9)}},
				Questions: []control.Question{{ID: "C-MEAS.Q1", Type: "percentage", Prefill: "rpki.roa-coverage",
					Contradictions: []control.Contradiction{{Answer: control.AnswerTest{Op: ">=", Value: "95"},
						Measured: control.CheckTest{Check: "rpki.roa-coverage", Op: "<", Value: 0.9}, Reason: "claims coverage"}}}}},
			{ID: "C-EVID", Family: "ORIG", AppliesTo: []string{"transit"}, MANRS: []string{"netops-1"}, Weight: 3, Basis: "evidenced",
				Evidence:  []control.Evidence{{ID: "doc", Required: true}},
				Questions: []control.Question{{ID: "C-EVID.Q1", Type: "yes_no"}, {ID: "C-EVID.Q2", Type: "file", Evidence: "doc"}}},
			{ID: "C-DECL", Family: "ROV", AppliesTo: []string{"transit", "ixp"}, MANRS: []string{"netops-1"}, Weight: 2, Basis: "declared",
				Questions: []control.Question{{ID: "C-DECL.Q1", Type: "yes_no", Contradictions: []control.Contradiction{{
					Answer: control.AnswerTest{Op: "=", Value: "yes"}, Measured: control.CheckTest{Check: "rov.invalid-propagation", Op: ">", Value: 0}}}},
					{ID: "C-DECL.Q2", Type: "text", When: &control.Condition{Question: "C-DECL.Q1", Op: "=", Value: "yes"}}}},
			{ID: "C-IXP", Family: "ROV", AppliesTo: []string{"ixp"}, MANRS: []string{"ixp-1"}, Weight: 1, Basis: "declared",
				Questions: []control.Question{{ID: "C-IXP.Q1", Type: "yes_no"}}},
			{ID: "C-COND", Family: "ROV", AppliesTo: []string{"transit"}, Weight: 1, Basis: "declared",
				Questions: []control.Question{{ID: "C-COND.Q1", Type: "text", When: &control.Condition{Question: "C-DECL.Q1", Op: "=", Value: "no"}}}},

			// RS-ROV-01 carries the filtering trigger of the residual rating.
			{ID: "RS-ROV-01", Family: "ROV", AppliesTo: []string{"transit"}, Weight: 1, Basis: "measured",
				Checks: []control.CheckRule{{Check: "rov.invalid-propagation", Better: "lower", Pass: 0, Warn: f(10)}},
				Questions: []control.Question{{ID: "RS-ROV-01.Q1", Type: "yes_no", Optional: true, Contradictions: []control.Contradiction{{
					Answer: control.AnswerTest{Op: "=", Value: "yes"}, Measured: control.CheckTest{Check: "rov.invalid-propagation", Op: ">", Value: 0}}}}}},
		}}
}

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func answers(kv ...string) map[string]*rw.Answer {
	out := map[string]*rw.Answer{}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = &rw.Answer{QuestionID: kv[i], Values: []string{kv[i+1]}}
	}
	return out
}

func cov(asn uint32, v float64) rw.Measurement {
	return rw.Measurement{ASN: asn, Check: "rpki.roa-coverage", Status: rw.StatusPass, Figure: &v}
}

func TestControlStatus(t *testing.T) {
	full := answers("C-EVID.Q1", "yes", "C-DECL.Q1", "yes", "C-DECL.Q2", "drop invalids")
	changes := answers("C-EVID.Q1", "yes", "C-DECL.Q1", "yes", "C-DECL.Q2", "x")
	changes["C-DECL.Q2"].Review = rw.ReviewChanges
	tests := []struct {
		name    string
		in      Input
		control string
		status  Status
		basis   Basis
		why     string
	}{
		{"measured pass", Input{Measurements: []rw.Measurement{cov(1, 0.99)}}, "C-MEAS", Met, BasisMeasured, "pass ≥ 0.98"},
		{"measured warn", Input{Measurements: []rw.Measurement{cov(1, 0.95)}}, "C-MEAS", PartiallyMet, BasisMeasured, "warn"},
		{"worst ASN decides", Input{Measurements: []rw.Measurement{cov(1, 0.99), cov(2, 0.5)}}, "C-MEAS", NotMet, BasisMeasured, "on AS2"},
		{"measurement stands after resolution", Input{Measurements: []rw.Measurement{cov(1, 0.5)}, Answers: answers("C-MEAS.Q1", "97"),
			Resolutions: map[string]*rw.Resolution{"C-MEAS.Q1/rpki.roa-coverage": {Outcome: "measurement", Reason: "r"}}}, "C-MEAS", NotMet, BasisMeasured, "outranks"},
		{"reviewer sides with the answer", Input{Measurements: []rw.Measurement{cov(1, 0.5)}, Answers: answers("C-MEAS.Q1", "97"),
			Resolutions: map[string]*rw.Resolution{"C-MEAS.Q1/rpki.roa-coverage": {Key: "C-MEAS.Q1/rpki.roa-coverage", Outcome: "answer", Reason: "collector missed our ROAs", ResolvedBy: "risk"}}},
			"C-MEAS", Met, BasisDeclared, "Measurement set aside: risk resolved"},
		{"unknown measurement never passes", Input{Measurements: []rw.Measurement{{ASN: 1, Check: "rpki.roa-coverage", Status: rw.StatusUnknown}}},
			"C-MEAS", Unknown, BasisDeclared, "No measurement available"},
		{"measured control falls back to answers", Input{Answers: answers("C-MEAS.Q1", "99")}, "C-MEAS", Met, BasisDeclared, "No measurement"},
		{"evidenced with document", Input{Answers: full, Evidence: map[string]int{"C-EVID.Q2": 1}}, "C-EVID", Met, BasisEvidenced, "document(s) attached"},
		{"evidence missing", Input{Answers: full}, "C-EVID", PartiallyMet, BasisDeclared, "1 required document(s) missing"},
		{"declared met", Input{Answers: full}, "C-DECL", Met, BasisDeclared, "all required answers"},
		{"declared absence", Input{Answers: answers("C-DECL.Q1", "no")}, "C-DECL", NotMet, BasisDeclared, "declared absence"},
		{"no answers", Input{}, "C-DECL", Unknown, BasisDeclared, "no answers yet"},
		{"required follow-up missing", Input{Answers: answers("C-DECL.Q1", "yes")}, "C-DECL", PartiallyMet, BasisDeclared, "1 required answer"},
		{"changes requested", Input{Answers: changes}, "C-DECL", PartiallyMet, BasisDeclared, "changes requested on C-DECL.Q2"},
		{"open finding", Input{Answers: full, Findings: []*rw.Finding{{ControlID: "C-DECL", Status: "open", Severity: "high", Title: "no filters seen"}}},
			"C-DECL", NotMet, BasisDeclared, "Open high finding by : no filters seen"},
		{"finding holds against a passing measurement", Input{Measurements: []rw.Measurement{cov(1, 1)}, Findings: []*rw.Finding{{ControlID: "C-MEAS", Status: "open", Severity: "high", Title: "ROAs for a third party's space"}}},
			"C-MEAS", NotMet, BasisMeasured, "Open high finding"},
		{"resolved finding ignored", Input{Answers: full, Findings: []*rw.Finding{{ControlID: "C-DECL", Status: "resolved"}}}, "C-DECL", Met, BasisDeclared, ""},
		{"outside scope", Input{}, "C-IXP", NotApplicable, BasisDeclared, "Applies to ixp only"},
		{"all questions skipped", Input{Answers: full}, "C-COND", NotApplicable, BasisDeclared, "skipped"},
		{"condition shows the question", Input{Answers: answers("C-DECL.Q1", "no")}, "C-COND", Unknown, BasisDeclared, "no answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Library, tt.in.Scope, tt.in.Now = testLibrary(), []string{"transit"}, now
			r := Evaluate(tt.in)
			c, ok := r.Control(tt.control)
			if !ok {
				t.Fatalf("no result for %s", tt.control)
			}
			if c.Status != tt.status || c.Basis != tt.basis || !strings.Contains(c.Why, tt.why) {
				t.Errorf("%s = %s/%s (%s), want %s/%s with %q", tt.control, c.Status, c.Basis, c.Why, tt.status, tt.basis, tt.why)
			}
		})
	}
}

func TestWaiver(t *testing.T) {
	for _, tt := range []struct {
		name    string
		expires time.Time
		waived  bool
		rating  string
	}{
		{"active waiver accepts the risk", now.AddDate(0, 1, 0), true, "low"},
		{"expired waiver does not", now.AddDate(0, -1, 0), false, "severe"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := Input{Library: testLibrary(), Scope: []string{"transit"}, Now: now, Measurements: []rw.Measurement{cov(1, 0.5)}, Submitted: true,
				Answers:  answers("C-EVID.Q1", "yes", "C-DECL.Q1", "yes", "C-DECL.Q2", "x"),
				Evidence: map[string]int{"C-EVID.Q2": 1},
				Waivers:  []*rw.Waiver{{ControlID: "C-MEAS", ExpiresAt: tt.expires, Justification: "plan agreed", CreatedBy: "risk"}}}
			r := Evaluate(in)
			c, _ := r.Control("C-MEAS")
			if c.Waived != tt.waived || c.Status != NotMet {
				t.Errorf("C-MEAS waived=%v status=%s", c.Waived, c.Status)
			}
			// Coverage of 50 % also fires the lagging-RPKI trigger (at least medium).
			if want := map[bool]string{true: "medium", false: "high"}[tt.waived]; r.Residual.Rating != want {
				t.Errorf("rating %s, want %s (%v)", r.Residual.Rating, want, r.Residual.Steps)
			}
		})
	}
}

func TestReadiness(t *testing.T) {
	in := Input{Library: testLibrary(), Scope: []string{"transit"}, Now: now, Measurements: []rw.Measurement{cov(1, 0.95)},
		Answers: answers("C-EVID.Q1", "yes", "C-DECL.Q1", "no")}
	r := Evaluate(in)
	got := map[string]Readiness{}
	for _, a := range r.Readiness {
		got[a.Action] = a
	}
	// netops-4: C-MEAS partially met → 0.5, action override Aspiring ≥ 0.5 → Aspiring.
	if a := got["netops-4"]; a.Percent != 50 || a.Level != control.LevelAspiring || a.Ready != 0.95 {
		t.Errorf("netops-4 = %+v", a)
	}
	// netops-1: C-EVID partially (3×0.5) + C-DECL not met (2×0) = 1.5/5 = 30 % → Lagging.
	if a := got["netops-1"]; a.Percent != 30 || a.Level != control.LevelLagging || !strings.Contains(a.Formula, "1.5 / 5") {
		t.Errorf("netops-1 = %+v", a)
	}
	if _, ok := got["ixp-1"]; ok {
		t.Error("readiness for an action whose controls are all out of scope")
	}
	full := Evaluate(Input{Library: testLibrary(), Scope: []string{"transit"}, Now: now, Measurements: []rw.Measurement{cov(1, 1)},
		Answers: answers("C-EVID.Q1", "yes", "C-DECL.Q1", "yes", "C-DECL.Q2", "x"), Evidence: map[string]int{"C-EVID.Q2": 2}})
	for _, a := range full.Readiness {
		if a.Level != control.LevelReady || a.Percent != 100 {
			t.Errorf("%s = %+v, want Ready", a.Action, a)
		}
	}
}

func TestInherentTier(t *testing.T) {
	svc := func(critical bool, subst string, regs ...string) *rw.Service {
		return &rw.Service{Name: "svc", Critical: critical, Substitutability: subst, Regulations: regs}
	}
	tests := []struct {
		name     string
		services []*rw.Service
		shared   []uint32
		tier     string
		triggers int
	}{
		{"regulated critical function", []*rw.Service{svc(true, "highly_complex", "DORA")}, nil, "Critical", 2},
		{"hard to substitute", []*rw.Service{svc(true, "not_substitutable")}, nil, "Elevated", 1},
		{"shared upstreams", []*rw.Service{svc(true, "easily_substitutable")}, []uint32{64500}, "Elevated", 1},
		{"critical but substitutable", []*rw.Service{svc(true, "easily_substitutable")}, nil, "Moderate", 0},
		{"regulation without critical function", []*rw.Service{svc(false, "", "NIS2")}, nil, "Low", 0},
		{"no services", nil, nil, "Low", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inherent(tt.services, tt.shared)
			if got.Tier != tt.tier || len(got.Triggers) != tt.triggers {
				t.Errorf("tier %s with %d triggers, want %s with %d: %+v", got.Tier, len(got.Triggers), tt.tier, tt.triggers, got)
			}
		})
	}
}

func TestResidualRating(t *testing.T) {
	good := answers("C-EVID.Q1", "yes", "C-DECL.Q1", "yes", "C-DECL.Q2", "x")
	ev := map[string]int{"C-EVID.Q2": 1}
	crit := []*rw.Service{{Name: "transit", Critical: true, Regulations: []string{"DORA"}}}
	wv := []*rw.Waiver{{ControlID: "C-MEAS", ExpiresAt: now.AddDate(1, 0, 0), Justification: "ROA plan", CreatedBy: "risk"}}
	prop := rw.Measurement{ASN: 7, Check: "rov.invalid-propagation", Status: rw.StatusFail, Figure: f(11)}
	tests := []struct {
		name     string
		in       Input
		rating   string
		triggers []string
	}{
		{"all met", Input{Answers: good, Evidence: ev, Measurements: []rw.Measurement{cov(1, 1)}}, "low", nil},
		{"lagging RPKI floors at medium", Input{Answers: good, Evidence: ev, Measurements: []rw.Measurement{cov(1, 0.85)}, Waivers: wv}, "medium", []string{"Moderate"}},
		{"critical tier raises medium", Input{Answers: good, Evidence: ev, Measurements: []rw.Measurement{cov(1, 0.85)}, Services: crit, Waivers: wv}, "high", []string{"Moderate"}},
		{"measured invalid propagation is severe", Input{Answers: good, Evidence: ev, Measurements: []rw.Measurement{cov(1, 1), prop}}, "severe", []string{"Severe"}},
		{"half met is high", Input{Answers: good, Evidence: ev, Measurements: []rw.Measurement{cov(1, 0.5)}}, "high", []string{"Moderate"}},
		{"nothing answered: unknown is not rated, not severe", Input{}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Library, tt.in.Scope, tt.in.Now, tt.in.Submitted = testLibrary(), []string{"transit"}, now, true
			r := Evaluate(tt.in).Residual
			var profiles []string
			for _, tr := range r.Triggers {
				profiles = append(profiles, tr.Profile)
			}
			if r.Rating != tt.rating || strings.Join(profiles, ",") != strings.Join(tt.triggers, ",") || len(r.Steps) == 0 {
				t.Errorf("rating %s triggers %v, want %s %v; steps %v", r.Rating, profiles, tt.rating, tt.triggers, r.Steps)
			}
		})
	}
}

func TestDiscrepancies(t *testing.T) {
	in := Input{Library: testLibrary(), Scope: []string{"transit"}, Now: now,
		Answers:      answers("C-MEAS.Q1", "97", "C-DECL.Q1", "yes"),
		Measurements: []rw.Measurement{cov(64500, 0.62), {ASN: 64500, Check: "rov.invalid-propagation", Status: rw.StatusFail, Figure: f(0)}}}
	r := Evaluate(in)
	if len(r.Discrepancies) != 1 {
		t.Fatalf("discrepancies = %+v, want one (coverage); propagation 0 contradicts nothing", r.Discrepancies)
	}
	d := r.Discrepancies[0]
	if d.Key != "C-MEAS.Q1/rpki.roa-coverage" || d.Figure != 0.62 || d.ASN != 64500 || d.Resolved || d.Reason != "claims coverage" {
		t.Errorf("discrepancy = %+v", d)
	}
	if r.Summary(now).Discrepancies != 1 {
		t.Error("summary does not count the open discrepancy")
	}
	in.Resolutions = map[string]*rw.Resolution{d.Key: {Key: d.Key, Outcome: "measurement", Reason: "RIR data is current", ResolvedBy: "risk"}}
	r = Evaluate(in)
	if !r.Discrepancies[0].Resolved || len(r.OpenDiscrepancies()) != 0 {
		t.Errorf("resolution not applied: %+v", r.Discrepancies)
	}
	// A measured (pre-filled) answer never contradicts its own measurement.
	in.Answers["C-MEAS.Q1"].Measured = true
	if r := Evaluate(in); len(r.Discrepancies) != 0 {
		t.Errorf("measured answer flagged: %+v", r.Discrepancies)
	}
}

func TestPrefillAndProgress(t *testing.T) {
	lib := testLibrary()
	pre := Prefill(lib, []string{"transit"}, []rw.Measurement{cov(1, 0.623), cov(2, 0.9)})
	if len(pre) != 1 || pre[0].QuestionID != "C-MEAS.Q1" || pre[0].Values[0] != "62.3" || !pre[0].Measured {
		t.Fatalf("prefill = %+v", pre)
	}
	in := Input{Library: lib, Scope: []string{"transit"}, Answers: answers("C-MEAS.Q1", "62.3", "C-DECL.Q1", "yes")}
	p := Evaluate(in).Progress
	// Required: C-MEAS.Q1, C-EVID.Q1, C-DECL.Q1, C-DECL.Q2 (visible now); evidence: C-EVID.Q2.
	if p.Required != 4 || p.Answered != 2 || p.EvidenceRequired != 1 || p.Complete() || strings.Join(p.Missing, ",") != "C-EVID.Q1,C-DECL.Q2" {
		t.Errorf("progress = %+v", p)
	}
	if len(p.Sections) != 2 || p.Sections[0].Family != "ORIG" || p.Sections[0].Required != 3 {
		t.Errorf("sections = %+v", p.Sections)
	}
}

func TestEmbeddedLibrary(t *testing.T) {
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	lib := set.Latest()[0]
	r := Evaluate(Input{Library: lib, Scope: []string{"transit"}, Now: now,
		Measurements: []rw.Measurement{cov(64500, 0.62)}, Answers: answers("RS-ORIG-01.Q1", "97")})
	if len(r.Controls) != len(lib.Controls) || len(r.Readiness) == 0 || len(r.Discrepancies) != 1 {
		t.Fatalf("%d results, %d readiness, %d discrepancies", len(r.Controls), len(r.Readiness), len(r.Discrepancies))
	}
	seen := map[Status]bool{}
	for _, c := range r.Controls {
		seen[c.Status] = true
		if c.Why == "" {
			t.Errorf("%s has no explanation", c.ID)
		}
	}
	if !seen[NotApplicable] || !seen[Unknown] || !seen[NotMet] {
		t.Errorf("statuses seen: %v", seen)
	}
}
