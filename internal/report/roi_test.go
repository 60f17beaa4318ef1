package report_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
)

func lei(p18 string) string { return p18 + rw.LEICheckDigits(p18) }

func ptr(n int) *int { return &n }

func day(s string) *time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return &t
}

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func entity() rw.RegisterEntity {
	return rw.RegisterEntity{LEI: lei("529900TESTBANK0000"), Name: "Test Bank", Country: "DE", EntityType: "eba_CT:x12", CompetentAuthority: "BaFin", Currency: "EUR"}
}

func fullService(id int64, ref string) *rw.Service {
	return &rw.Service{ID: id, Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: true, Substitutability: "highly_complex",
		ContractRef: ref, ContractStart: day("2024-01-01"), FunctionName: "Payments", Reliance: "material", ExitPlan: "yes", RTOHours: ptr(4), RPOHours: ptr(1)}
}

func portfolio() []*rw.Vendor {
	return []*rw.Vendor{
		{ID: 1, LegalName: "Carrier One", LEI: lei("529900CARRIER10000"), Country: "NL", Services: []*rw.Service{fullService(11, "C-1")}},
		{ID: 2, LegalName: "=HYPERLINK(\"x\")", LEI: lei("529900CARRIER20000"), Country: "FR", Services: []*rw.Service{fullService(21, "C-2")}},
	}
}

// readZip returns the files of a zip by their path below the package's root folder.
func readZip(t *testing.T, b []byte) (root string, files map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{}
	for _, f := range zr.File {
		r, _ := f.Open()
		data, _ := io.ReadAll(r)
		r.Close()
		root, rest, _ := strings.Cut(f.Name, "/")
		_ = root
		files[rest] = data
	}
	root, _, _ = strings.Cut(zr.File[0].Name, "/")
	return root, files
}

