package web

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
)

// maxImportBytes bounds one upload through the data page; larger files go through the CLI.
const maxImportBytes = 256 << 20

// checkRow is one check result prepared for a page.
type checkRow struct {
	rw.CheckResult
	Title     string
	Figure    string
	Snapshots []snapRef
	Stale     bool
}

type snapRef struct {
	ID     int64
	Kind   string
	Source string
	Date   string
	Age    string
	Stale  bool
	Demo   bool
}

// staleAfter is the age beyond which a figure is flagged as resting on stale data.
const staleAfter = 7 * 24 * time.Hour

func (s *Server) rows(d *evidence.Data, rs []rw.CheckResult) []checkRow {
	byID := map[int64]*rw.Snapshot{}
	for _, snap := range d.Snapshots {
		byID[snap.ID] = snap
	}
	out := make([]checkRow, len(rs))
	for i, r := range rs {
		def, _ := rw.FindCheck(r.Check)
		row := checkRow{CheckResult: r, Title: def.Title, Figure: figure(r.Figure, def.Figure)}
		for _, id := range r.Snapshots {
			if snap := byID[id]; snap != nil {
				ref := s.snapRef(snap)
				row.Stale = row.Stale || ref.Stale
				row.Snapshots = append(row.Snapshots, ref)
			}
		}
		out[i] = row
	}
	return out
}

func (s *Server) snapRef(snap *rw.Snapshot) snapRef {
	at := snap.ImportedAt
	if snap.DataTime != nil {
		at = *snap.DataTime
	}
	age := s.now().Sub(at)
	return snapRef{ID: snap.ID, Kind: snap.Kind, Source: snap.Source, Date: at.UTC().Format("2006-01-02 15:04 UTC"),
		Age: humanAge(age), Stale: age > staleAfter && !snap.Demo, Demo: snap.Demo}
}

func humanAge(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min old", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h old", int(d.Hours()))
	}
	return fmt.Sprintf("%d days old", int(d.Hours()/24))
}

