package routewarden

import (
	"context"
	"io"
	"time"
)

// SnapshotKinds are the kinds of routing data Routewarden imports, in display order.
var SnapshotKinds = []string{"vrps", "routes", "irr", "asrel", "peeringdb", "bogons", "manrs", "spoofer"}

// ValidSnapshotKind reports whether k is one of SnapshotKinds.
func ValidSnapshotKind(k string) bool {
	for _, x := range SnapshotKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Snapshot is one import of routing data with its provenance. The input files are kept
// (compressed) so that every result can be traced to the exact bytes it came from, and so that
// every instance on a shared database can load the same data.
type Snapshot struct {
	ID          int64
	Kind        string // one of SnapshotKinds
	Source      string // where it came from: a file name, a URL, "demo"
	Format      string // the detected format, e.g. "rpki-client-json", "mrt"
	DataTime    *time.Time
	ImportedAt  time.Time
	Records     int64 // records read
	Skipped     int64 // malformed records skipped (e.g. bad BGP messages inside intact MRT records)
	Digest      string
	Demo        bool
	Files       []SnapshotFile
	Description string
}

// SnapshotFile is one input file of a snapshot.
type SnapshotFile struct {
	Name   string
	SHA256 string
	Size   int64
	Data   []byte // the original bytes; set on import and when loaded with content
}

// CheckResult is the outcome of one routing-evidence check for one ASN.
type CheckResult struct {
	ASN        uint32
	Check      string
	Status     CheckStatus
	Figure     *float64 // nil when unknown
	Summary    string   // one sentence: what was measured, or why it is unknown
	Details    []Detail // offending prefixes, paths and objects
	Snapshots  []int64  // snapshot IDs the result rests on
	ComputedAt time.Time
}

// Detail is one offending or notable object behind a check result.
type Detail struct {
	Kind   string `json:"kind"`             // "route", "path", "vrp", "object", "contact", ...
	Prefix string `json:"prefix,omitempty"` // the prefix concerned
	Origin uint32 `json:"origin,omitempty"`
	Path   string `json:"path,omitempty"` // AS path as text
	Note   string `json:"note"`
}

// SnapshotStore persists snapshots and check results.
type SnapshotStore interface {
	CreateSnapshot(ctx context.Context, s *Snapshot) error // stores s and its files' data
	FindSnapshots(ctx context.Context, kind string) ([]*Snapshot, error)
	LatestSnapshot(ctx context.Context, kind string) (*Snapshot, error)
	// LatestSnapshotIDs returns the newest snapshot ID of each kind that has one.
	LatestSnapshotIDs(ctx context.Context) (map[string]int64, error)
	FindSnapshotByID(ctx context.Context, id int64) (*Snapshot, error)
	// OpenSnapshotFile streams the original bytes of file i of snapshot id.
	OpenSnapshotFile(ctx context.Context, id int64, i int) (io.ReadCloser, error)
	SaveCheckResults(ctx context.Context, rs []CheckResult) error
	FindCheckResults(ctx context.Context, asn uint32) ([]CheckResult, error)
}