func TestXBRLCSVPackage(t *testing.T) {
	reg := report.BuildRegister(entity(), portfolio(), now)
	if len(reg.Problems) != 0 {
		t.Fatalf("complete data should lint clean, got:\n%s", reg.ProblemsText())
	}
	var buf bytes.Buffer
	if err := reg.WriteXBRLCSV(&buf); err != nil {
		t.Fatal(err)
	}
	root, files := readZip(t, buf.Bytes())
	if want := lei("529900TESTBANK0000") + ".IND_DE_DORA010100_DORA_2025-12-31_"; !strings.HasPrefix(root, want) {
		t.Errorf("package root %q, want prefix %q", root, want)
	}
	for _, name := range []string{"META-INF/reportPackage.json", "reports/report.json", "reports/parameters.csv", "reports/FilingIndicators.csv"} {
		if files[name] == nil {
			t.Errorf("package lacks %s", name)
		}
	}
	var rep struct {
		DocumentInfo struct {
			DocumentType string   `json:"documentType"`
			Extends      []string `json:"extends"`
		} `json:"documentInfo"`
	}
	if err := json.Unmarshal(files["reports/report.json"], &rep); err != nil {
		t.Fatal(err)
	}
	if rep.DocumentInfo.DocumentType != "https://xbrl.org/2021/xbrl-csv" || !slices.Contains(rep.DocumentInfo.Extends, report.DORAEntryPoint) {
		t.Errorf("report.json = %+v", rep)
	}
	ind := readCSV(t, files["reports/FilingIndicators.csv"])
	for _, tpl := range report.Templates {
		t.Run(tpl.ID, func(t *testing.T) {
			rows := readCSV(t, files["reports/"+tpl.File()])
			if len(rows) == 0 || !slices.Equal(rows[0], tpl.Header()) {
				t.Fatalf("header of %s = %v, want %v", tpl.File(), rows, tpl.Header())
			}
			for _, h := range rows[0] {
				if len(h) != 5 || h[0] != 'c' {
					t.Errorf("column %q is not a cNNNN code", h)
				}
			}
			reported := ""
			for _, r := range ind[1:] {
				if r[0] == tpl.ID {
					reported = r[1]
				}
			}
			if want := map[bool]string{true: "true", false: "false"}[len(rows) > 1]; reported != want {
				t.Errorf("filing indicator %q, want %q for %d data rows", reported, want, len(rows)-1)
			}
		})
	}
	// Column counts of the templates checked against Annex I of ITS 2024/2956.
	for id, n := range map[string]int{"B_01.01": 6, "B_01.02": 11, "B_02.01": 5, "B_02.02": 18, "B_05.01": 12, "B_05.02": 7, "B_06.01": 10, "B_07.01": 12} {
		if got := len(report.TemplateByID(id).Columns); got != n {
			t.Errorf("%s has %d columns, want %d", id, got, n)
		}
	}
	b0501 := readCSV(t, files["reports/b_05.01.csv"])
	if len(b0501) != 3 {
		t.Fatalf("b_05.01 rows = %v", b0501)
	}
	for _, r := range b0501[1:] {
		if err := rw.ValidateLEI(r[0]); err != nil || r[1] != "eba_qCO:qx2000" {
			t.Errorf("provider row %v: LEI check digits: %v", r, err)
		}
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestRegisterLint(t *testing.T) {
	bad := portfolio()
	bad[0].LEI = "529900CARRIER1000099" // wrong check digits
	bad[1].Services[0].ExitPlan = ""
	bad[1].Services[0].RTOHours = nil
	bad[1].Services[0].ContractRef = ""
	noncrit := &rw.Service{ID: 31, Name: "Backup", Type: "S10", ProviderType: rw.ProviderAccess, ContractRef: "C-3", ContractStart: day("2024-01-01")}
	bad = append(bad, &rw.Vendor{ID: 3, LegalName: "No LEI GmbH", Country: "DE", Services: []*rw.Service{noncrit}})
	e := entity()
	e.LEI, e.CompetentAuthority = "", ""
	reg := report.BuildRegister(e, bad, now)
	want := []struct{ tpl, col, link string }{
		{"B_01.01", "c0010", report.EntityLink},
		{"B_01.01", "c0050", report.EntityLink},
		{"B_05.01", "c0010", "/vendors/1/edit"},
		{"B_02.01", "c0010", "/vendors/2/services/21/edit"},
		{"B_07.01", "c0080", "/vendors/2/services/21/edit"},
		{"B_06.01", "c0080", "/vendors/2/services/21/edit"},
		{"B_05.01", "c0010", "/vendors/3/edit"},
		{"B_06.01", "c0030", "/vendors/3/services/31/edit"},
	}
	if len(reg.Problems) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(reg.Problems), len(want), reg.ProblemsText())
	}
	for _, w := range want {
		t.Run(w.tpl+w.col+w.link, func(t *testing.T) {
			for _, p := range reg.Problems {
				if p.Template == w.tpl && p.Column == w.col && p.Link == w.link {
					return
				}
			}
			t.Errorf("no problem %v in:\n%s", w, reg.ProblemsText())
		})
	}
	// Providers without a valid LEI are not reported with an invalid code.
	for _, r := range reg.Table("B_05.01").Rows {
		if err := rw.ValidateLEI(r[0]); err != nil {
			t.Errorf("B_05.01 row with invalid LEI %q", r[0])
		}
	}
}

func TestXLSXOpensWithExcelize(t *testing.T) {
	reg := report.BuildRegister(entity(), portfolio(), now)
	var buf bytes.Buffer
	if err := reg.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != len(report.Templates)+1 || sheets[0] != "Lint" {
		t.Fatalf("sheets = %v", sheets)
	}
	rows, err := f.GetRows("B_05.01")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "Identification code of the ICT third-party service provider" || rows[1][0] != "c0010" {
		t.Fatalf("B_05.01 rows = %v", rows)
	}
	// A formula-looking name stays a string cell: no formula is stored.
	for i := 3; i <= 4; i++ {
		cell, _ := excelize.CoordinatesToCellName(5, i)
		if fml, _ := f.GetCellFormula("B_05.01", cell); fml != "" {
			t.Errorf("%s holds formula %q", cell, fml)
		}
	}
	if v, _ := f.GetCellValue("B_05.01", "E4"); v != "=HYPERLINK(\"x\")" && v != "Carrier One" {
		t.Errorf("E4 = %q", v)
	}
}
