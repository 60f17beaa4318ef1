package store

import (
	"encoding/json"
	"fmt"
	"strings"

	rw "routewarden/internal/routewarden"
)

// latestJoin joins each vendor (alias v) to its most recent assessment that is not cancelled
// (alias la). Sorting needs it for every vendor: one grouped pass over the assessments, hash-
// joined, is several times faster at 10,000 vendors than a correlated MAX(id) per vendor.
const latestJoin = `LEFT JOIN (SELECT vendor_id, MAX(id) AS id FROM assessments WHERE state <> 'cancelled' GROUP BY vendor_id) lm ON lm.vendor_id = v.id
	LEFT JOIN assessments la ON la.id = lm.id`

// latestJoinPage joins the latest assessment to the rows of one page: few rows, so the
// correlated MAX(id), served by the index assessments_vendor_id, beats a pass over all.
const latestJoinPage = `LEFT JOIN assessments la ON la.id = (SELECT MAX(a2.id) FROM assessments a2 WHERE a2.vendor_id = v.id AND a2.state <> 'cancelled')`

// latestColumns are the columns of the latest assessment a list row carries.
const latestColumns = `la.id AS latest_id, la.state AS latest_state, la.due_date AS latest_due, la.summary AS latest_summary`

// summaryField extracts one string field of an assessment's JSON summary (alias la) in SQL.
func (db *DB) summaryField(field string) string {
	if db.Dialect == Postgres {
		// The guard keeps an empty or legacy summary from failing the cast.
		return fmt.Sprintf("(CASE WHEN la.summary LIKE '{%%' THEN la.summary::json ->> '%s' END)", field)
	}
	return fmt.Sprintf("json_extract(la.summary, '$.%s')", field)
}

// rankOf maps the values of expr to their position in order (1-based); others become NULL.
func rankOf(expr string, order []string) string {
	var b strings.Builder
	b.WriteString("(CASE " + expr)
	for i, v := range order {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", v, i+1)
	}
	b.WriteString(" END)")
	return b.String()
}

// vendorOrder returns the ORDER BY clause for a VendorFilter.Sort value and whether it needs
// the latest assessment joined. Vendors without a value (no assessment yet, no rating) come
// last in both directions; ties fall back to the name.
func (db *DB) vendorOrder(sort string) (string, bool) {
	desc := strings.HasPrefix(sort, "-")
	key := strings.TrimPrefix(sort, "-")
	dir := ""
	if desc {
		dir = " DESC"
	}
	name := "lower(v.legal_name)" + dir + ", v.id"
	var expr string
	switch key {
	case "updated":
		return "v.updated_at" + dir + ", v.id", false
	case "rating":
		expr = rankOf(db.summaryField("rating"), rw.Ratings)
	case "tier":
		expr = rankOf(db.summaryField("tier"), rw.Tiers)
	case "state":
		states := make([]string, len(rw.AssessmentStates))
		for i, s := range rw.AssessmentStates {
			states[i] = string(s)
		}
		expr = rankOf("la.state", states)
	case "due":
		expr = "la.due_date"
	default:
		return name, false
	}
	return expr + " IS NULL, " + expr + dir + ", lower(v.legal_name), v.id", true
}

// latest turns the latest-assessment columns of a list row into the domain headline.
func (r *vendorListRow) latest() *rw.LatestAssessment {
	if r.LatestID == nil {
		return nil
	}
	l := &rw.LatestAssessment{ID: *r.LatestID, State: rw.AssessmentState(r.LatestState)}
	if d := parseDate(r.LatestDue); d != nil {
		l.DueDate = *d
	}
	var sum rw.Summary
	if json.Unmarshal([]byte(r.LatestSummary), &sum) == nil {
		l.Rating, l.Provisional, l.Tier = sum.Rating, sum.Provisional, sum.Tier
	}
	return l
}
