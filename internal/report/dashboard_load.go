package report

import (
	"context"
	"time"

	rw "routewarden/internal/routewarden"
)

// DashboardSources are the stores the dashboard reads; nil ones are left out.
type DashboardSources struct {
	Vendors     rw.VendorStore
	Assessments interface {
		FindAssessments(context.Context, rw.AssessmentFilter) ([]*rw.Assessment, int, error)
	}
	Attestations interface {
		FindAttestations(context.Context, rw.AttestationFilter) ([]*rw.Attestation, int, error)
	}
	Snapshots interface {
		LatestSnapshot(context.Context, string) (*rw.Snapshot, error)
	}
	Monitor interface {
		CountActiveAlerts(context.Context) (map[rw.Severity]int, error)
		FindMonitorRuns(context.Context, time.Time) ([]rw.MonitorRun, error)
	}
}

// LoadDashboard reads the list rows the dashboard counts (counts and critical suppliers only,
// never every vendor) and computes it; window bounds the monitor trend.
func LoadDashboard(ctx context.Context, src DashboardSources, now time.Time, window time.Duration) (*Dashboard, error) {
	in := DashboardInput{Now: now, Snapshots: map[string]*rw.Snapshot{}}
	_, total, err := src.Vendors.FindVendors(ctx, rw.VendorFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	in.VendorTotal = total
	yes := true
	for off := 0; ; {
		page, total, err := src.Vendors.FindVendors(ctx, rw.VendorFilter{Critical: &yes, Sort: "updated", Offset: off, Limit: 1000})
		if err != nil {
			return nil, err
		}
		in.Critical = append(in.Critical, page...)
		if off += len(page); len(page) == 0 || off >= total {
			break
		}
	}
	if src.Assessments != nil {
		for off := 0; ; {
			page, total, err := src.Assessments.FindAssessments(ctx, rw.AssessmentFilter{Offset: off, Limit: 1000})
			if err != nil {
				return nil, err
			}
			in.Assessments = append(in.Assessments, page...)
			if off += len(page); len(page) == 0 || off >= total {
				break
			}
		}
	}
	if src.Attestations != nil {
		for off := 0; ; {
			page, total, err := src.Attestations.FindAttestations(ctx, rw.AttestationFilter{Offset: off, Limit: 1000})
			if err != nil {
				return nil, err
			}
			in.Attestations = append(in.Attestations, page...)
			if off += len(page); len(page) == 0 || off >= total {
				break
			}
		}
	}
	if src.Snapshots != nil {
		for _, k := range rw.SnapshotKinds {
			snap, err := src.Snapshots.LatestSnapshot(ctx, k)
			if err != nil && rw.ErrorCode(err) != rw.ENOTFOUND {
				return nil, err
			}
			if err == nil {
				in.Snapshots[k] = snap
			}
		}
	}
	if src.Monitor != nil {
		var err error
		if in.Alerts, err = src.Monitor.CountActiveAlerts(ctx); err != nil {
			return nil, err
		}
		if in.Runs, err = src.Monitor.FindMonitorRuns(ctx, in.Now.Add(-window)); err != nil {
			return nil, err
		}
	}
	return ComputeDashboard(in), nil
}

// FindingSource reads the findings and waivers of assessments.
type FindingSource interface {
	FindAssessments(ctx context.Context, f rw.AssessmentFilter) ([]*rw.Assessment, int, error)
	FindFindings(ctx context.Context, assessmentID int64) ([]*rw.Finding, error)
	FindWaivers(ctx context.Context, assessmentID int64) ([]*rw.Waiver, error)
}

// LoadFindings returns the open critical and high findings and the waivers in force of every
// assessment that is not cancelled.
func LoadFindings(ctx context.Context, src FindingSource, now time.Time) ([]OpenFinding, []ActiveWaiver, error) {
	var fs []OpenFinding
	var ws []ActiveWaiver
	for off := 0; ; {
		page, total, err := src.FindAssessments(ctx, rw.AssessmentFilter{Offset: off, Limit: 1000})
		if err != nil {
			return nil, nil, err
		}
		for _, a := range page {
			if a.State == rw.StateCancelled {
				continue
			}
			list, err := src.FindFindings(ctx, a.ID)
			if err != nil {
				return nil, nil, err
			}
			for _, f := range list {
				if f.Status != "resolved" && (f.Severity == "critical" || f.Severity == "high") {
					fs = append(fs, OpenFinding{Vendor: a.VendorName, Finding: *f, Assessed: a.ID})
				}
			}
			wl, err := src.FindWaivers(ctx, a.ID)
			if err != nil {
				return nil, nil, err
			}
			for _, w := range wl {
				if w.ExpiresAt.After(now) {
					ws = append(ws, ActiveWaiver{Vendor: a.VendorName, Waiver: *w})
				}
			}
		}
		if off += len(page); len(page) == 0 || off >= total {
			return fs, ws, nil
		}
	}
}
