package attest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// coverServices is how many services the verdict panel names before pointing to the table.
const coverServices = 4

// cover is the first page: the verdict a reader needs first, then who was assessed, against
// what, on which data.
func (r *renderer) cover() {
	f, d := r.f, r.doc
	f.AddPage()
	f.Bookmark("Cover", 0, -1)
	f.SetFont(family, "B", 20)
	f.SetTextColor(20, 50, 90)
	f.MultiCell(0, 10, "Supplier routing-security attestation", "", "L", false)
	f.SetTextColor(0, 0, 0)
	f.SetFont(family, "B", 15)
	f.MultiCell(0, 8, d.Vendor.LegalName, "", "L", false)
	f.Ln(3)
	r.verdict()
	r.subheading("Assessment details")
	lib := strings.TrimSpace(d.Library.Name + " " + d.Library.Version)
	r.keyValues([][2]string{
		{"Issue date", stamp(d.IssuedAt)},
		{"Signed by", d.SignerName},
		{"Vendor LEI", orDash(d.Vendor.LEI)},
		{"Vendor country", orDash(d.Vendor.Country)},
		{"Scope", orDash(d.Scope)},
		{"Assessment period", strings.TrimSpace(day(d.PeriodStart) + " to " + day(d.PeriodEnd) + "\n" + d.PeriodNote)},
		{"Control library", lib},
		{"Library digest", groupHex(d.Library.Digest)},
	})
	if d.ScopeNote != "" {
		r.para(d.ScopeNote)
	}
	if len(d.ChangedSinceApproval) > 0 {
		r.subheading("Changed since approval")
		r.para("The vendor record was edited after the approval. This document states the scope as approved; " +
			"these changes are not covered by it:")
		r.bullets(d.ChangedSinceApproval, "")
	}
	r.coverTables()
}

// verdict is the boxed panel at the top of the cover: decision, rating, validity and where to
// verify, in words a risk officer takes in at a glance.
func (r *renderer) verdict() {
	f, d := r.f, r.doc
	w, _ := f.GetPageSize()
	width := w - 2*pageMargin
	x, y := f.GetX(), f.GetY()
	cr, cg, cb := ratingColour(d.Rating.Residual)
	f.SetFillColor(cr, cg, cb)
	f.SetTextColor(255, 255, 255)
	f.SetFont(family, "B", 12.5)
	f.MultiCell(width, 7, r.headline(), "", "L", true)
	f.SetTextColor(0, 0, 0)
	f.Ln(1.5)
	// Indent the rows inside the frame.
	f.SetLeftMargin(pageMargin + 2.5)
	f.SetRightMargin(pageMargin + 2.5)
	f.SetX(pageMargin + 2.5)
	r.keyValues(r.verdictRows())
	f.SetLeftMargin(pageMargin)
	f.SetRightMargin(pageMargin)
	f.SetX(x)
	f.Ln(0.5)
	f.SetDrawColor(cr, cg, cb)
	f.SetLineWidth(0.6)
	f.Rect(x, y, width, f.GetY()-y, "D")
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
	f.Ln(3)
}

// headline is the panel's one-line verdict: approved, the rating band, and until when.
func (r *renderer) headline() string {
	d := r.doc
	parts := []string{"Approved"}
	if d.Rating.Residual != "" {
		parts = append(parts, "residual risk "+strings.ToUpper(d.Rating.Residual))
	} else {
		parts = append(parts, "residual risk not rated")
	}
	switch {
	case d.ValidUntil.IsZero():
		parts = append(parts, "no validity stated")
	case !d.ValidUntil.After(d.IssuedAt):
		parts = append(parts, "EXPIRED on "+day(d.ValidUntil))
	default:
		parts = append(parts, "valid until "+day(d.ValidUntil))
	}
	return strings.Join(parts, "  ·  ")
}

func (r *renderer) verdictRows() [][2]string {
	d := r.doc
	valid := "—"
	if !d.ValidUntil.IsZero() {
		valid = day(d.ValidFrom) + " until " + day(d.ValidUntil)
		if !d.ValidUntil.After(d.IssuedAt) {
			valid += " (expired before this document was issued: re-assess the supplier)"
		}
	}
	return [][2]string{
		{"Risk rating", r.ratingLine()},
		{"MANRS readiness", r.readinessLine()},
		{"Decision", r.decisionLine()},
		{"Valid", strings.TrimSpace(valid + "\n" + d.ValidityNote)},
		{"Services in scope", r.servicesLine()},
		{"Obligations", r.obligationsLine()},
		{"Open items", openDiscrepancies(d.Discrepancies) + "; " + waiverCount(len(d.Waivers))},
		{"Document ID", d.ID},
		{"Verify", "Upload this file at " + orDash(d.VerifyURL) + ", or run: routewarden verify FILE (section 7)."},
	}
}

func (r *renderer) ratingLine() string {
	rt := r.doc.Rating
	if rt.Residual == "" {
		return "Not rated: no control has a known result."
	}
	first, n := utf8.DecodeRuneInString(rt.Residual)
	s := string(unicode.ToUpper(first)) + rt.Residual[n:] + " residual risk"
	if rt.Compliance != nil {
		s += fmt.Sprintf(" (weighted compliance %.1f %%)", *rt.Compliance*100)
	}
	if rt.Inherent != "" {
		s += "; inherent risk tier " + rt.Inherent
	}
	return s + "."
}

