package irr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestExpandSample(t *testing.T) {
	db := readDB(t, "ripe.db.sample")
	e, err := db.Expand("as-ripencc", DefaultMaxDepth)
	if err != nil {
		t.Fatal(err)
	}
	// AS196615 joins through member-of + mbrs-by-ref; AS64496 names the set but its
	// maintainer is not in mbrs-by-ref.
	if want := []uint32{2121, 3333, 12654, 196615}; !slices.Equal(e.ASNs, want) {
		t.Errorf("ASNs = %v, want %v", e.ASNs, want)
	}
	if want := []string{"AS-RIPENCC", "AS-RIS-COLLECTORS"}; !slices.Equal(e.Sets, want) {
		t.Errorf("Sets = %v, want %v", e.Sets, want)
	}
	if want := []string{"AS-RIS-BEACONS"}; !slices.Equal(e.Missing, want) {
		t.Errorf("Missing = %v, want %v", e.Missing, want)
	}
	if len(e.Cycles) != 1 || strings.Join(e.Cycles[0], ">") != "AS-RIPENCC>AS-RIS-COLLECTORS>AS-RIPENCC" {
		t.Errorf("Cycles = %v", e.Cycles)
	}
	if e.Depth != 1 {
		t.Errorf("Depth = %d, want 1", e.Depth)
	}
	got, err := db.ExpandASSet("RIPE::AS-RIS-COLLECTORS")
	if err != nil || !slices.Equal(got, []uint32{2121, 3333, 12654, 196615}) {
		t.Errorf("ExpandASSet(RIPE::AS-RIS-COLLECTORS) = %v, %v", got, err)
	}
}

// chainDB builds AS-L0 > AS-L1 > … > AS-L<n>, each level adding one ASN.
func chainDB(t *testing.T, n int, extra string) *DB {
	t.Helper()
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "as-set: AS-L%d\nmembers: AS%d, AS-L%d\nsource: TEST\n\n", i, 64512+i, i+1)
	}
	fmt.Fprintf(&sb, "as-set: AS-L%d\nmembers: AS%d\n%s\n", n, 64512+n, extra)
	db, err := Read(strings.NewReader(sb.String()), "chain.db")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestExpandDepthAndCycles(t *testing.T) {
	tests := []struct {
		name     string
		db       *DB
		root     string
		maxDepth int
		asns     int
		cycles   int
		errIs    error
		depthErr bool
	}{
		{name: "chain within limit", db: chainDB(t, 5, ""), root: "AS-L0", maxDepth: 5, asns: 6},
		{name: "chain over limit", db: chainDB(t, 6, ""), root: "AS-L0", maxDepth: 5, depthErr: true},
		{name: "start deeper", db: chainDB(t, 6, ""), root: "AS-L1", maxDepth: 5, asns: 6},
		{name: "long loop", db: chainDB(t, 8, "members: AS-L0"), root: "AS-L3", maxDepth: 20, asns: 9, cycles: 1},
		{name: "self loop", db: chainDB(t, 0, "members: AS-L0"), root: "as-l0", maxDepth: 1, asns: 1, cycles: 1},
		{name: "unknown root", db: chainDB(t, 1, ""), root: "AS-NOPE", maxDepth: 5, errIs: ErrNotFound},
		{name: "wrong source", db: chainDB(t, 1, ""), root: "RADB::AS-L0", maxDepth: 5, errIs: ErrNotFound},
		{name: "right source", db: chainDB(t, 1, ""), root: "test::AS-L0", maxDepth: 5, asns: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := tt.db.Expand(tt.root, tt.maxDepth)
			var de *DepthError
			switch {
			case tt.depthErr:
				if !errors.As(err, &de) || len(de.Chain) != tt.maxDepth+2 || de.Chain[0] != "AS-L0" {
					t.Fatalf("err = %v, want a DepthError with the chain", err)
				}
				return
			case tt.errIs != nil:
				if !errors.Is(err, tt.errIs) {
					t.Fatalf("err = %v, want %v", err, tt.errIs)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if len(e.ASNs) != tt.asns || len(e.Cycles) != tt.cycles {
				t.Errorf("ASNs = %v, cycles = %v; want %d ASNs, %d cycles", e.ASNs, e.Cycles, tt.asns, tt.cycles)
			}
		})
	}
}

func TestExpandSharedChildIsNotACycle(t *testing.T) {
	in := "as-set: AS-TOP\nmembers: AS-A, AS-B\n\nas-set: AS-A\nmembers: AS-C\n\n" +
		"as-set: AS-B\nmembers: AS-C\n\nas-set: AS-C\nmembers: AS1, AS1\n"
	db, err := Read(strings.NewReader(in), "diamond")
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.Expand("AS-TOP", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Cycles) != 0 || !slices.Equal(e.ASNs, []uint32{1}) || len(e.Sets) != 4 {
		t.Errorf("expansion = %+v", e)
	}
}

func BenchmarkExpand(b *testing.B) {
	var sb strings.Builder
	// 200 sets of 50 ASNs each, every set also naming the next 3 sets.
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&sb, "as-set: AS-S%d\nmembers: AS-S%d, AS-S%d, AS-S%d\n", i, (i+1)%200, (i+2)%200, (i+3)%200)
		for j := 0; j < 50; j++ {
			fmt.Fprintf(&sb, "members: AS%d\n", 100000+i*50+j)
		}
		sb.WriteString("\n")
	}
	db, err := Read(strings.NewReader(sb.String()), "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.Expand("AS-S0", 250); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExpandSources: issue 12 item 11 — same-named sets of different IRRs (often different
// operators) are not merged, and SOURCE:: selects the root's source.
func TestExpandSources(t *testing.T) {
	const text = `as-set: AS-VENDOR
members: AS64500, AS-CUST
source: RIPE

as-set: AS-VENDOR
members: AS64999, AS-STALE
source: RADB

as-set: AS-CUST
members: AS64501
source: RIPE

as-set: AS-CUST
members: AS64777
source: RADB

as-set: AS-STALE
members: AS64888
source: RADB
`
	db, err := Read(strings.NewReader(text), "multi.db")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		want     []uint32
		shadowed []string
	}{
		{"AS-VENDOR", []uint32{64500, 64501}, []string{"AS-VENDOR@RADB", "AS-CUST@RADB"}},
		{"RIPE::AS-VENDOR", []uint32{64500, 64501}, []string{"AS-VENDOR@RADB", "AS-CUST@RADB"}},
		{"RADB::AS-VENDOR", []uint32{64888, 64999}, []string{"AS-VENDOR@RIPE"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := db.Expand(tc.name, DefaultMaxDepth)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(e.ASNs, tc.want) || !slices.Equal(e.Shadowed, tc.shadowed) {
				t.Errorf("ASNs %v shadowed %v; want %v %v", e.ASNs, e.Shadowed, tc.want, tc.shadowed)
			}
		})
	}
	if _, err := db.Expand("ARIN::AS-VENDOR", DefaultMaxDepth); !errors.Is(err, ErrNotFound) {
		t.Errorf("a source without the set: %v, want not found", err)
	}
}
