package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
)

// TestVendorListSortable: the vendor list shows each vendor's latest assessment (rating,
// state, due date, tier), sorts on the server by the column headers' links, marks the active
// column with aria-sort, and keeps the filters in the links and in the CSV export.
func TestVendorListSortable(t *testing.T) {
	e := newAssessEnv(t)
	b, _ := e.login("risk@demo.example", demo.Password)
	status, page := b.get("/vendors?critical=yes&sort=rating&dir=desc")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{">Latest rating", ">Assessment", ">Due", ">Tier", `class="rating `, `class="state `} {
		if !strings.Contains(page, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	th := regexp.MustCompile(`<th scope="col"([^>]*)><a class="sort" href="([^"]+)">([^<]+)`).FindAllStringSubmatch(page, -1)
	if len(th) != 5 {
		t.Fatalf("want 5 sortable headers, got %d", len(th))
	}
	for _, h := range th {
		link := html.UnescapeString(h[2])
		if !strings.Contains(link, "critical=yes") || strings.Contains(link, "page=") {
			t.Errorf("header %q link %q drops the filter or keeps the page", h[3], link)
		}
		switch strings.TrimSpace(h[3]) {
		case "Latest rating":
			if h[1] != ` aria-sort="descending"` || !strings.Contains(link, "sort=rating") || !strings.Contains(link, "dir=asc") {
				t.Errorf("active column: attrs %q link %q", h[1], link)
			}
		case "Due":
			if h[1] != "" || !strings.Contains(link, "sort=due") || !strings.Contains(link, "dir=asc") {
				t.Errorf("due column: attrs %q link %q", h[1], link)
			}
		default:
			if h[1] != "" {
				t.Errorf("inactive column %q has %q", h[3], h[1])
			}
		}
	}
	// The page's order is the rating order, worst first, unrated last.
	rank := map[string]int{"severe": 4, "high": 3, "medium": 2, "low": 1}
	var ratings []int
	for _, row := range regexp.MustCompile(`(?s)<tr[^>]*>\s*<td><a href="/vendors/\d+">.*?</tr>`).FindAllString(page, -1) {
		m := regexp.MustCompile(`class="rating (\w+)"`).FindStringSubmatch(row)
		if m == nil {
			ratings = append(ratings, 0)
			continue
		}
		ratings = append(ratings, rank[m[1]])
	}
	if len(ratings) < 2 {
		t.Fatalf("too few rows to check the order: %v", ratings)
	}
	for i := 1; i < len(ratings); i++ {
		if ratings[i] > ratings[i-1] {
			t.Fatalf("rows not sorted worst rating first: %v", ratings)
		}
	}
	csvLink := regexp.MustCompile(`class="csv-link" href="([^"]+)"`).FindStringSubmatch(page)
	if csvLink == nil || !strings.Contains(html.UnescapeString(csvLink[1]), "sort=rating&dir=desc") {
		t.Fatalf("CSV link does not keep the sort: %v", csvLink)
	}
	resp, err := b.c.Get(e.ts.URL + html.UnescapeString(csvLink[1]))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v %d", err, len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	prev := 5
	for _, r := range rows[1:] {
		if r[col["critical"]] != "true" {
			t.Errorf("CSV ignores critical=yes: %v", r)
		}
		if k := rank[r[col["latest_rating"]]]; k > prev {
			t.Errorf("CSV not in the page's order: %v", rows)
		} else {
			prev = k
		}
	}
	// The API sorts the same way and carries the latest assessment.
	code, body2 := e.api("GET", "/api/v1/vendors?critical=yes&sort=rating&dir=desc", rw.RoleAuditor, "")
	vs, _ := body2["vendors"].([]any)
	if code != 200 || len(vs) != len(rows)-1 {
		t.Fatalf("API: %d, %d vendors", code, len(vs))
	}
	first, _ := vs[0].(map[string]any)["latest_assessment"].(map[string]any)
	if first == nil || first["rating"] != rows[1][col["latest_rating"]] || first["state"] == "" {
		t.Errorf("API's first vendor: %v", vs[0])
	}
}

// TestAssessmentListTitleOnce: when every listed assessment has the same title, the list names
// it once above the table instead of in every row, and each row still links to its assessment.
func TestAssessmentListTitleOnce(t *testing.T) {
	e := newAssessEnv(t)
	b, _ := e.login("procurement@demo.example", demo.Password)
	_, page := b.get("/assessments")
	l := listed(page)
	title := "Routing security 2026 (demo)"
	if n := strings.Count(l, title); n != 0 || strings.Count(page, title) != 1 {
		t.Errorf("title repeated in %d rows (%d on the page)", n, strings.Count(page, title))
	}
	if strings.Count(l, `href="/assessments/`) != strings.Count(l, "</tr>")-1 {
		t.Errorf("not every row links to its assessment")
	}
}

// TestVendorPageAssessments: a vendor's page says where its assessments stand (state, who acts
// next, due, rating) and which attestation is in force; a vendor never assessed says so and
// links to starting one.
func TestVendorPageAssessments(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	b, _ := e.login("procurement@demo.example", demo.Password)
	submitted := e.byState(rw.StateSubmitted)
	code, page := b.get(fmt.Sprintf("/vendors/%d", submitted.VendorID))
	if code != http.StatusOK {
		t.Fatalf("vendor page: %d", code)
	}
	for _, want := range []string{`<section id="assessments">`, fmt.Sprintf(`href="/assessments/%d"`, submitted.ID), ">Submitted<",
		"Waiting for procurement: start the review of the submitted answers", submitted.DueDate.Format("2006-01-02")} {
		if !strings.Contains(page, want) {
			t.Errorf("vendor page lacks %q", want)
		}
	}
	// Approved and attested: the attestation in force is named.
	approved := e.byState(rw.StateApproved)
	if code, body := e.api("POST", fmt.Sprintf("/api/v1/assessments/%d/attestations", approved.ID), rw.RoleRiskOfficer, "{}"); code != http.StatusCreated {
		t.Fatalf("issue: %d %v", code, body)
	}
	_, page = b.get(fmt.Sprintf("/vendors/%d", approved.VendorID))
	if !strings.Contains(page, "Attestation in force: ") || !strings.Contains(page, "Done: approved and attested.") {
		t.Errorf("approved vendor's page lacks the attestation in force:\n%s", page)
	}
	// Never assessed.
	vs, _, _ := e.db.FindVendors(ctx, rw.VendorFilter{Query: "Hanseatic"})
	if len(vs) != 1 {
		t.Fatalf("demo vendor Hanseatic: %d", len(vs))
	}
	_, page = b.get(fmt.Sprintf("/vendors/%d", vs[0].ID))
	if !strings.Contains(page, "Not assessed yet.") || !strings.Contains(page, fmt.Sprintf(`href="/assessments/new?vendor=%d"`, vs[0].ID)) {
		t.Error("a vendor never assessed: the page does not say so or offer to start")
	}
}