func (r *renderer) readinessLine() string {
	rs := r.doc.Readiness
	if len(rs) == 0 {
		return "—"
	}
	n := map[string]int{}
	low := rs[0]
	for _, x := range rs {
		n[x.Level]++
		if x.Percent < low.Percent {
			low = x
		}
	}
	var parts []string
	for _, l := range []string{"Ready", "Aspiring", "Lagging"} {
		if n[l] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[l], l))
		}
	}
	return fmt.Sprintf("%s of %d MANRS actions; lowest: %s, %s %%.", strings.Join(parts, ", "), len(rs), low.Action,
		strconv.FormatFloat(low.Percent, 'f', 1, 64))
}

func (r *renderer) decisionLine() string {
	dc := r.doc.Decision
	switch {
	case dc.At.IsZero():
		return "Approved; the decision time was not recorded."
	case dc.By == "":
		return "Approved on " + stamp(dc.At) + " (the approver was not recorded for this assessment)."
	}
	return "Approved by " + dc.By + " on " + stamp(dc.At) + "."
}

func (r *renderer) servicesLine() string {
	ss := r.doc.Services
	if len(ss) == 0 {
		return "—"
	}
	var parts []string
	for _, s := range ss[:min(len(ss), coverServices)] {
		p := strings.TrimSpace(s.TypeCode + " " + s.Name)
		var tags []string
		if s.Critical {
			tags = append(tags, "critical")
		}
		tags = append(tags, s.Regulations...)
		if len(tags) > 0 {
			p += " (" + strings.Join(tags, ", ") + ")"
		}
		parts = append(parts, p)
	}
	if len(ss) > coverServices {
		parts = append(parts, fmt.Sprintf("and %d more (table below)", len(ss)-coverServices))
	}
	return strings.Join(parts, "; ")
}

// obligationsLine counts the obligations' states per framework the services declare; without
// a declared framework it counts them all.
func (r *renderer) obligationsLine() string {
	groups := obligationGroups(r.doc.Obligations)
	if len(groups) == 0 {
		return "No obligations are in scope."
	}
	var lines []string
	for _, g := range groups {
		if g.declared {
			lines = append(lines, g.framework+": "+g.countText())
		}
	}
	if len(lines) == 0 {
		return fmt.Sprintf("No service in scope declares DORA, NIS2 or CER; %d obligations are mapped (section 2).",
			len(r.doc.Obligations))
	}
	more := "(section 2)"
	if u := undeclaredFrameworks(groups); len(u) > 0 {
		verb := "is"
		if len(u) > 1 {
			verb = "are"
		}
		more = "(section 2; " + strings.Join(u, " and ") + ", not declared for these services, " + verb + " counted there)"
	}
	return strings.Join(lines, "\n") + "\n" + more
}

func openDiscrepancies(ds []Discrepancy) string {
	open := 0
	for _, x := range ds {
		if strings.TrimSpace(x.Resolution) == "" {
			open++
		}
	}
	switch {
	case len(ds) == 0:
		return "no discrepancies between answers and measurements"
	case open == 0:
		return fmt.Sprintf("no open discrepancies (%d resolved, section 4)", len(ds))
	}
	return fmt.Sprintf("%d of %d discrepancies OPEN (section 4)", open, len(ds))
}

func waiverCount(n int) string {
	switch n {
	case 0:
		return "no waivers"
	case 1:
		return "1 active waiver (section 5)"
	}
	return strconv.Itoa(n) + " active waivers (section 5)"
}

// ratingColour is the colour of a residual rating band.
func ratingColour(rating string) (int, int, int) {
	switch strings.ToLower(rating) {
	case "low":
		return 30, 110, 55
	case "medium":
		return 160, 100, 0
	case "high":
		return 190, 75, 15
	case "severe":
		return 165, 20, 20
	}
	return 55, 65, 85
}

// coverTables lists networks, services and routing-data snapshots.
func (r *renderer) coverTables() {
	d := r.doc
	r.subheading("Networks")
	rows := make([][]string, 0, len(d.Networks))
	for _, n := range d.Networks {
		rows = append(rows, []string{"AS" + strconv.FormatUint(uint64(n.ASN), 10),
			orDash(strings.Join(n.Prefixes, ", ")), orDash(n.ASSet)})
	}
	r.table([]column{{title: "ASN", width: 30}, {title: "Expected prefixes", width: 105}, {title: "IRR as-set", width: 45}}, rows)
	r.subheading("Services in scope")
	rows = rows[:0]
	for _, s := range d.Services {
		crit := "no"
		if s.Critical {
			crit = "yes"
		}
		rows = append(rows, []string{s.TypeCode, s.Name, crit, orDash(strings.Join(s.Regulations, ", "))})
	}
	r.table([]column{{title: "Type", width: 18}, {title: "Service", width: 92}, {title: "Critical", width: 30}, {title: "Regulations", width: 40}}, rows)
	r.subheading("Routing-data snapshots")
	rows = rows[:0]
	for _, s := range d.Snapshots {
		rows = append(rows, []string{s.Kind, s.Source, stamp(s.DataTime), groupHex(s.Digest)})
	}
	r.table([]column{{title: "Kind", width: 24}, {title: "Source", width: 44}, {title: "Data time", width: 30}, {title: "Digest", width: 82}}, rows)
}
