package report

// The obligations coverage as ComputeCoverage computed it before it was made fast (commit
// b41ee5c), kept verbatim as the reference the fast one must match cell for cell.

import (
	"slices"
	"strings"

	"routewarden/internal/control"
	"routewarden/internal/score"
)

// refLibIndex is one library version's obligation → controls map.
type refLibIndex map[string][]*control.Control

func refIndexLibrary(l *control.Library) refLibIndex {
	ix := refLibIndex{}
	for i := range l.Controls {
		c := &l.Controls[i]
		for _, o := range c.Obligations {
			ix[o] = append(ix[o], c)
		}
	}
	return ix
}

// refMatchesRegulation reports whether obligation o is selected by the regulation filter f.
func refMatchesRegulation(o *control.Obligation, f string) bool {
	return f == "" || strings.EqualFold(o.Regulation, f) || strings.EqualFold(control.Framework(o.Regulation), f)
}

// refComputeCoverage applies the rule of the package doc to every supplier and obligation.
func refComputeCoverage(in CoverageInput) *Coverage {
	cov := &Coverage{GeneratedAt: in.Now, Filter: in.Filter, Counts: map[string]int{}, Unmapped: []string{}, Suppliers: []CoverageSupplier{}}
	if in.Catalogue == nil {
		return cov
	}
	indexes := map[*control.Library]refLibIndex{}
	mapped := map[string][]string{}
	libs := []*control.Library{in.Current}
	for _, s := range in.Suppliers {
		libs = append(libs, s.Library)
	}
	for _, l := range libs {
		if l == nil || indexes[l] != nil {
			continue
		}
		ix := refIndexLibrary(l)
		indexes[l] = ix
		for o, cs := range ix {
			for _, c := range cs {
				if !slices.Contains(mapped[o], c.ID) {
					mapped[o] = append(mapped[o], c.ID)
				}
			}
		}
	}
	var obs []*control.Obligation
	for _, o := range in.Catalogue.Obligations() {
		if o.Informational || !refMatchesRegulation(o, in.Filter.Regulation) {
			continue
		}
		if len(mapped[o.ID]) == 0 {
			cov.Unmapped = append(cov.Unmapped, o.ID)
			continue
		}
		obs = append(obs, o)
		ctrls := slices.Clone(mapped[o.ID])
		slices.Sort(ctrls)
		cov.Obligations = append(cov.Obligations, CoverageObligation{ID: o.ID, Regulation: o.Regulation, Framework: control.Framework(o.Regulation),
			Reference: o.Reference, Title: o.Title, Controls: ctrls, Counts: map[string]int{}})
	}
	outOfScope := make([]string, len(obs))
	for j, o := range obs {
		outOfScope[j] = "No service of this supplier is declared under " + control.Framework(o.Regulation) + "."
	}
	for _, s := range in.Suppliers {
		row, ok := refSupplierRow(s, in.Filter)
		if !ok {
			continue
		}
		declared := map[string]bool{}
		for _, f := range row.Frameworks {
			declared[f] = true
		}
		row.Cells = make([]CoverageCell, len(obs))
		ix := indexes[s.Library]
		cc := refCoverageCtx{s: s, ix: ix, declared: declared}
		if s.Library != nil && s.Outcomes != nil {
			n := 0
			for _, o := range obs {
				n += len(ix[o.ID])
			}
			cc.controls = make([]CellControl, 0, n) // one backing array for the row's cells
		}
		if s.Assessment != nil && s.Library == nil {
			cc.noLibrary = "The control library " + s.Assessment.Library + " " + s.Assessment.LibraryVersion + " of its assessment is not loaded."
		}
		for j, o := range obs {
			cell := cc.cell(o, outOfScope[j])
			row.Cells[j] = cell
			row.Counts[cell.State]++
			cov.Obligations[j].Counts[cell.State]++
			if cell.State != CoverOutOfScope {
				cov.Obligations[j].InScope++
			}
			cov.Counts[cell.State]++
		}
		cov.Suppliers = append(cov.Suppliers, row)
	}
	slices.SortStableFunc(cov.Suppliers, func(a, b CoverageSupplier) int {
		if a.Critical != b.Critical {
			if a.Critical {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Vendor), strings.ToLower(b.Vendor))
	})
	return cov
}

// refSupplierRow is the row of one supplier without its cells, or false when the filter drops it.
func refSupplierRow(s CoverageSource, f CoverageFilter) (CoverageSupplier, bool) {
	v := s.Vendor
	row := CoverageSupplier{VendorID: v.ID, Vendor: v.LegalName, Demo: v.Demo, Critical: v.Critical, Frameworks: []string{}, Counts: map[string]int{}}
	for _, svc := range v.Services {
		row.Critical = row.Critical || svc.Critical
		for _, r := range svc.Regulations {
			if fw := control.Framework(r); !slices.Contains(row.Frameworks, fw) {
				row.Frameworks = append(row.Frameworks, fw)
			}
		}
	}
	slices.Sort(row.Frameworks)
	if a := s.Assessment; a != nil {
		row.AssessmentID, row.State, row.Decided, row.Tier = a.ID, string(a.State), a.DecidedAt, a.Summary.Tier
		row.Library = a.Library + " " + a.LibraryVersion
	}
	if f.Critical != nil && *f.Critical != row.Critical {
		return row, false
	}
	if f.Tier != "" && !strings.EqualFold(f.Tier, row.Tier) {
		return row, false
	}
	return row, true
}

// refCoverageCtx is one supplier's state while its cells are computed.
type refCoverageCtx struct {
	s         CoverageSource
	ix        refLibIndex
	declared  map[string]bool
	controls  []CellControl // backing array of the cells' controls
	sts       []score.Status
	noLibrary string
}

func (cc *refCoverageCtx) cell(o *control.Obligation, outOfScope string) CoverageCell {
	s := cc.s
	cell := CoverageCell{Obligation: o.ID}
	switch {
	case !cc.declared[control.Framework(o.Regulation)]:
		cell.State, cell.Reason = CoverOutOfScope, outOfScope
		return cell
	case s.Assessment == nil:
		cell.State, cell.Reason = CoverUnknown, "No decided assessment (approved or rejected) yet."
		return cell
	case s.Library == nil:
		cell.State, cell.Reason = CoverUnknown, cc.noLibrary
		return cell
	case s.Outcomes == nil:
		cell.State, cell.Reason = CoverUnknown, "The results of its decided assessment were not kept; open the assessment to score it again."
		return cell
	}
	sts := cc.sts[:0]
	start := len(cc.controls)
	for _, c := range cc.ix[o.ID] {
		out, ok := s.Outcomes[c.ID]
		if !ok || out.Status == string(score.NotApplicable) {
			continue
		}
		cc.controls = append(cc.controls, CellControl{ID: c.ID, Status: out.Status, Basis: out.Basis, Waived: out.Waived})
		cell.Waived = cell.Waived || out.Waived
		sts = append(sts, score.Status(out.Status))
	}
	cc.sts = sts
	if len(cc.controls) > start {
		cell.Controls = cc.controls[start:len(cc.controls):len(cc.controls)]
	}
	switch score.Combine(sts) {
	case score.NotApplicable:
		cell.State, cell.Reason = CoverNotApplicable, "No control that maps it applies to the provider types assessed."
	case score.Met:
		cell.State = CoverMet
	case score.PartiallyMet:
		cell.State = CoverPartly
	case score.NotMet:
		cell.State = CoverFailed
	default:
		cell.State, cell.Reason = CoverUnknown, "No result for the controls that map it (neither measured nor answered)."
	}
	return cell
}
