package report

import (
	"context"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// CoverageSources are what loading the obligations coverage reads.
type CoverageSources struct {
	Vendors     rw.VendorStore
	Assessments interface {
		FindAssessments(context.Context, rw.AssessmentFilter) ([]*rw.Assessment, int, error)
		FindOutcomes(context.Context, []int64) (map[int64]map[string]rw.ControlOutcome, error)
	}
	Libraries interface {
		Library(name, version string) (*control.Library, bool)
	}
	Catalogue *control.Catalogue
	Current   *control.Library
	// Rescore, when set, scores a decided assessment whose per-control results were not kept
	// (decided before they were) and keeps them; without it such a supplier's cells are unknown.
	Rescore func(context.Context, *rw.Assessment, *control.Library) (map[string]rw.ControlOutcome, error)
}

// LoadCoverage reads every vendor with its services, each vendor's latest decided (approved or
// rejected) assessment
// and its kept results (one query for all), and computes the coverage.
func LoadCoverage(ctx context.Context, src CoverageSources, now time.Time, f CoverageFilter) (*Coverage, error) {
	vendors, err := LoadVendors(ctx, src.Vendors)
	if err != nil {
		return nil, err
	}
	latest := map[int64]*rw.Assessment{}
	if src.Assessments != nil {
		for off := 0; ; {
			page, total, err := src.Assessments.FindAssessments(ctx, rw.AssessmentFilter{States: []rw.AssessmentState{rw.StateApproved, rw.StateRejected}, Offset: off, Limit: 1000})
			if err != nil {
				return nil, err
			}
			for _, a := range page {
				if b := latest[a.VendorID]; b == nil || decidedAt(a).After(decidedAt(b)) || decidedAt(a).Equal(decidedAt(b)) && a.ID > b.ID {
					latest[a.VendorID] = a
				}
			}
			if off += len(page); len(page) == 0 || off >= total {
				break
			}
		}
	}
	ids := make([]int64, 0, len(latest))
	for _, a := range latest {
		ids = append(ids, a.ID)
	}
	kept := map[int64]map[string]rw.ControlOutcome{}
	if len(ids) > 0 {
		if kept, err = src.Assessments.FindOutcomes(ctx, ids); err != nil {
			return nil, err
		}
	}
	in := CoverageInput{Now: now, Catalogue: src.Catalogue, Current: src.Current, Filter: f}
	for _, v := range vendors {
		cs := CoverageSource{Vendor: v, Assessment: latest[v.ID]}
		if a := cs.Assessment; a != nil {
			if src.Libraries != nil {
				if l, ok := src.Libraries.Library(a.Library, a.LibraryVersion); ok {
					cs.Library = l
				}
			}
			cs.Outcomes = kept[a.ID]
			if cs.Outcomes == nil && cs.Library != nil && src.Rescore != nil {
				if cs.Outcomes, err = src.Rescore(ctx, a, cs.Library); err != nil {
					return nil, err
				}
			}
		}
		in.Suppliers = append(in.Suppliers, cs)
	}
	return ComputeCoverage(in), nil
}

func decidedAt(a *rw.Assessment) time.Time {
	if a.DecidedAt != nil {
		return *a.DecidedAt
	}
	return a.UpdatedAt
}
