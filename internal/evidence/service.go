package evidence

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	rw "routewarden/internal/routewarden"
)

// Service keeps the parsed latest snapshots in memory for a long-running process and reloads
// them when another snapshot has been imported (by this or any other instance sharing the
// database). It is safe for concurrent use.
type Service struct {
	store rw.SnapshotStore
	now   func() time.Time
	// Every bounds how often the database is asked for newer snapshots.
	Every time.Duration
	// Bands grade the checks' figures (LibraryBands of the control library); set before use.
	Bands Bands

	mu      sync.Mutex
	data    *Data
	ids     map[string]int64
	checked time.Time
}

// NewService returns a service over the store.
func NewService(st rw.SnapshotStore, now func() time.Time) *Service {
	return &Service{store: st, now: now, Every: 10 * time.Second}
}

// Data returns the current data, reloading when a newer snapshot exists.
func (s *Service) Data(ctx context.Context) (*Data, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data != nil && s.now().Sub(s.checked) < s.Every {
		return s.data, nil
	}
	ids, err := s.store.LatestSnapshotIDs(ctx)
	if err != nil {
		return nil, err
	}
	s.checked = s.now()
	if s.data != nil && maps.Equal(ids, s.ids) {
		return s.data, nil
	}
	d, err := Load(ctx, s.store)
	if err != nil {
		return nil, fmt.Errorf("load routing data: %w", err)
	}
	d.Bands = s.Bands
	s.data, s.ids = d, ids
	return d, nil
}

// Invalidate makes the next Data call look for new snapshots at once (after an import).
func (s *Service) Invalidate() {
	s.mu.Lock()
	s.checked = time.Time{}
	s.mu.Unlock()
}

// Check runs every check for the targets over the current data and stores the results, so that
// assessments and reports read the same figures the pages show.
func (s *Service) Check(ctx context.Context, ts ...Target) ([]rw.CheckResult, *Data, error) {
	d, err := s.Data(ctx)
	if err != nil {
		return nil, nil, err
	}
	var out []rw.CheckResult
	for _, t := range ts {
		out = append(out, Run(d, t, s.now())...)
	}
	if err := s.store.SaveCheckResults(ctx, out); err != nil {
		return nil, nil, err
	}
	return out, d, nil
}

// Import stores a new snapshot and makes the service pick it up.
func (s *Service) Import(ctx context.Context, kind, source string, files []File) (*rw.Snapshot, error) {
	snap, _, err := Import(ctx, s.store, kind, source, files, false)
	if err == nil {
		s.Invalidate()
	}
	return snap, err
}

// CheckVendors runs every check for every network of every vendor over d. It reads all
// networks in one query.
func CheckVendors(ctx context.Context, d *Data, vendors rw.VendorStore, now time.Time) ([]rw.CheckResult, error) {
	nets, err := vendors.FindNetworks(ctx)
	if err != nil {
		return nil, err
	}
	byVendor := map[int64]*rw.Vendor{}
	for _, n := range nets {
		v := byVendor[n.VendorID]
		if v == nil {
			v = &rw.Vendor{ID: n.VendorID}
			byVendor[n.VendorID] = v
		}
		v.Networks = append(v.Networks, n)
	}
	var out []rw.CheckResult
	for _, n := range nets {
		out = append(out, Run(d, TargetOf(byVendor[n.VendorID], n), now)...)
	}
	return out, nil
}

// RecheckAll runs the checks of every vendor network over the current data and stores them.
func (s *Service) RecheckAll(ctx context.Context, vendors rw.VendorStore) (int, error) {
	d, err := s.Data(ctx)
	if err != nil {
		return 0, err
	}
	rs, err := CheckVendors(ctx, d, vendors, s.now())
	if err != nil {
		return 0, err
	}
	return len(rs), s.store.SaveCheckResults(ctx, rs)
}
