package attest

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"routewarden/controls"
	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// handMadeSource is an approved assessment built by hand: six controls with chosen results and
// a catalogue whose obligations map to them so that every obligation state occurs once.
func handMadeSource() Source {
	decided := time.Date(2026, 10, 20, 9, 30, 0, 0, time.UTC)
	lib := &control.Library{Name: "hand-made", Version: "1", Controls: []control.Control{
		{ID: "RS-T-01", Obligations: []string{"DORA-28.4.d", "DORA-28.5", "CER-13.1.d"}},
		{ID: "RS-T-02", Obligations: []string{"DORA-28.4.d"}},
		{ID: "RS-T-03", Obligations: []string{"DORA-28.5", "DORA-30.2"}},
		{ID: "RS-T-04", Obligations: []string{"NIS2-21.2.d", "NIS2-21.3"}},
		{ID: "RS-T-05", Obligations: []string{"NIS2-21.3", "IR2690-5.1.2"}},
		// Not in the report (outside the assessment's scope): its obligation is left out.
		{ID: "RS-T-06", Obligations: []string{"DORA-9.4.b"}},
	}}
	ob := func(reg, id, ref, title string) control.Obligation {
		return control.Obligation{ID: id, Reference: ref, Title: title, Regulation: reg}
	}
	cat := &control.Catalogue{Regulations: []control.Regulation{
		{ID: "CER", Obligations: []control.Obligation{ob("CER", "CER-13.1.d", "Art. 13(1)(d)", "Resilience measures")}},
		{ID: "DORA", Obligations: []control.Obligation{
			ob("DORA", "DORA-9.4.b", "Art. 9(4)(b)", "Protection and prevention"),
			ob("DORA", "DORA-28.4.d", "Art. 28(4)(d)", "Contractual arrangements"),
			ob("DORA", "DORA-28.5", "Art. 28(5)", "Appropriate information security standards"),
			ob("DORA", "DORA-30.2", "Art. 30(2)", "Key contractual provisions"),
			ob("DORA", "DORA-45.1", "Art. 45(1)", "Information-sharing arrangements"), // mapped by no control
		}},
		{ID: "IR2690", Obligations: []control.Obligation{ob("IR2690", "IR2690-5.1.2", "Annex, point 5.1.2", "Supply chain security policy")}},
		{ID: "NIS2", Obligations: []control.Obligation{
			ob("NIS2", "NIS2-21.2.d", "Art. 21(2)(d)", "Supply chain security"),
			ob("NIS2", "NIS2-21.3", "Art. 21(3)", "Vulnerabilities of suppliers"),
		}},
	}}
	res := func(id string, st score.Status) score.ControlResult {
		return score.ControlResult{ID: id, Title: "Control " + id, Status: st, Basis: score.BasisDeclared}
	}
	return Source{
		Assessment: &rw.Assessment{ID: 7, Title: "Hand-made", Library: "hand-made", LibraryVersion: "1",
			LibraryDigest: "sha256:" + strings.Repeat("ab", 32), Scope: []rw.ProviderType{rw.ProviderTransit},
			CreatedAt: decided.AddDate(0, -3, 0), DecidedAt: &decided, Summary: rw.Summary{Rating: "high", Tier: "Critical", Compliance: 0.5}},
		Vendor: &rw.Vendor{LegalName: "Hand-made Transit GmbH", Country: "DE",
			Services: []*rw.Service{{Name: "IP transit", Type: "S10", Critical: true, Regulations: []string{"DORA", "NIS2"}}}},
		Library: lib, Catalogue: cat,
		Report: score.Report{Controls: []score.ControlResult{
			res("RS-T-01", score.Met), res("RS-T-02", score.Met), res("RS-T-03", score.NotMet),
			res("RS-T-04", score.Unknown), res("RS-T-05", score.NotApplicable),
		}},
		Approved: &rw.ApprovedScope{ApprovedAt: decided, ApprovedBy: "risk@example.net", LegalName: "Hand-made Transit GmbH", Country: "DE",
			Services: []rw.ScopeService{{Name: "IP transit", Type: "S10", Critical: true, Regulations: []string{"DORA", "NIS2"}}}},
		Now: decided.AddDate(0, 1, 0),
	}
}

