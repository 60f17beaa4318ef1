package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// TestReportObligationsDemo runs the obligations coverage over the demo portfolio in its three
// formats: the JSON names every supplier with one cell per obligation column, the rejected
// supplier fails obligations on the control it does not meet, the CSV is one row per supplier
// and obligation, the table counts per obligation; bad flags are usage errors naming the flag.
func TestReportObligationsDemo(t *testing.T) {
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": t.TempDir()}
	if code, _, errs := runCmd(t, env, "", "seed", "--demo"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCmd(t, env, "", "report", "obligations", "--format", "json")
	if code != 0 {
		t.Fatalf("report obligations: %d %s", code, errs)
	}
	var cov struct {
		Obligations []struct{ ID string }
		Suppliers   []struct {
			Vendor string
			Cells  []struct {
				Obligation, State string
				Controls          []struct{ ID, Status string }
			}
		}
		Counts map[string]int
	}
	if err := json.Unmarshal([]byte(out), &cov); err != nil {
		t.Fatal(err)
	}
	if len(cov.Suppliers) != 10 || len(cov.Obligations) < 10 || cov.Counts["met"] == 0 || cov.Counts["partly"] == 0 || cov.Counts["failed"] == 0 {
		t.Fatalf("%d suppliers, %d obligations, counts %v", len(cov.Suppliers), len(cov.Obligations), cov.Counts)
	}
	failedOnControl := false
	for _, s := range cov.Suppliers {
		if len(s.Cells) != len(cov.Obligations) {
			t.Errorf("%s: %d cells for %d obligations", s.Vendor, len(s.Cells), len(cov.Obligations))
		}
		for _, c := range s.Cells {
			if c.State == "failed" && len(c.Controls) > 0 && c.Controls[0].Status == "not_met" {
				failedOnControl = true
			}
		}
	}
	if !failedOnControl {
		t.Error("no failed cell names the control that is not met")
	}

	code, out, _ = runCmd(t, env, "", "report", "obligations", "--format", "csv", "--regulation", "NIS2")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) < 2 || rows[0][8] != "obligation" {
		t.Fatalf("csv: %d %v %v", code, err, rows[:min(len(rows), 2)])
	}
	for _, r := range rows[1:] {
		if r[9] != "NIS2" && r[9] != "IR2690" {
			t.Errorf("--regulation NIS2 gave a row of %s", r[9])
		}
	}

	code, out, _ = runCmd(t, env, "", "report", "obligations", "--critical", "yes")
	if code != 0 || !strings.Contains(out, "OBLIGATION") || !strings.Contains(out, "DORA-28.4.d") || !strings.Contains(out, "Atlantic Subsea Carrier Inc.") {
		t.Errorf("table: %d\n%s", code, out)
	}
	for _, bad := range [][]string{{"--format", "xml"}, {"--regulation", "SOX"}, {"--tier", "gold"}, {"--critical", "maybe"}} {
		code, _, errs := runCmd(t, env, "", append([]string{"report", "obligations"}, bad...)...)
		if code != exitUsage || !strings.Contains(errs, strings.TrimPrefix(bad[0], "--")) {
			t.Errorf("%v: %d %s", bad, code, errs)
		}
	}
}
