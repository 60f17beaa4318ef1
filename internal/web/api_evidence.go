package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
)

type checkResultJSON struct {
	ASN       uint32      `json:"asn"`
	Check     string      `json:"check"`
	Title     string      `json:"title"`
	Status    string      `json:"status"`
	Figure    *float64    `json:"figure"`
	Summary   string      `json:"summary"`
	Details   []rw.Detail `json:"details"`
	Snapshots []int64     `json:"snapshots"`
	Stale     bool        `json:"stale"`
}

type snapshotJSON struct {
	ID         int64              `json:"id"`
	Kind       string             `json:"kind"`
	Source     string             `json:"source"`
	Format     string             `json:"format"`
	DataTime   *time.Time         `json:"data_time"`
	ImportedAt time.Time          `json:"imported_at"`
	Records    int64              `json:"records"`
	Skipped    int64              `json:"skipped"`
	Digest     string             `json:"digest"`
	Demo       bool               `json:"demo"`
	Files      []snapshotFileJSON `json:"files"`
}

type snapshotFileJSON struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

func toSnapshotJSON(s *rw.Snapshot) snapshotJSON {
	out := snapshotJSON{ID: s.ID, Kind: s.Kind, Source: s.Source, Format: s.Format, DataTime: s.DataTime, ImportedAt: s.ImportedAt,
		Records: s.Records, Skipped: s.Skipped, Digest: s.Digest, Demo: s.Demo, Files: []snapshotFileJSON{}}
	for _, f := range s.Files {
		out.Files = append(out.Files, snapshotFileJSON{f.Name, f.SHA256, f.Size})
	}
	return out
}

// apiChecks runs the checks for ?asn=… (repeatable) or for every network of ?vendor=ID.
func (s *Server) apiChecks(c *gin.Context) {
	var targets []evidence.Target
	if vid := c.Query("vendor"); vid != "" {
		c.Params = append(c.Params, gin.Param{Key: "vid", Value: vid})
		id, err := vendorID(c, "vid")
		var v *rw.Vendor
		if err == nil {
			v, err = s.deps.Vendors.FindVendorByID(c.Request.Context(), id)
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, n := range v.Networks {
			targets = append(targets, evidence.TargetOf(v, n))
		}
	}
	for _, a := range c.QueryArray("asn") {
		asn, err := rw.ParseASN(a)
		if err != nil || asn == 0 {
			s.fail(c, &rw.Error{Code: rw.EINVALID, Message: "asn must be an AS number such as 3333 or AS3333.", Field: "asn"})
			return
		}
		t, _, err := s.targetFor(c, asn)
		if err != nil {
			s.fail(c, err)
			return
		}
		targets = append(targets, t)
	}
	if len(targets) == 0 {
		s.fail(c, &rw.Error{Code: rw.EINVALID, Message: "Name at least one asn=… or a vendor=ID.", Field: "asn"})
		return
	}
	d, err := s.deps.Evidence.Data(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	var results []checkResultJSON
	for _, t := range targets {
		for _, row := range s.rows(d, evidence.Run(d, t, s.now())) {
			det := row.Details
			if det == nil {
				det = []rw.Detail{}
			}
			results = append(results, checkResultJSON{ASN: row.ASN, Check: row.Check, Title: row.Title, Status: string(row.Status),
				Figure: row.CheckResult.Figure, Summary: row.Summary, Details: det, Snapshots: row.CheckResult.Snapshots, Stale: row.Stale})
		}
	}
	snaps := []snapshotJSON{}
	for _, k := range rw.SnapshotKinds {
		if snap := d.Snapshots[k]; snap != nil {
			snaps = append(snaps, toSnapshotJSON(snap))
		}
	}
	c.JSON(http.StatusOK, gin.H{"results": results, "snapshots": snaps})
}

func (s *Server) apiSnapshots(c *gin.Context) {
	kind := c.Query("kind")
	if kind != "" && !rw.ValidSnapshotKind(kind) {
		s.fail(c, &rw.Error{Code: rw.EINVALID, Message: "Unknown kind.", Field: "kind"})
		return
	}
	snaps, err := s.deps.Snapshots.FindSnapshots(c.Request.Context(), kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]snapshotJSON, len(snaps))
	for i, sn := range snaps {
		out[i] = toSnapshotJSON(sn)
	}
	c.JSON(http.StatusOK, gin.H{"snapshots": out})
}
