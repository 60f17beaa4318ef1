package report

import (
	"context"
	"strconv"
	"strings"

	"routewarden/internal/evidence"

	rw "routewarden/internal/routewarden"
)

// allVendors is a store that reads every vendor with its parts at once (store.DB does).
type allVendors interface {
	AllVendors(ctx context.Context) ([]*rw.Vendor, error)
}

// LoadVendors returns every vendor with its services and networks: at once when the store can
// (a few queries), else page by page, one lookup per vendor.
func LoadVendors(ctx context.Context, vs rw.VendorStore) ([]*rw.Vendor, error) {
	if all, ok := vs.(allVendors); ok {
		return all.AllVendors(ctx)
	}
	var out []*rw.Vendor
	for off := 0; ; {
		page, total, err := vs.FindVendors(ctx, rw.VendorFilter{Offset: off, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, v := range page {
			full, err := vs.FindVendorByID(ctx, v.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, full)
		}
		off += len(page)
		if len(page) == 0 || off >= total {
			return out, nil
		}
	}
}

// AnswerSource is what reading the declared upstreams needs.
type AnswerSource interface {
	FindAssessments(ctx context.Context, f rw.AssessmentFilter) ([]*rw.Assessment, int, error)
	FindAnswers(ctx context.Context, assessmentID int64) ([]*rw.Answer, error)
}

// Questions whose answers declare upstreams.
const (
	qUpstreamCount = "RS-RES-01.Q1"
	qUpstreamNames = "RS-RES-01.Q2"
	qSubcontractor = "RS-GOV-08.Q1"
)

// LoadDeclared reads, for each vendor, the upstream answers the vendor gave (not those
// pre-filled from measurements) in its most recent assessment that has any (cancelled ones left
// out).
func LoadDeclared(ctx context.Context, as AnswerSource, vendors []*rw.Vendor) (map[int64]Declared, error) {
	out := map[int64]Declared{}
	for _, v := range vendors {
		list, _, err := as.FindAssessments(ctx, rw.AssessmentFilter{VendorID: v.ID, Limit: 1000})
		if err != nil {
			return nil, err
		}
		var best *rw.Assessment
		var bestAns []*rw.Answer
		for _, a := range list {
			if a.State == rw.StateCancelled || best != nil && !a.UpdatedAt.After(best.UpdatedAt) {
				continue
			}
			ans, err := as.FindAnswers(ctx, a.ID)
			if err != nil {
				return nil, err
			}
			if declaredOf(a.ID, ans) != nil {
				best, bestAns = a, ans
			}
		}
		if best != nil {
			out[v.ID] = *declaredOf(best.ID, bestAns)
		}
	}
	return out, nil
}

func declaredOf(id int64, ans []*rw.Answer) *Declared {
	d := &Declared{AssessmentID: id}
	found := false
	var text []string
	for _, a := range ans {
		joined := strings.TrimSpace(strings.Join(a.Values, " "))
		// A measured answer is our own pre-fill from the upstream check (the vendor cannot
		// change it, only comment): comparing it with the observed upstreams would report our
		// measurement as the vendor's declaration.
		if joined == "" || a.Measured {
			continue
		}
		switch a.QuestionID {
		case qUpstreamCount:
			if n, err := strconv.Atoi(joined); err == nil && n >= 0 {
				d.Count, found = &n, true
			}
		case qUpstreamNames, qSubcontractor:
			text = append(text, joined)
			found = true
		}
	}
	if !found {
		return nil
	}
	d.Text = strings.Join(text, " · ")
	d.ASNs = ParseDeclaredASNs(d.Text)
	return d
}

// ConcentrationFrom loads the vendors and their declared upstreams and computes the report over
// the loaded data sets d. as may be nil (no declared answers compared).
func ConcentrationFrom(ctx context.Context, vs rw.VendorStore, as AnswerSource, d *evidence.Data) (*Concentration, error) {
	vendors, err := LoadVendors(ctx, vs)
	if err != nil {
		return nil, err
	}
	in := ConcentrationInput{Vendors: vendors}
	if d != nil {
		in.Routes, in.ASRel, in.PeeringDB, in.Snapshots = d.Routes, d.ASRel, d.PeeringDB, d.Snapshots
	}
	if as != nil {
		if in.Declared, err = LoadDeclared(ctx, as, vendors); err != nil {
			return nil, err
		}
	}
	return ComputeConcentration(in), nil
}

// PathDifferences compares what the answers of one assessment of vendor v declare about its
// upstreams (RS-RES-01, RS-GOV-08; pre-filled measured answers are not declarations) with the
// upstreams observed in d's paths — the concentration report's comparison for one vendor, for
// the reviewer of that assessment. Nothing to compare (no declaration, no routes or as-rel
// data, no upstream observed) gives none.
func PathDifferences(v *rw.Vendor, assessmentID int64, answers []*rw.Answer, d *evidence.Data) []Discrepancy {
	if v == nil || d == nil || d.Routes == nil || d.ASRel == nil {
		return nil
	}
	decl := declaredOf(assessmentID, answers)
	if decl == nil {
		return nil
	}
	c := ComputeConcentration(ConcentrationInput{Vendors: []*rw.Vendor{v}, Routes: d.Routes, ASRel: d.ASRel, PeeringDB: d.PeeringDB,
		Declared: map[int64]Declared{v.ID: *decl}})
	return c.Discrepancies
}
