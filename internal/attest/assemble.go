package attest

import (
	"fmt"
	"strings"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/score"
)

// Source is everything an attestation states about one approved assessment, as read from the
// stores and scored.
type Source struct {
	Assessment *rw.Assessment
	Vendor     *rw.Vendor // with services and networks
	Library    *control.Library
	Catalogue  *control.Catalogue
	Report     score.Report
	Evidence   []*rw.EvidenceFile // without data
	Waivers    []*rw.Waiver
	Findings   []*rw.Finding
	Snapshots  []*rw.Snapshot // the routing data the measurements rest on
	// Approved is the scope frozen at approval; nil for an assessment approved before scopes
	// were frozen, which is then stated as the vendor is now, and said so.
	Approved *rw.ApprovedScope
	Now      time.Time // the issue time
}

// Assemble builds the Document of an attestation from its source. The identity fields (ID,
// signer, verify URL) are the caller's.
func Assemble(src Source) *Document {
	a, v := src.Assessment, src.Vendor
	d := &Document{
		IssuedAt: src.Now.UTC(), Demo: v.Demo || a.VendorDemo, Scope: scopeText(a), Decision: decision(src),
		Library: Library{Name: a.Library, Version: a.LibraryVersion, Digest: a.LibraryDigest},
		Rating:  rating(a, src.Report),
	}
	d.PeriodEnd = d.Decision.At
	d.PeriodStart, d.PeriodNote = period(src, d.PeriodEnd)
	approvedScope(d, src)
	for _, s := range src.Snapshots {
		at := s.ImportedAt
		if s.DataTime != nil {
			at = *s.DataTime
		}
		d.Demo = d.Demo || s.Demo
		d.Snapshots = append(d.Snapshots, Snapshot{Kind: s.Kind, Source: s.Source, DataTime: at.UTC(), Digest: s.Digest})
	}
	for _, r := range src.Report.Readiness {
		d.Readiness = append(d.Readiness, Readiness{Action: r.Action + " " + r.Title, Percent: r.Percent, Level: r.Level})
	}
	d.KeyFindings = keyFindings(src)
	d.Controls = controlResults(src)
	d.Discrepancies = discrepancies(src.Report.Discrepancies)
	for _, w := range src.Waivers {
		if w.Active(src.Now) {
			d.Waivers = append(d.Waivers, Waiver{ControlID: w.ControlID, Justification: w.Justification + " (accepted by " + w.CreatedBy + ")",
				Expires: w.ExpiresAt.UTC()})
		}
	}
	d.Obligations = obligations(src, d.Controls)
	d.ValidFrom, d.ValidUntil, d.ValidityNote = validity(d)
	return d
}

// approvedScope states the vendor, networks and services as approved, and what was edited since;
// without a frozen scope, as the vendor is now, with a note saying so.
func approvedScope(d *Document, src Source) {
	now := rw.ScopeOf(src.Vendor)
	sc := &now
	if src.Approved != nil {
		sc = src.Approved
		d.ScopeNote = fmt.Sprintf("Vendor, networks and services as approved on %s by %s.",
			src.Approved.ApprovedAt.UTC().Format("2006-01-02 15:04 UTC"), src.Approved.ApprovedBy)
		d.ChangedSinceApproval = src.Approved.ChangesSince(now)
	} else {
		d.ScopeNote = "This assessment was approved before Routewarden froze the approved scope: vendor, networks and " +
			"services are stated as recorded at issue time."
	}
	d.Vendor = Vendor{LegalName: sc.LegalName, LEI: sc.LEI, Country: sc.Country}
	for _, n := range sc.Networks {
		d.Networks = append(d.Networks, Network{ASN: n.ASN, Prefixes: n.Prefixes, ASSet: n.ASSet})
	}
	for _, s := range sc.Services {
		d.Services = append(d.Services, Service{TypeCode: s.Type, Name: s.Name, Critical: s.Critical, Regulations: s.Regulations})
	}
}

func scopeText(a *rw.Assessment) string {
	s := fmt.Sprintf("Assessment #%d", a.ID)
	if a.Title != "" {
		s += " \u201c" + a.Title + "\u201d"
	}
	return s + "; provider types: " + strings.Join(a.ScopeStrings(), ", ")
}

