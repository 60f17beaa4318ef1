package report

import (
	"reflect"
	"testing"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// handCatalogue: DORA with an RTS that supplements it, NIS2 and CER; DORA-45.1 is mapped by no
// control and DORA-INFO is informational.
func handCatalogue() *control.Catalogue {
	ob := func(reg, id string) control.Obligation {
		return control.Obligation{ID: id, Reference: "Art. " + id, Title: "Obligation " + id, Regulation: reg}
	}
	info := ob("DORA", "DORA-INFO")
	info.Informational = true
	return &control.Catalogue{Regulations: []control.Regulation{
		{ID: "CER", Obligations: []control.Obligation{ob("CER", "CER-13")}},
		{ID: "DORA", Obligations: []control.Obligation{ob("DORA", "DORA-28"), ob("DORA", "DORA-30"), ob("DORA", "DORA-45.1"), info}},
		{ID: "NIS2", Obligations: []control.Obligation{ob("NIS2", "NIS2-21")}},
		{ID: "RTS1773", Obligations: []control.Obligation{ob("RTS1773", "RTS1773-4")}},
	}}
}

// handLibrary maps: C1 → DORA-28, NIS2-21; C2 → DORA-28, RTS1773-4; C3 → DORA-30, CER-13;
// C4 → DORA-30.
func handLibrary() *control.Library {
	return &control.Library{Name: "hand", Version: "1", Controls: []control.Control{
		{ID: "C1", Obligations: []string{"DORA-28", "NIS2-21"}},
		{ID: "C2", Obligations: []string{"DORA-28", "RTS1773-4"}},
		{ID: "C3", Obligations: []string{"DORA-30", "CER-13"}},
		{ID: "C4", Obligations: []string{"DORA-30"}},
	}}
}

func supplier(id int64, name string, critical bool, regs []string, a *rw.Assessment, lib *control.Library, out map[string]rw.ControlOutcome) CoverageSource {
	return CoverageSource{Vendor: &rw.Vendor{ID: id, LegalName: name,
		Services: []*rw.Service{{Name: "Transit", Type: "S10", Critical: critical, Regulations: regs}}},
		Assessment: a, Library: lib, Outcomes: out}
}

func outcomes(kv ...string) map[string]rw.ControlOutcome {
	m := map[string]rw.ControlOutcome{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = rw.ControlOutcome{Status: kv[i+1], Basis: "declared"}
	}
	return m
}

func TestComputeCoverageRule(t *testing.T) {
	decided := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	lib := handLibrary()
	approved := func(id int64, tier string) *rw.Assessment {
		return &rw.Assessment{ID: id, Library: "hand", LibraryVersion: "1", State: rw.StateApproved, DecidedAt: &decided, Summary: rw.Summary{Tier: tier}}
	}
	waived := outcomes("C1", "met", "C2", "met", "C3", "not_met", "C4", "unknown")
	waived["C3"] = rw.ControlOutcome{Status: "not_met", Basis: "measured", Waived: true}
	in := CoverageInput{Now: decided, Catalogue: handCatalogue(), Suppliers: []CoverageSource{
		// All met under DORA; NIS2 and CER not declared.
		supplier(1, "Alpha", true, []string{"DORA"}, approved(11, "Critical"), lib, outcomes("C1", "met", "C2", "met", "C3", "met", "C4", "met")),
		// Mixed: met + not met → partly; not met + unknown → failed; NIS2 via C1 not met → failed.
		supplier(2, "Bravo", true, []string{"DORA", "NIS2"}, approved(12, "High"), lib, outcomes("C1", "not_met", "C2", "partially_met", "C3", "not_met", "C4", "unknown")),
		// Controls outside the scope (absent or not applicable) → not applicable; all unknown → unknown.
		supplier(3, "Charlie", false, []string{"DORA", "CER"}, approved(13, "Low"), lib, outcomes("C1", "unknown", "C2", "not_applicable", "C4", "unknown")),
		// No approved assessment: unknown with the reason; NIS2 is out of scope.
		supplier(4, "Delta", false, []string{"DORA"}, nil, nil, nil),
		// Library version not loaded; results not kept.
		supplier(5, "Echo", false, []string{"DORA"}, approved(15, ""), nil, nil),
		supplier(6, "Foxtrot", false, []string{"DORA"}, approved(16, ""), lib, nil),
		// A waived shortfall stays a shortfall, flagged waived.
		supplier(7, "Golf", true, []string{"DORA", "CER"}, approved(17, "Critical"), lib, waived),
	}}
	cov := ComputeCoverage(in)
	var cols []string
	for _, o := range cov.Obligations {
		cols = append(cols, o.ID)
	}
	// Catalogue order; the unmapped DORA-45.1 is not a column, the informational one not at all.
	if want := []string{"CER-13", "DORA-28", "DORA-30", "NIS2-21", "RTS1773-4"}; !reflect.DeepEqual(cols, want) {
		t.Fatalf("columns = %v, want %v", cols, want)
	}
	if !reflect.DeepEqual(cov.Unmapped, []string{"DORA-45.1"}) {
		t.Errorf("unmapped = %v", cov.Unmapped)
	}
	// Rows: critical first, then by name.
	want := map[string][]string{
		//           CER-13        DORA-28         DORA-30         NIS2-21         RTS1773-4
		"Alpha":   {CoverOutOfScope, CoverMet, CoverMet, CoverOutOfScope, CoverMet},
		"Bravo":   {CoverOutOfScope, CoverPartly, CoverFailed, CoverFailed, CoverPartly},
		"Golf":    {CoverFailed, CoverMet, CoverFailed, CoverOutOfScope, CoverMet},
		"Charlie": {CoverNotApplicable, CoverUnknown, CoverUnknown, CoverOutOfScope, CoverNotApplicable},
		"Delta":   {CoverOutOfScope, CoverUnknown, CoverUnknown, CoverOutOfScope, CoverUnknown},
		"Echo":    {CoverOutOfScope, CoverUnknown, CoverUnknown, CoverOutOfScope, CoverUnknown},
		"Foxtrot": {CoverOutOfScope, CoverUnknown, CoverUnknown, CoverOutOfScope, CoverUnknown},
	}
	order := []string{"Alpha", "Bravo", "Golf", "Charlie", "Delta", "Echo", "Foxtrot"}
	if len(cov.Suppliers) != len(order) {
		t.Fatalf("%d suppliers", len(cov.Suppliers))
	}
	for i, s := range cov.Suppliers {
		if s.Vendor != order[i] {
			t.Errorf("row %d = %s, want %s", i, s.Vendor, order[i])
		}
		var got []string
		for _, c := range s.Cells {
			got = append(got, c.State)
		}
		if !reflect.DeepEqual(got, want[s.Vendor]) {
			t.Errorf("%s: %v, want %v", s.Vendor, got, want[s.Vendor])
		}
	}
	row := func(name string) CoverageSupplier {
		for _, s := range cov.Suppliers {
			if s.Vendor == name {
				return s
			}
		}
		t.Fatalf("no row %s", name)
		return CoverageSupplier{}
	}
	// Reasons name what is missing.
	for name, reason := range map[string]string{"Delta": "No decided assessment (approved or rejected) yet.",
		"Echo":    "The control library hand 1 of its assessment is not loaded.",
		"Foxtrot": "The results of its decided assessment were not kept; open the assessment to score it again."} {
		if c := row(name).Cells[1]; c.Reason != reason {
			t.Errorf("%s reason = %q, want %q", name, c.Reason, reason)
		}
	}
	if c := row("Alpha").Cells[0]; c.Reason != "No service of this supplier is declared under CER." {
		t.Errorf("out-of-scope reason = %q", c.Reason)
	}
	// The evidence behind a cell: the controls with status and basis, not-applicable ones left out.
	if c := row("Bravo").Cells[1]; !reflect.DeepEqual(c.Controls, []CellControl{{ID: "C1", Status: "not_met", Basis: "declared"}, {ID: "C2", Status: "partially_met", Basis: "declared"}}) {
		t.Errorf("Bravo DORA-28 controls = %+v", c.Controls)
	}
	if c := row("Golf").Cells[0]; !c.Waived || len(c.Controls) != 1 || !c.Controls[0].Waived || c.Controls[0].Basis != "measured" {
		t.Errorf("Golf CER-13 = %+v, want failed and waived", c)
	}
	if row("Bravo").Tier != "High" || row("Bravo").AssessmentID != 12 || row("Bravo").Library != "hand 1" {
		t.Errorf("Bravo row = %+v", row("Bravo"))
	}
	// Counts per column and overall.
	if got := cov.Obligations[1].Counts; got[CoverMet] != 2 || got[CoverPartly] != 1 || got[CoverUnknown] != 4 || cov.Obligations[1].InScope != 7 {
		t.Errorf("DORA-28 counts = %v in scope %d", got, cov.Obligations[1].InScope)
	}
	if cov.Counts[CoverFailed] != 4 || cov.Counts[CoverMet] != 5 || cov.Counts[CoverOutOfScope] != 11 {
		t.Errorf("counts = %v", cov.Counts)
	}
	if !reflect.DeepEqual(cov.Obligations[1].Controls, []string{"C1", "C2"}) {
		t.Errorf("DORA-28 controls = %v", cov.Obligations[1].Controls)
	}
}

func TestComputeCoverageFilters(t *testing.T) {
	lib := handLibrary()
	a := func(id int64, tier string) *rw.Assessment {
		return &rw.Assessment{ID: id, Library: "hand", LibraryVersion: "1", State: rw.StateApproved, Summary: rw.Summary{Tier: tier}}
	}
	all := outcomes("C1", "met", "C2", "met", "C3", "met", "C4", "met")
	sup := []CoverageSource{
		supplier(1, "Alpha", true, []string{"DORA", "NIS2"}, a(1, "Critical"), lib, all),
		supplier(2, "Bravo", false, []string{"DORA"}, a(2, "Low"), lib, all),
	}
	yes, no := true, false
	for _, tc := range []struct {
		name     string
		f        CoverageFilter
		rows     []string
		cols     []string
		unmapped int
	}{
		{"none", CoverageFilter{}, []string{"Alpha", "Bravo"}, []string{"CER-13", "DORA-28", "DORA-30", "NIS2-21", "RTS1773-4"}, 1},
		// A framework selects its acts and the acts that supplement it.
		{"framework DORA", CoverageFilter{Regulation: "dora"}, []string{"Alpha", "Bravo"}, []string{"DORA-28", "DORA-30", "RTS1773-4"}, 1},
		{"act RTS1773", CoverageFilter{Regulation: "RTS1773"}, []string{"Alpha", "Bravo"}, []string{"RTS1773-4"}, 0},
		{"NIS2", CoverageFilter{Regulation: "NIS2"}, []string{"Alpha", "Bravo"}, []string{"NIS2-21"}, 0},
		{"critical", CoverageFilter{Critical: &yes}, []string{"Alpha"}, nil, 1},
		{"not critical", CoverageFilter{Critical: &no}, []string{"Bravo"}, nil, 1},
		{"tier", CoverageFilter{Tier: "low"}, []string{"Bravo"}, nil, 1},
		{"tier nobody has", CoverageFilter{Tier: "Severe"}, nil, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cov := ComputeCoverage(CoverageInput{Catalogue: handCatalogue(), Suppliers: sup, Filter: tc.f})
			var rows, cols []string
			for _, s := range cov.Suppliers {
				rows = append(rows, s.Vendor)
				if len(s.Cells) != len(cov.Obligations) {
					t.Errorf("%s: %d cells for %d columns", s.Vendor, len(s.Cells), len(cov.Obligations))
				}
			}
			for _, o := range cov.Obligations {
				cols = append(cols, o.ID)
			}
			if !reflect.DeepEqual(rows, tc.rows) {
				t.Errorf("rows = %v, want %v", rows, tc.rows)
			}
			if tc.cols != nil && !reflect.DeepEqual(cols, tc.cols) {
				t.Errorf("cols = %v, want %v", cols, tc.cols)
			}
			if len(cov.Unmapped) != tc.unmapped {
				t.Errorf("unmapped = %v", cov.Unmapped)
			}
		})
	}
}

