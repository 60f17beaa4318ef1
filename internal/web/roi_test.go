package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

func (e *env) roiGet(path string, role rw.Role) (*http.Response, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestROIExportAPI(t *testing.T) {
	e := newEnv(t, true)
	resp, body := e.roiGet("/api/v1/reports/roi?format=xbrl-csv", rw.RoleRiskOfficer)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("xbrl-csv: %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	var b0501 [][]string
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/reports/b_05.01.csv") {
			r, _ := f.Open()
			b0501, _ = csv.NewReader(r).ReadAll()
			r.Close()
		}
	}
	leis := 0
	for _, v := range demo.Portfolio() {
		if v.LEI == "" {
			continue
		}
		leis++
		found := false
		for _, row := range b0501[1:] {
			found = found || row[0] == v.LEI
		}
		if !found {
			t.Errorf("b_05.01.csv lacks %s (%s)", v.LegalName, v.LEI)
		}
	}
	if len(b0501)-1 != leis {
		t.Errorf("b_05.01.csv has %d providers, want the %d demo suppliers with an LEI", len(b0501)-1, leis)
	}
	// The demo deliberately misses data: the lint lists it and strict refuses the export.
	if n := resp.Header.Get("X-Register-Problems"); n == "" || n == "0" {
		t.Errorf("X-Register-Problems = %q, want the demo's problems", n)
	}
	resp, body = e.roiGet("/api/v1/reports/roi?format=xbrl-csv&strict=true", rw.RoleRiskOfficer)
	var out struct {
		Problems []struct{ Template, Column, Subject, Message, Link string }
	}
	_ = json.Unmarshal(body, &out)
	if resp.StatusCode != http.StatusUnprocessableEntity || len(out.Problems) == 0 {
		t.Fatalf("strict: %d %s", resp.StatusCode, body)
	}
	for _, p := range out.Problems {
		if !strings.HasPrefix(p.Link, "/vendors/") && !strings.HasPrefix(p.Link, "/reports/roi") {
			t.Errorf("problem %+v has no link to its form", p)
		}
	}
	for _, tc := range []struct {
		query string
		role  rw.Role
		want  int
	}{
		{"format=xlsx", rw.RoleAuditor, 200},
		{"format=csv", rw.RoleProcurement, 200},
		{"format=json", rw.RoleRiskOfficer, 200},
		{"format=pdf", rw.RoleRiskOfficer, 400},
		{"format=xbrl-csv", "", 401},
	} {
		t.Run(tc.query+"/"+string(tc.role), func(t *testing.T) {
			if resp, _ := e.roiGet("/api/v1/reports/roi?"+tc.query, tc.role); resp.StatusCode != tc.want {
				t.Errorf("got %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
}

func TestROIPageAndEntityForm(t *testing.T) {
	e := newEnv(t, true)
	b, _ := e.login("risk@demo.example", demo.Password)
	code, page := b.get("/reports/roi")
	if code != 200 || !strings.Contains(page, "Zürich Fibre Networks GmbH") || !strings.Contains(page, `href="/vendors/`) {
		t.Fatalf("/reports/roi: %d", code)
	}
	admin, _ := e.login("admin@demo.example", demo.Password)
	before, _ := e.db.FindRegisterEntity(context.Background())
	code, page = admin.post("/reports/roi/entity", admin.form(url.Values{"lei": {"529900T8BM49AURSDO56"}, "name": {"X"}, "country": {"DE"}, "currency": {"EUR"}}))
	if code != http.StatusBadRequest || !strings.Contains(page, "check digits") {
		t.Fatalf("bad LEI: %d", code)
	}
	if after, _ := e.db.FindRegisterEntity(context.Background()); after.LEI != before.LEI {
		t.Errorf("a refused save changed the entity: %q → %q", before.LEI, after.LEI)
	}
	good := "529900TESTBANK0000" + rw.LEICheckDigits("529900TESTBANK0000")
	code, _ = admin.post("/reports/roi/entity", admin.form(url.Values{"lei": {good}, "name": {"Test Bank"}, "country": {"DE"}, "entity_type": {"eba_CT:x12"}, "competent_authority": {"BaFin"}, "currency": {"EUR"}}))
	if after, _ := e.db.FindRegisterEntity(context.Background()); code != http.StatusSeeOther || after.LEI != good {
		t.Errorf("save: %d, entity %+v", code, after)
	}
}

func TestListCSVExport(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	evil := []string{"=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)"} // tab and CR: TestSafeCell (names are trimmed)
	for i, name := range evil {
		v := &rw.Vendor{LegalName: name, Country: "DE", Services: []*rw.Service{{Name: "svc", Type: "S10", ProviderType: rw.ProviderTransit, Critical: i == 0}}}
		if err := e.db.CreateVendor(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := e.login("risk@demo.example", demo.Password)
	resp, err := b.c.Get(e.ts.URL + "/vendors?country=DE&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("vendors csv: %d %v", resp.StatusCode, resp.Header)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, r := range rows[1:] {
		names[r[1]] = true
		if r[3] != "DE" {
			t.Errorf("filter country=DE ignored: row %v", r)
		}
	}
	for _, n := range evil {
		t.Run(strings.TrimSpace(n), func(t *testing.T) {
			if !names["'"+strings.TrimLeft(n, " ")] {
				t.Errorf("%q not neutralised with a leading apostrophe (got names %v)", n, names)
			}
		})
	}
	if !names["Northwind Transit AG"] || names["Bluefjord Cloud Oy"] {
		t.Errorf("country filter: names = %v", names)
	}
	for _, path := range []string{"/assessments?format=csv", "/attestations?format=csv", "/alerts?format=csv&state=open"} {
		t.Run(path, func(t *testing.T) {
			resp, err := b.c.Get(e.ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if resp.StatusCode != 200 || err != nil || len(rows) == 0 || rows[0][0] != "id" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
				t.Fatalf("%d %v %q", resp.StatusCode, err, body)
			}
		})
	}
}