func figure(f *float64, unit string) string {
	if f == nil {
		return "—"
	}
	switch unit {
	case "ratio":
		return fmt.Sprintf("%.1f %%", 100**f)
	case "score":
		return fmt.Sprintf("%.3f", *f)
	case "bool", "grade":
		switch {
		case *f >= 1:
			return "yes"
		case *f > 0:
			return "partly"
		}
		return "no"
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// statusCounts tallies results by status for the summaries.
type statusCounts struct{ Pass, Warn, Fail, Unknown int }

func countStatuses(rs []rw.CheckResult) statusCounts {
	var c statusCounts
	for _, r := range rs {
		switch r.Status {
		case rw.StatusPass:
			c.Pass++
		case rw.StatusWarn:
			c.Warn++
		case rw.StatusFail:
			c.Fail++
		default:
			c.Unknown++
		}
	}
	return c
}

type asnView struct {
	ASN     uint32
	Warning string
	Owners  []*rw.Vendor
	Rows    []checkRow
	Counts  statusCounts
	NoData  bool
}

func (v asnView) PageTitle() string { return fmt.Sprintf("AS%d — routing evidence", v.ASN) }

// asnPage is the per-ASN drill-down: every check with its figure, the offending objects and the
// snapshots it rests on.
func (s *Server) asnPage(c *gin.Context) {
	asn, err := rw.ParseASN(c.Param("asn"))
	if err != nil || asn == 0 {
		s.fail(c, rw.Errorf(rw.ENOTFOUND, "%q is not an AS number.", c.Param("asn")))
		return
	}
	t, owners, err := s.targetFor(c, asn)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.deps.Evidence.Data(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	rs := evidence.Run(d, t, s.now())
	s.render(c, http.StatusOK, "asn", asnView{ASN: asn, Warning: rw.ASNWarning(asn), Owners: owners, Rows: s.rows(d, rs),
		Counts: countStatuses(rs), NoData: len(d.Snapshots) == 0})
}

// targetFor merges what the vendors recording an ASN say about it.
func (s *Server) targetFor(c *gin.Context, asn uint32) (evidence.Target, []*rw.Vendor, error) {
	ctx := c.Request.Context()
	t := evidence.Target{ASN: asn}
	nets, err := s.deps.Vendors.FindNetworksByASN(ctx, asn)
	if err != nil {
		return t, nil, err
	}
	var owners []*rw.Vendor
	for _, n := range nets {
		v, err := s.deps.Vendors.FindVendorByID(ctx, n.VendorID)
		if err != nil {
			return t, nil, err
		}
		owners = append(owners, v)
		vt := evidence.TargetOf(v, n)
		t.Expected, t.Siblings = append(t.Expected, vt.Expected...), append(t.Siblings, vt.Siblings...)
		if t.ASSet == "" {
			t.ASSet = vt.ASSet
		}
	}
	return t, owners, nil
}

// networkEvidence is the per-network summary on the vendor page.
type networkEvidence struct {
	Network *rw.Network
	Counts  statusCounts
	Worst   []checkRow // failing and warning checks
}

func (s *Server) vendorEvidence(c *gin.Context, v *rw.Vendor) ([]networkEvidence, error) {
	if len(v.Networks) == 0 || s.deps.Evidence == nil {
		return nil, nil
	}
	d, err := s.deps.Evidence.Data(c.Request.Context())
	if err != nil || len(d.Snapshots) == 0 {
		return nil, err
	}
	out := make([]networkEvidence, len(v.Networks))
	for i, n := range v.Networks {
		rs := evidence.Run(d, evidence.TargetOf(v, n), s.now())
		ne := networkEvidence{Network: n, Counts: countStatuses(rs)}
		for _, row := range s.rows(d, rs) {
			if row.Status == rw.StatusFail || row.Status == rw.StatusWarn {
				ne.Worst = append(ne.Worst, row)
			}
		}
		sort.SliceStable(ne.Worst, func(a, b int) bool { return ne.Worst[a].Status == rw.StatusFail && ne.Worst[b].Status != rw.StatusFail })
		out[i] = ne
	}
	return out, nil
}

type dataView struct {
	Snapshots []*rw.Snapshot
	Kinds     []string
	Error     string
	Kind      string
}

func (dataView) PageTitle() string { return "Routing data" }

func (s *Server) dataPage(c *gin.Context) {
	s.renderData(c, http.StatusOK, "", "")
}

func (s *Server) renderData(c *gin.Context, status int, kind, msg string) {
	snaps, err := s.deps.Snapshots.FindSnapshots(c.Request.Context(), "")
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "data", dataView{Snapshots: snaps, Kinds: rw.SnapshotKinds, Error: msg, Kind: kind})
}

// dataImport takes an upload of one kind; nothing is stored unless every file parses.
func (s *Server) dataImport(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxImportBytes)
	kind := c.PostForm("kind")
	form, err := c.MultipartForm()
	if err != nil {
		s.renderData(c, http.StatusBadRequest, kind, fmt.Sprintf("The upload could not be read (at most %d MiB per import): %v", maxImportBytes>>20, err))
		return
	}
	var files []evidence.File
	for _, fh := range form.File["files"] {
		f, err := fh.Open()
		if err != nil {
			s.renderData(c, http.StatusBadRequest, kind, err.Error())
			return
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			s.renderData(c, http.StatusBadRequest, kind, err.Error())
			return
		}
		files = append(files, evidence.File{Name: filepath.Base(fh.Filename), Data: data})
	}
	if len(files) == 0 {
		s.renderData(c, http.StatusBadRequest, kind, "Choose at least one file.")
		return
	}
	snap, err := s.deps.Evidence.Import(c.Request.Context(), kind, c.PostForm("source"), files)
	if err != nil {
		if rw.ErrorCode(err) != rw.EINVALID {
			s.fail(c, err)
			return
		}
		s.renderData(c, http.StatusBadRequest, kind, rw.ErrorMessage(err))
		return
	}
	n, err := s.deps.Evidence.RecheckAll(c.Request.Context(), s.deps.Vendors)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("snapshot imported", "request_id", c.GetString(ctxRequestID), "snapshot_id", snap.ID, "kind", snap.Kind, "records", snap.Records, "user_id", currentUser(c).ID)
	s.redirectFlash(c, "/data", fmt.Sprintf("Snapshot %d imported: %s, %d records; %d check results recomputed.", snap.ID, snap.Kind, snap.Records, n))
}
