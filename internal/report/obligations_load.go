package report

import (
	"context"
	"fmt"
	"time"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// assessmentReader is what the coverage reads of the assessments.
type assessmentReader interface {
	FindAssessments(context.Context, rw.AssessmentFilter) ([]*rw.Assessment, int, error)
	FindOutcomes(context.Context, []int64) (map[int64]map[string]rw.ControlOutcome, error)
}

// CoverageSources are what loading the obligations coverage reads.
type CoverageSources struct {
	Vendors     rw.VendorStore
	Assessments assessmentReader
	Libraries   interface {
		Library(name, version string) (*control.Library, bool)
	}
	Catalogue *control.Catalogue
	Current   *control.Library
	// Rescore, when set, scores a decided assessment whose per-control results were not kept
	// (decided before they were) and keeps them; without it such a supplier's cells are unknown.
	Rescore func(context.Context, *rw.Assessment, *control.Library) (map[string]rw.ControlOutcome, error)
}

// coverageVendors is a store that reads every vendor with only what the coverage looks at, in
// one query (store.DB does); at 10,000 vendors that is several times faster than AllVendors.
type coverageVendors interface {
	CoverageVendors(ctx context.Context) ([]*rw.Vendor, error)
}

// decidedAssessments is a store that reads every decided assessment, lean, in one query, and
// the whole of one when a supplier's results must be scored again (store.DB does). Paging
// through FindAssessments instead counts and re-sorts every decided assessment per page.
type decidedAssessments interface {
	DecidedAssessments(ctx context.Context) ([]*rw.Assessment, error)
	FindAssessmentByID(ctx context.Context, id int64) (*rw.Assessment, error)
}

// outcomeLists is a store that reads kept results as lists sorted by control ID (store.DB
// does): cheaper than a map per supplier, and ComputeCoverage walks them along the library.
type outcomeLists interface {
	FindOutcomeLists(ctx context.Context, ids []int64) (map[int64][]rw.KeptOutcome, error)
}

// LoadCoverage reads every vendor with its services, each vendor's latest decided (approved or
// rejected) assessment
// and its kept results (one query for all), and computes the coverage.
func LoadCoverage(ctx context.Context, src CoverageSources, now time.Time, f CoverageFilter) (*Coverage, error) {
	return LoadCoverageRows(ctx, src, now, f, nil)
}

// LoadCoverageRows is LoadCoverage keeping the cells of the given rows only, all of them when
// rows is nil (CoverageInput.CellRows): what a page of the heatmap needs.
func LoadCoverageRows(ctx context.Context, src CoverageSources, now time.Time, f CoverageFilter, rows *RowRange) (*Coverage, error) {
	vendors, err := loadCoverageVendors(ctx, src.Vendors)
	if err != nil {
		return nil, err
	}
	latest, err := latestDecided(ctx, src.Assessments)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(latest))
	for _, a := range latest {
		ids = append(ids, a.ID)
	}
	kept := map[int64]map[string]rw.ControlOutcome{}
	var lists map[int64][]rw.KeptOutcome
	if len(ids) > 0 {
		if fast, ok := src.Assessments.(outcomeLists); ok {
			lists, err = fast.FindOutcomeLists(ctx, ids)
		} else {
			kept, err = src.Assessments.FindOutcomes(ctx, ids)
		}
		if err != nil {
			return nil, err
		}
	}
	in := CoverageInput{Now: now, Catalogue: src.Catalogue, Current: src.Current, Filter: f, CellRows: rows}
	for _, v := range vendors {
		cs := CoverageSource{Vendor: v, Assessment: latest[v.ID]}
		if a := cs.Assessment; a != nil {
			if src.Libraries != nil {
				if l, ok := src.Libraries.Library(a.Library, a.LibraryVersion); ok {
					cs.Library = l
				}
			}
			cs.Outcomes, cs.Kept = kept[a.ID], lists[a.ID]
			if !cs.kept() && cs.Library != nil && src.Rescore != nil {
				if cs.Outcomes, err = rescore(ctx, src, a, cs.Library); err != nil {
					return nil, err
				}
			}
		}
		in.Suppliers = append(in.Suppliers, cs)
	}
	return ComputeCoverage(in), nil
}

// loadCoverageVendors reads the vendors with their services: lean when the store can.
func loadCoverageVendors(ctx context.Context, vs rw.VendorStore) ([]*rw.Vendor, error) {
	if lean, ok := vs.(coverageVendors); ok {
		return lean.CoverageVendors(ctx)
	}
	return LoadVendors(ctx, vs)
}

// latestDecided is each vendor's latest decided assessment (by decision time, then id): read
// lean in one query when the store can, else page by page.
func latestDecided(ctx context.Context, as assessmentReader) (map[int64]*rw.Assessment, error) {
	latest := map[int64]*rw.Assessment{}
	keep := func(list []*rw.Assessment) {
		for _, a := range list {
			if b := latest[a.VendorID]; b == nil || decidedAt(a).After(decidedAt(b)) || decidedAt(a).Equal(decidedAt(b)) && a.ID > b.ID {
				latest[a.VendorID] = a
			}
		}
	}
	if as == nil {
		return latest, nil
	}
	if lean, ok := as.(decidedAssessments); ok {
		list, err := lean.DecidedAssessments(ctx)
		if err != nil {
			return nil, err
		}
		keep(list)
		return latest, nil
	}
	for off := 0; ; {
		page, total, err := as.FindAssessments(ctx, rw.AssessmentFilter{States: []rw.AssessmentState{rw.StateApproved, rw.StateRejected}, Offset: off, Limit: 1000})
		if err != nil {
			return nil, err
		}
		keep(page)
		if off += len(page); len(page) == 0 || off >= total {
			return latest, nil
		}
	}
}

// rescore scores a decided assessment again (src.Rescore) and keeps its results. A lean
// assessment (DecidedAssessments) is read whole first: scoring reads its scope and answers.
func rescore(ctx context.Context, src CoverageSources, a *rw.Assessment, l *control.Library) (map[string]rw.ControlOutcome, error) {
	if lean, ok := src.Assessments.(decidedAssessments); ok {
		full, err := lean.FindAssessmentByID(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("score assessment %d again for the obligations coverage: %w", a.ID, err)
		}
		a = full
	}
	return src.Rescore(ctx, a, l)
}

func decidedAt(a *rw.Assessment) time.Time {
	if a.DecidedAt != nil {
		return *a.DecidedAt
	}
	return a.UpdatedAt
}
