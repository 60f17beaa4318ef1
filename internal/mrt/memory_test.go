package mrt

import (
	"compress/gzip"
	"errors"
	"io"
	"runtime"
	"testing"
)

// TestMemoryIndependentOfSize streams a large synthetic gzip RIB through a pipe (it is never in
// memory as a whole) and checks that the live heap stays small (sampled after a GC) while routes are read.
func TestMemoryIndependentOfSize(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 400,000 routes")
	}
	pr, pw := io.Pipe()
	go func() {
		zw := gzip.NewWriter(pw)
		_, err := SyntheticRIB{Prefixes: 40000, Seed: 3}.WriteTo(zw)
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
	}()
	rr, err := NewRouteReader(pr)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Close()
	var ms runtime.MemStats
	var peak uint64
	n := 0
	for {
		_, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n%50000 == 0 {
			runtime.GC() // measure the live heap, not garbage awaiting collection
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if n != 400000 {
		t.Fatalf("read %d routes, want 400000", n)
	}
	// The uncompressed stream is about 30 MB; the reader needs its buffers only.
	if peak > 8<<20 {
		t.Errorf("live heap reached %d MiB", peak>>20)
	}
	t.Logf("peak live heap %.1f MiB over %d routes", float64(peak)/(1<<20), n)
}
