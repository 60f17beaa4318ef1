package attest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

// testOptions reads the fonts the binary embeds from static/fonts.
func testOptions(t testing.TB) Options {
	t.Helper()
	regular, err := os.ReadFile("../../static/fonts/DejaVuSans.ttf")
	if err != nil {
		t.Fatal(err)
	}
	bold, err := os.ReadFile("../../static/fonts/DejaVuSans-Bold.ttf")
	if err != nil {
		t.Fatal(err)
	}
	return Options{Font: regular, BoldFont: bold}
}

// testDocument loads testdata/document.json.
func testDocument(t testing.TB) *Document {
	t.Helper()
	raw, err := os.ReadFile("testdata/document.json")
	if err != nil {
		t.Fatal(err)
	}
	var d Document
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("testdata/document.json: %v", err)
	}
	return &d
}

// bigDocument returns the fixture grown to n controls, each with one
// evidence file, every one of them referenced by an obligation.
func bigDocument(t testing.TB, n int) *Document {
	d := testDocument(t)
	statuses := []string{StatusMet, StatusPartiallyMet, StatusNotMet, StatusNotApplicable, StatusUnknown}
	bases := []string{BasisMeasured, BasisEvidenced, BasisDeclared}
	for i := len(d.Controls); i < n; i++ {
		id := fmt.Sprintf("RS-GEN-%02d", i)
		d.Controls = append(d.Controls, ControlResult{
			ID: id, Title: fmt.Sprintf("Generated control %d with a title long enough to wrap onto a second line", i),
			Status: statuses[i%len(statuses)], Basis: bases[i%len(bases)],
			Evidence: []Evidence{{Name: fmt.Sprintf("evidence-%02d.pdf", i), SHA256: fmt.Sprintf("%064x", i*7919)}},
		})
		d.Obligations = append(d.Obligations, Obligation{
			ID: fmt.Sprintf("DORA-28.%d", i), Regulation: "DORA", Title: "Generated obligation",
			ControlIDs: []string{id}, Status: statuses[i%len(statuses)],
		})
	}
	return d
}

// requireTool returns the path of a command-line tool. A missing tool skips
// the test, or fails it when ROUTEWARDEN_REQUIRE_ALL=1 (CI).
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("ROUTEWARDEN_REQUIRE_ALL") == "1" {
			t.Fatalf("%s not found (pdfsig and pdftotext come with poppler-utils); required because ROUTEWARDEN_REQUIRE_ALL=1", name)
		}
		t.Skipf("%s not found (pdfsig and pdftotext come with poppler-utils)", name)
	}
	return p
}

var testNow = time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
