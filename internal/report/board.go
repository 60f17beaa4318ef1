package report

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	rw "routewarden/internal/routewarden"
)

// OpenFinding is an open finding of a vendor's assessment, for the board report.
type OpenFinding struct {
	Vendor   string
	Finding  rw.Finding
	Assessed int64
}

// ActiveWaiver is a waiver still in force.
type ActiveWaiver struct {
	Vendor string
	Waiver rw.Waiver
}

// Board is the content of the board / supervisor report.
type Board struct {
	Now           time.Time
	Organisation  string
	Dashboard     *Dashboard
	Concentration *Concentration
	Findings      []OpenFinding // open findings of severity critical (and high)
	Waivers       []ActiveWaiver
	Attestations  []*rw.Attestation // in force: issued, neither revoked nor superseded
	Coverage      *Coverage         // obligations coverage across suppliers; nil: not computed
	Demo          bool
	// DocumentID, when set, is printed on every page and attached in the manifest that lets
	// `routewarden verify` and /verify match the signed file with the registry; VerifyURL says
	// where to verify it.
	DocumentID string
	VerifyURL  string
}

// RenderBoard lays the board report out as an A4 PDF with the embedded fonts (the same fpdf
// stack as attestations). The output is unsigned; sign it with attest.Sign.
func RenderBoard(b *Board, font, bold []byte) ([]byte, error) {
	if b == nil || b.Dashboard == nil || b.Concentration == nil {
		return nil, errors.New("report: board: dashboard and concentration are required")
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(15, 15, 15)
	f.SetAutoPageBreak(true, 18)
	f.AddUTF8FontFromBytes("dejavu", "", font)
	f.AddUTF8FontFromBytes("dejavu", "B", bold)
	f.SetTitle("Routewarden board report", true)
	f.SetCreator("Routewarden", true)
	if err := attachBoardManifest(f, b); err != nil {
		return nil, err
	}
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont("dejavu", "", 7)
		f.CellFormat(0, 4, fmt.Sprintf("Routewarden board report%s · %s · page %d", docSuffix(b.DocumentID), b.Now.UTC().Format("2006-01-02 15:04 UTC"), f.PageNo()), "", 0, "C", false, 0, "")
	})
	f.AddPage()
	h := func(s string) {
		f.Ln(3)
		f.SetFont("dejavu", "B", 12)
		f.MultiCell(0, 6, s, "", "L", false)
		f.SetFont("dejavu", "", 9)
	}
	p := func(s string) { f.MultiCell(0, 4.5, s, "", "L", false) }
	row := func(cols []string, widths []float64, boldRow bool) {
		style := ""
		if boldRow {
			style = "B"
		}
		f.SetFont("dejavu", style, 8)
		for i, c := range cols {
			f.CellFormat(widths[i], 5, clipText(c, int(widths[i]/1.6)), "B", 0, "L", false, 0, "")
		}
		f.Ln(-1)
		f.SetFont("dejavu", "", 9)
	}
	f.SetFont("dejavu", "B", 16)
	f.MultiCell(0, 8, "Routing security of ICT suppliers — board report", "", "L", false)
	f.SetFont("dejavu", "", 9)
	p(fmt.Sprintf("Prepared %s%s.", b.Now.UTC().Format("2 January 2006, 15:04 UTC"), orgSuffix(b.Organisation)))
	if b.DocumentID != "" {
		p(verifyNote(b))
	}
	if b.Demo {
		p("DEMO DATA — synthetic suppliers and routing data, not a real portfolio.")
	}
	d := b.Dashboard
	h("1. Portfolio summary")
	p(fmt.Sprintf("%d suppliers, %d of them supporting critical or important functions. %d assessments overdue. %d valid attestations, %d due for renewal.",
		d.Vendors.N, d.CriticalVendors.N, d.OverdueCount.N, d.Attestations.N, d.RenewalCount.N))
	var rs []string
	for _, c := range d.Ratings {
		rs = append(rs, fmt.Sprintf("%s %d", c.Label, c.N))
	}
	p("Residual ratings (latest scored assessment per supplier): " + strings.Join(rs, ", ") + ".")
	var al []string
	for _, c := range d.Alerts {
		al = append(al, fmt.Sprintf("%s %d", c.Label, c.N))
	}
	p("Open monitoring alerts: " + strings.Join(al, ", ") + ".")
	if len(d.Readiness) > 0 {
		var rd []string
		for _, r := range d.Readiness {
			rd = append(rd, fmt.Sprintf("%s %.0f %%", r.Action, r.Mean*100))
		}
		p("Mean MANRS readiness across critical suppliers: " + strings.Join(rd, ", ") + ".")
	}
	var stale []string
	for _, fr := range d.Freshness {
		if fr.Stale || fr.Missing {
			stale = append(stale, fr.Kind)
		}
	}
	if len(stale) > 0 {
		p("Routing data stale or missing: " + strings.Join(stale, ", ") + ".")
	}

	c := b.Concentration
	h("2. Concentration risk from observed BGP paths")
	if c.Unknown != "" {
		p("Unknown: " + c.Unknown)
	}
	if c.HHI != nil {
		p(fmt.Sprintf("Herfindahl–Hirschman index of critical services over their upstream networks: %.0f of 10,000.", *c.HHI))
	}
	w := []float64{45, 20, 20, 95}
	row([]string{"Upstream", "Services", "Critical", "If lost, these lose every observed path"}, w, true)
	for i, u := range c.Upstreams {
		if i == 15 {
			p(fmt.Sprintf("… and %d further upstreams.", len(c.Upstreams)-15))
			break
		}
		row([]string{fmt.Sprintf("AS%d %s", u.ASN, u.Name), fmt.Sprint(len(u.Services)), fmt.Sprint(u.CriticalServices), refNames(u.LoseAll)}, w, false)
	}
	if len(c.SingleUpstreamServices) > 0 {
		var ss []string
		for _, s := range c.SingleUpstreamServices {
			ss = append(ss, fmt.Sprintf("%s — %s (AS%d)", s.Vendor, s.Name, s.Upstreams[0]))
		}
		p("Services with a single observed upstream: " + strings.Join(ss, "; ") + ".")
	}
	for _, x := range c.Discrepancies {
		p(fmt.Sprintf("Declared vs observed, %s (%s): %s", x.Vendor, x.Control, x.Message))
	}

	h("3. Obligations coverage")
	if cov := b.Coverage; cov == nil {
		p("Not computed for this report (no control library was loaded).")
	} else {
		p("For each DORA, NIS2 and CER obligation mapped to controls, each supplier in scope (a service declared under the framework) on " +
			"the controls of its latest decided assessment: all met → met; some met → partly met; none met and some not met → failed; " +
			"no result or no decided assessment → unknown. A waived shortfall counts as a shortfall.")
		w := []float64{30, 30, 22, 22, 22, 22, 32}
		row([]string{"Framework", "Obligations", "Met", "Partly", "Failed", "Unknown", "Suppliers in scope"}, w, true)
		for _, fs := range coverageByFramework(cov) {
			row([]string{fs.Framework, fmt.Sprint(fs.Obligations), fmt.Sprint(fs.Counts[CoverMet]), fmt.Sprint(fs.Counts[CoverPartly]),
				fmt.Sprint(fs.Counts[CoverFailed]), fmt.Sprint(fs.Counts[CoverUnknown]), fmt.Sprint(fs.Suppliers)}, w, false)
		}
		if worst := worstObligations(cov, 12); len(worst) > 0 {
			p("Obligations failed or partly met by the most suppliers:")
			w := []float64{32, 58, 90}
			row([]string{"Obligation", "Reference", "Failed (✗) / partly met (◐) by"}, w, true)
			for _, x := range worst {
				row([]string{x.ID, x.Regulation + " " + x.Reference + " " + x.Title, x.By}, w, false)
			}
		} else {
			p("No supplier fails or partly meets an obligation on the results at hand.")
		}
		if len(cov.Unmapped) > 0 {
			p(fmt.Sprintf("%d obligations of the catalogue are mapped to no control; no supplier is measured against them.", len(cov.Unmapped)))
		}
	}

	h("4. Open critical and high findings, and waivers in force")
	if len(b.Findings) == 0 {
		p("No open critical or high finding.")
	} else {
		w := []float64{55, 20, 25, 80}
		row([]string{"Supplier", "Severity", "Control", "Finding"}, w, true)
		for _, x := range b.Findings {
			row([]string{x.Vendor, x.Finding.Severity, x.Finding.ControlID, x.Finding.Title}, w, false)
		}
	}
	if len(b.Waivers) == 0 {
		p("No waiver in force.")
	} else {
		w := []float64{55, 25, 25, 75}
		row([]string{"Supplier", "Control", "Expires", "Justification"}, w, true)
		for _, x := range b.Waivers {
			row([]string{x.Vendor, x.Waiver.ControlID, x.Waiver.ExpiresAt.Format("2006-01-02"), x.Waiver.Justification}, w, false)
		}
	}
	h("5. Attestations issued")
	if len(b.Attestations) == 0 {
		p("None.")
	} else {
		w := []float64{55, 70, 30, 25}
		row([]string{"Document", "Supplier", "Issued", "Signer"}, w, true)
		for _, a := range b.Attestations {
			row([]string{a.DocumentID, a.VendorName, a.IssuedAt.Format("2006-01-02"), a.SignerName}, w, false)
		}
	}
	if f.Err() {
		return nil, fmt.Errorf("report: board: %w", f.Error())
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("report: board: %w", err)
	}
	return buf.Bytes(), nil
}