// rating states the rating recorded when the assessment was approved and how the scores reach
// it; a recomputation at issue time that differs is said so, not hidden.
func rating(a *rw.Assessment, rep score.Report) Rating {
	r := Rating{Residual: rep.Residual.Rating, Inherent: rep.Inherent.Tier}
	compliance := rep.Residual.Compliance
	if a.Summary.Rating != "" {
		r.Residual, compliance = a.Summary.Rating, a.Summary.Compliance
	}
	if r.Residual != "" {
		r.Compliance = &compliance
	}
	if a.Summary.Tier != "" {
		r.Inherent = a.Summary.Tier
	}
	if rep.Inherent.Why != "" {
		r.Steps = append(r.Steps, "Inherent tier "+rep.Inherent.Tier+": "+rep.Inherent.Why)
	}
	r.Steps = append(r.Steps, rep.Residual.Steps...)
	if rep.Residual.Rating != "" && rep.Residual.Rating != r.Residual {
		r.Steps = append(r.Steps, fmt.Sprintf("Recomputed at issue time the rating is %s (for example after a waiver expired); "+
			"the rating approved was %s.", rep.Residual.Rating, r.Residual))
	}
	return r
}

func keyFindings(src Source) []string {
	var out []string
	for _, f := range src.Findings {
		out = append(out, fmt.Sprintf("[%s] %s: %s (%s, raised by %s)", f.Severity, f.ControlID, f.Title, f.Status, f.CreatedBy))
	}
	for _, t := range src.Report.Residual.Triggers {
		out = append(out, t.Condition+" \u2192 "+t.Action+" ("+t.Evidence+")")
	}
	for _, c := range src.Report.Controls {
		if c.Status == score.NotMet && (c.Severity == "high" || c.Severity == "critical") && !c.Waived {
			out = append(out, fmt.Sprintf("%s %s: not met (%s severity).", c.ID, c.Title, c.Severity))
		}
	}
	if card := src.Report.Card; card.OriginValidation != "" {
		out = append(out, fmt.Sprintf("Origin validation: %s; route-leak protection: %s; contractual SLA: %s.",
			card.OriginValidation, card.LeakProtection, card.SLA))
	}
	return out
}

func controlResults(src Source) []ControlResult {
	byControl := map[string][]Evidence{}
	for _, e := range src.Evidence {
		if _, c, ok := src.Library.Question(e.QuestionID); ok {
			byControl[c.ID] = append(byControl[c.ID], Evidence{Name: e.Name, SHA256: e.SHA256})
		}
	}
	out := make([]ControlResult, 0, len(src.Report.Controls))
	for _, c := range src.Report.Controls {
		out = append(out, ControlResult{ID: c.ID, Title: c.Title, Status: string(c.Status), Basis: string(c.Basis),
			Note: c.Why, Evidence: byControl[c.ID]})
	}
	return out
}

func discrepancies(ds []score.Discrepancy) []Discrepancy {
	var out []Discrepancy
	for _, x := range ds {
		res := ""
		if x.Resolved {
			side := map[string]string{"measurement": "the measurement stands", "answer": "the answer stands"}[x.Outcome]
			res = fmt.Sprintf("%s: %s (resolved by %s)", orDash(side), x.Resolution, x.ResolvedBy)
		}
		out = append(out, Discrepancy{ControlID: x.ControlID,
			Declared: fmt.Sprintf("%s = %s", x.QuestionID, strings.Join(x.Answer, ", ")),
			Measured: fmt.Sprintf("%s = %g on AS%d (%s)", x.Check, x.Figure, x.ASN, x.Rule), Resolution: res})
	}
	return out
}

// obligations maps every obligation that a control of the library supports to those controls
// and an overall status over the controls in scope.
func obligations(src Source, results []ControlResult) []Obligation {
	if src.Catalogue == nil {
		return nil
	}
	status := map[string]string{}
	for _, c := range results {
		status[c.ID] = c.Status
	}
	declared := map[string]bool{}
	for _, s := range servicesInScope(src) {
		for _, r := range s.Regulations {
			declared[strings.ToUpper(r)] = true
		}
	}
	// An act supplementing DORA or NIS2 (an RTS, ITS or implementing regulation) is declared
	// with its framework.
	var out []Obligation
	for _, o := range src.Catalogue.Obligations() {
		var ids, sts []string
		for _, c := range src.Library.ByObligation(o.ID) {
			if st, ok := status[c.ID]; ok {
				ids = append(ids, c.ID)
				sts = append(sts, st)
			}
		}
		if len(ids) == 0 {
			continue
		}
		out = append(out, Obligation{ID: o.ID, Regulation: o.Regulation, Title: o.Reference + " " + o.Title, ControlIDs: ids,
			Status: combine(sts), NotDeclared: !declared[framework(o.Regulation)]})
	}
	return out
}

// combine gives an obligation's status from its controls' statuses (score.Combine: the rule
// the portfolio's obligations coverage shares).
func combine(sts []string) string {
	ss := make([]score.Status, len(sts))
	for i, s := range sts {
		ss[i] = score.Status(s)
	}
	return string(score.Combine(ss))
}

// servicesInScope are the services the attestation covers: as approved when the scope was frozen.
func servicesInScope(src Source) []rw.ScopeService {
	if src.Approved != nil {
		return src.Approved.Services
	}
	return rw.ScopeOf(src.Vendor).Services
}