func TestComputeCoverageEmpty(t *testing.T) {
	cov := ComputeCoverage(CoverageInput{})
	if cov.Suppliers == nil || cov.Unmapped == nil || len(cov.Obligations) != 0 {
		t.Errorf("empty coverage = %+v", cov)
	}
	// No supplier: the current library's mapping decides the columns.
	cov = ComputeCoverage(CoverageInput{Catalogue: handCatalogue(), Current: handLibrary()})
	if len(cov.Obligations) != 5 || len(cov.Unmapped) != 1 || len(cov.Suppliers) != 0 {
		t.Errorf("without suppliers: %d columns, unmapped %v", len(cov.Obligations), cov.Unmapped)
	}
	// Without any library nothing is mapped.
	cov = ComputeCoverage(CoverageInput{Catalogue: handCatalogue()})
	if len(cov.Obligations) != 0 || len(cov.Unmapped) != 6 {
		t.Errorf("without a library: %d columns, unmapped %v", len(cov.Obligations), cov.Unmapped)
	}
}

// TestParseCoverageFilter: the filter the page, the API and the CLI share; a bad value is a
// field error naming the field and what is allowed.
func TestParseCoverageFilter(t *testing.T) {
	cat := handCatalogue()
	f, err := ParseCoverageFilter(cat, " nis2 ", "elevated", "yes")
	if err != nil || f.Regulation != "NIS2" || f.Tier != "Elevated" || f.Critical == nil || !*f.Critical {
		t.Fatalf("filter = %+v, %v", f, err)
	}
	if f, err := ParseCoverageFilter(cat, "", "", "0"); err != nil || f.Critical == nil || *f.Critical || f.Regulation != "" || f.Tier != "" {
		t.Errorf("critical=0: %+v, %v", f, err)
	}
	for _, tc := range []struct{ reg, tier, crit, field, msg string }{
		{"SOX", "", "", "regulation", `Unknown regulation "SOX"; use one of CER, DORA, NIS2, RTS1773.`},
		{"", "gold", "", "tier", `Unknown tier "gold"; use one of Low, Moderate, Elevated, Critical.`},
		{"", "", "maybe", "critical", `critical must be yes or no (got "maybe").`},
	} {
		_, err := ParseCoverageFilter(cat, tc.reg, tc.tier, tc.crit)
		if rw.ErrorCode(err) != rw.EINVALID || rw.ErrorField(err) != tc.field || rw.ErrorMessage(err) != tc.msg {
			t.Errorf("%+v: %v (field %q)", tc, err, rw.ErrorField(err))
		}
	}
}