func orgSuffix(o string) string {
	if o == "" {
		return ""
	}
	return " for " + o
}

func refNames(rs []ServiceRef) string {
	if len(rs) == 0 {
		return "—"
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.Vendor)
	}
	return strings.Join(out, ", ")
}

func clipText(s string, n int) string {
	r := []rune(s)
	if n < 2 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// frameworkCoverage is one framework's cells over the coverage.
type frameworkCoverage struct {
	Framework   string
	Obligations int
	Suppliers   int // with at least one cell in scope
	Counts      map[string]int
}

// coverageByFramework sums the coverage's cells per framework, in DORA, NIS2, CER order.
func coverageByFramework(cov *Coverage) []frameworkCoverage {
	var out []frameworkCoverage
	for _, fw := range rw.Regulations {
		fc := frameworkCoverage{Framework: fw, Counts: map[string]int{}}
		inScope := map[int]bool{}
		for j, o := range cov.Obligations {
			if o.Framework != fw {
				continue
			}
			fc.Obligations++
			for i, s := range cov.Suppliers {
				st := s.Cells[j].State
				fc.Counts[st]++
				if st != CoverOutOfScope {
					inScope[i] = true
				}
			}
		}
		fc.Suppliers = len(inScope)
		if fc.Obligations > 0 {
			out = append(out, fc)
		}
	}
	return out
}

type worstObligation struct {
	CoverageObligation
	By string
}

// worstObligations are up to n obligations with the most suppliers failing or partly meeting
// them (failures first), each with those suppliers named.
func worstObligations(cov *Coverage, n int) []worstObligation {
	type scored struct {
		j, failed, partly int
	}
	var list []scored
	for j, o := range cov.Obligations {
		if f, p := o.Counts[CoverFailed], o.Counts[CoverPartly]; f+p > 0 {
			list = append(list, scored{j, f, p})
		}
	}
	sort.SliceStable(list, func(a, b int) bool {
		if list[a].failed != list[b].failed {
			return list[a].failed > list[b].failed
		}
		return list[a].partly > list[b].partly
	})
	var out []worstObligation
	for _, x := range list[:min(n, len(list))] {
		var by []string
		for _, s := range cov.Suppliers {
			switch s.Cells[x.j].State {
			case CoverFailed:
				by = append(by, "✗ "+s.Vendor)
			case CoverPartly:
				by = append(by, "◐ "+s.Vendor)
			}
		}
		out = append(out, worstObligation{CoverageObligation: cov.Obligations[x.j], By: strings.Join(by, ", ")})
	}
	return out
}
