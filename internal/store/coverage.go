package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	rw "routewarden/internal/routewarden"
)

// The obligations coverage reads every vendor and every decided assessment for each request;
// at 10,000 vendors AllVendors (four queries, every column of every part) and FindAssessments
// (paged, counted, joined, every summary decoded) took most of the page's time. The two reads
// below give only what the coverage rule looks at, in one query each, scanned without gorm's
// reflection.

// CoverageVendors returns every vendor in AllVendors' order (by name, then id) with only what
// the obligations coverage reads: ID, LegalName, Demo, Critical (any critical service) and its
// services with only Critical and Regulations set. Other fields are zero; ServiceCount is set.
// One query (vendors left-joined to their services) gives vendors and services consistently.
func (db *DB) CoverageVendors(ctx context.Context) ([]*rw.Vendor, error) {
	rows, err := db.q(ctx).Raw(`SELECT v.id, v.legal_name, v.demo, s.id, s.critical, s.regulations
		FROM vendors v LEFT JOIN services s ON s.vendor_id = v.id
		ORDER BY lower(v.legal_name), v.id, s.id`).Rows()
	if err != nil {
		return nil, fmt.Errorf("coverage vendors: %w", err)
	}
	defer rows.Close()
	var out []*rw.Vendor
	var v *rw.Vendor
	for rows.Next() {
		var (
			id         int64
			name       string
			demo       bool
			sid        sql.NullInt64
			critical   sql.NullBool
			regulation sql.NullString
		)
		if err := rows.Scan(&id, &name, &demo, &sid, &critical, &regulation); err != nil {
			return nil, fmt.Errorf("coverage vendors: scan: %w", err)
		}
		if v == nil || v.ID != id {
			v = &rw.Vendor{ID: id, LegalName: name, Demo: demo, Services: []*rw.Service{}}
			out = append(out, v)
		}
		if !sid.Valid {
			continue
		}
		s := &rw.Service{ID: sid.Int64, VendorID: id, Critical: critical.Bool}
		if regulation.String != "" {
			s.Regulations = strings.Split(regulation.String, ",")
		}
		v.Services = append(v.Services, s)
		v.Critical = v.Critical || s.Critical
		v.ServiceCount++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("coverage vendors: %w", err)
	}
	return out, nil
}

// DecidedAssessments returns every approved or rejected assessment with only what the
// obligations coverage reads: ID, VendorID, Library, LibraryVersion, State, DecidedAt,
// UpdatedAt and Summary.Tier; other fields are zero (FindAssessmentByID gives the whole
// assessment). In no particular order, and without paging: one query, no count, no join.
func (db *DB) DecidedAssessments(ctx context.Context) ([]*rw.Assessment, error) {
	rows, err := db.q(ctx).Raw(`SELECT id, vendor_id, library, library_version, state, decided_at, updated_at, summary
		FROM assessments WHERE state IN (?, ?)`, string(rw.StateApproved), string(rw.StateRejected)).Rows()
	if err != nil {
		return nil, fmt.Errorf("decided assessments: %w", err)
	}
	defer rows.Close()
	var out []*rw.Assessment
	for rows.Next() {
		var (
			a       rw.Assessment
			state   string
			decided sql.NullTime
			updated time.Time
			summary string
		)
		if err := rows.Scan(&a.ID, &a.VendorID, &a.Library, &a.LibraryVersion, &state, &decided, &updated, &summary); err != nil {
			return nil, fmt.Errorf("decided assessments: scan: %w", err)
		}
		a.State, a.UpdatedAt, a.Summary.Tier = rw.AssessmentState(state), updated.UTC(), summaryTier(summary)
		if decided.Valid {
			t := decided.Time.UTC()
			a.DecidedAt = &t
		}
		out = append(out, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decided assessments: %w", err)
	}
	return out, nil
}

// summaryTier is the tier of a stored summary; a summary that does not parse has none, as
// assessmentListRow.domain reads it.
func summaryTier(s string) string {
	var x struct {
		Tier string `json:"tier"`
	}
	_ = json.Unmarshal([]byte(s), &x)
	return x.Tier
}
