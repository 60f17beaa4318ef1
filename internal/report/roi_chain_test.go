package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store/storetest"
)

func nets(asn uint32) []*rw.Network { return []*rw.Network{{ASN: asn}} }

// chainPortfolio: A buys transit from B, B from C (which sells nothing to the entity), A also
// uses an upstream without LEI (D) and one nobody in the register holds (AS99); B and C would
// loop back up the chain.
func chainPortfolio() []*rw.Vendor {
	return []*rw.Vendor{
		{ID: 1, LegalName: "A Carrier", LEI: lei("529900ACARRIER0000"), Country: "DE", Networks: nets(10), Services: []*rw.Service{fullService(11, "C-A")}},
		{ID: 2, LegalName: "B Backbone", LEI: lei("529900BBACKBONE000"), Country: "NL", Networks: nets(20), Services: []*rw.Service{fullService(21, "C-B")}},
		{ID: 3, LegalName: "C Core", LEI: lei("529900CCORE0000000"), Country: "FR", Networks: nets(30)},
		{ID: 4, LegalName: "D Without LEI", Country: "DE", Networks: nets(40)},
	}
}

func rowsOf(t *report.Table) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}

// TestSupplyChainRanks: B_05.02 lists the observed upstreams that the register identifies as
// subcontractors, rank by rank with the provider above as recipient, without loops, and every
// provider it names is in B_05.01.
func TestSupplyChainRanks(t *testing.T) {
	vs := chainPortfolio()
	A, B, C := vs[0].LEI, vs[1].LEI, vs[2].LEI
	up := report.ObservedUpstreams{1: {20, 40, 99}, 2: {10, 30}, 3: {20}}
	reg := report.BuildRegisterWith(entity(), vs, up, now)
	const q = "eba_qCO:qx2000"
	want := []string{
		// A's contract: B at rank 2 for A, C at rank 3 for B; D (no LEI) and AS99 (nobody's) left out.
		"C-A,eba_TA:S10," + A + "," + q + ",1,,",
		"C-A,eba_TA:S10," + B + "," + q + ",2," + A + "," + q,
		"C-A,eba_TA:S10," + C + "," + q + ",3," + B + "," + q,
		// B's contract: A and C are both B's upstreams; neither leads back to B.
		"C-B,eba_TA:S10," + B + "," + q + ",1,,",
		"C-B,eba_TA:S10," + A + "," + q + ",2," + B + "," + q,
		"C-B,eba_TA:S10," + C + "," + q + ",2," + B + "," + q,
	}
	if got := rowsOf(reg.Table("B_05.02")); !slices.Equal(got, want) {
		t.Errorf("B_05.02:\n got %q\nwant %q", got, want)
	}
	providers := map[string]bool{}
	for _, r := range reg.Table("B_05.01").Rows {
		providers[r[0]] = true
	}
	if len(providers) != 3 || len(reg.Table("B_05.01").Rows) != 3 {
		t.Errorf("B_05.01 should list A, B and the subcontractor C once each: %q", rowsOf(reg.Table("B_05.01")))
	}
	for _, r := range reg.Table("B_05.02").Rows {
		if !providers[r[2]] || r[5] != "" && !providers[r[5]] {
			t.Errorf("B_05.02 row %v names a provider missing from B_05.01", r)
		}
	}
	if len(reg.Problems) != 0 {
		t.Errorf("the chain added lint problems:\n%s", reg.ProblemsText())
	}
	// Without routing data the register keeps rank 1 only.
	plain := report.BuildRegister(entity(), chainPortfolio(), now)
	if got := rowsOf(plain.Table("B_05.02")); len(got) != 2 || !strings.Contains(got[0], ",1,,") || !strings.Contains(got[1], ",1,,") {
		t.Errorf("without upstreams: %q", got)
	}
}

// TestSupplyChainDemo: on the demo portfolio and its routing data, Bluefjord's contract names
// Northwind (its observed upstream) at rank 2, and Łódź DC's names Zürich Fibre at rank 2 and
// Northwind at rank 3.
func TestSupplyChainDemo(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now}, hash); err != nil {
		t.Fatal(err)
	}
	data, err := evidence.Load(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := report.LoadRegister(ctx, db, data, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	vendors, _, _ := db.FindVendors(ctx, rw.VendorFilter{})
	leiOf := map[string]string{}
	for _, v := range vendors {
		leiOf[strings.Fields(v.LegalName)[0]] = v.LEI
	}
	type link struct{ provider, rank, recipient string }
	got := map[link]bool{}
	for _, r := range reg.Table("B_05.02").Rows {
		got[link{r[2], r[4], r[5]}] = true
	}
	for _, w := range []link{
		{leiOf["Northwind"], "2", leiOf["Bluefjord"]},
		{leiOf["Zürich"], "2", leiOf["Łódź"]},
		{leiOf["Northwind"], "3", leiOf["Zürich"]},
	} {
		if !got[w] {
			t.Errorf("B_05.02 lacks %+v; rows:\n%q", w, rowsOf(reg.Table("B_05.02")))
		}
	}
	noData, err := report.LoadRegister(ctx, db, nil, db.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n, m := len(noData.Table("B_05.02").Rows), len(reg.Table("B_05.02").Rows); n >= m {
		t.Errorf("routing data added no rows: %d without, %d with", n, m)
	}
}