// wantObligations are the states the hand-made results give, worked out by hand from the
// mapping: both controls met → met; met and not met → partly met; not met → not met; unknown
// (the not-applicable control left out) → not assessed; only a not-applicable control → not
// applicable. IR2690 supplements NIS2, so it is declared with it; CER is not declared.
var wantObligations = []struct {
	id, state   string
	notDeclared bool
}{
	{"CER-13.1.d", StatusMet, true},
	{"DORA-28.4.d", StatusMet, false},
	{"DORA-28.5", StatusPartiallyMet, false},
	{"DORA-30.2", StatusNotMet, false},
	{"IR2690-5.1.2", StatusNotApplicable, false},
	{"NIS2-21.2.d", StatusUnknown, false},
	{"NIS2-21.3", StatusUnknown, false},
}

func TestObligationStatesFromControlResults(t *testing.T) {
	d := Assemble(handMadeSource())
	if len(d.Obligations) != len(wantObligations) {
		t.Fatalf("%d obligations, want %d: %+v", len(d.Obligations), len(wantObligations), d.Obligations)
	}
	for i, w := range wantObligations {
		o := d.Obligations[i]
		if o.ID != w.id || o.Status != w.state || o.NotDeclared != w.notDeclared {
			t.Errorf("obligation %d = %s %s not_declared=%v, want %s %s not_declared=%v", i, o.ID, o.Status, o.NotDeclared,
				w.id, w.state, w.notDeclared)
		}
	}
}

// TestObligationSummaryInPDF renders the hand-made assessment and reads section 2 back with
// pdftotext: the counts per framework, and every obligation of a declared framework on its own
// row with its state, before section 3; the undeclared CER is counted, not listed.
func TestObligationSummaryInPDF(t *testing.T) {
	d := Assemble(handMadeSource())
	d.ID, d.SignerName, d.VerifyURL = "RW-TEST-OBLIGATIONS", "Test signer", "https://rw.example/verify"
	data, err := Render(d, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfLayoutText(t, data), "\n")
	start, end := strings.Index(text, "2. Obligations summary"), strings.Index(text, "3. Results per control")
	if start < 0 || end < start {
		t.Fatalf("no section 2 before section 3 in:\n%s", text)
	}
	section := text[start:end]
	cells := regexp.MustCompile(`\s{2,}`)
	rows := map[string][]string{}
	for _, line := range strings.Split(section, "\n") {
		f := cells.Split(strings.TrimSpace(line), -1)
		if len(f) > 1 {
			rows[f[0]] = f[1:]
		}
	}
	for fw, want := range map[string]string{
		"DORA": "yes, by a service|1|1|1|0|0",
		"NIS2": "yes, by a service|0|0|0|2|1",
		"CER":  "no (for completeness)|1|0|0|0|0",
	} {
		if got := strings.Join(rows[fw], "|"); got != want {
			t.Errorf("count row %s = %q, want %q", fw, got, want)
		}
	}
	for _, w := range wantObligations {
		got, listed := rows[w.id]
		if w.notDeclared {
			if listed {
				t.Errorf("%s of an undeclared framework is listed in the summary: %q", w.id, got)
			}
			continue
		}
		if !listed || got[len(got)-1] != obligationLabel(w.state) {
			t.Errorf("summary row %s = %q, want state %q", w.id, got, obligationLabel(w.state))
		}
	}
	if !strings.Contains(squash(section), "CER: not declared for the services in scope; counted above and listed in the annex") {
		t.Errorf("section 2 does not say where CER is:\n%s", section)
	}
	cover := squash(pdfText(t, data)[0])
	for _, want := range []string{"DORA: 1 met, 1 partly met, 1 not met", "NIS2: 2 not assessed, 1 not applicable",
		"Approved by risk@example.net on 2026-10-20 09:30 UTC", "residual risk HIGH", "valid until 2027-10-20"} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover lacks %q:\n%s", want, cover)
		}
	}
}

// TestEveryCatalogueActHasAFramework: each act of the embedded catalogue belongs to a framework
// services can declare, so that its obligations are never wrongly marked as not declared.
func TestEveryCatalogueActHasAFramework(t *testing.T) {
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Catalogue.Regulations {
		fw := framework(r.ID)
		found := false
		for _, x := range rw.Regulations {
			found = found || x == fw
		}
		if !found {
			t.Errorf("act %s (%s) belongs to framework %q, not one of %v: add it to frameworks", r.ID, r.Title, fw, rw.Regulations)
		}
	}
}
