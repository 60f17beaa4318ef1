package mrt

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"
	"time"
)

func synthBytes(tb testing.TB, prefixes int, gz bool) []byte {
	tb.Helper()
	var buf bytes.Buffer
	var w io.Writer = &buf
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(&buf)
		w = zw
	}
	if _, err := (SyntheticRIB{Prefixes: prefixes, Seed: 1}).WriteTo(w); err != nil {
		tb.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

func countRoutes(tb testing.TB, data []byte) int {
	rr, err := NewRouteReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for {
		r, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		if r.OriginKind == OriginSingle && r.OriginAS == 0 {
			tb.Fatal("synthetic route without origin")
		}
		n++
	}
	if st := rr.Stats(); st.Malformed != 0 {
		tb.Fatalf("malformed: %v", st.Errors)
	}
	return n
}

func TestSyntheticRIB(t *testing.T) {
	s := SyntheticRIB{Prefixes: 2000, Seed: 7}
	data := synthBytes(t, s.Prefixes, false)
	if !bytes.Equal(data[:100], synthBytes(t, s.Prefixes, false)[:100]) {
		t.Fatal("generator is not deterministic")
	}
	if n := countRoutes(t, data); n != s.Routes() {
		t.Fatalf("read %d routes, want %d", n, s.Routes())
	}
	var out bytes.Buffer
	st, err := Dump(&out, bytes.NewReader(data))
	if err != nil || st.Malformed != 0 {
		t.Fatalf("dump: %v %v", err, st.Errors)
	}
	if lines := bytes.Count(out.Bytes(), []byte("\n")); lines != s.Routes() {
		t.Fatalf("dump printed %d lines, want %d", lines, s.Routes())
	}
}

func benchRoutes(b *testing.B, gz bool) {
	const prefixes = 100000
	data := synthBytes(b, prefixes, gz)
	routes := 0
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		routes += countRoutes(b, data)
	}
	reportRate(b, routes, processCPU()-cpu)
}

// reportRate reports routes per wall-clock second and, because shared machines distort wall
// time, routes per CPU-second of the whole process (all goroutines, GC included).
func reportRate(b *testing.B, routes int, cpu time.Duration) {
	b.ReportMetric(float64(routes)/b.Elapsed().Seconds(), "routes/s")
	if cpu > 0 {
		b.ReportMetric(float64(routes)/cpu.Seconds(), "routes/cpu-s")
	}
}

// BenchmarkRouteReaderRIB reads a synthetic full-table-like RIB (1M routes per iteration).
func BenchmarkRouteReaderRIB(b *testing.B) { benchRoutes(b, false) }

// BenchmarkRouteReaderRIBGzip reads the same RIB gzip-compressed.
func BenchmarkRouteReaderRIBGzip(b *testing.B) { benchRoutes(b, true) }

// BenchmarkDumpRIB formats the synthetic RIB as bgpdump -m text.
func BenchmarkDumpRIB(b *testing.B) {
	data := synthBytes(b, 100000, false)
	routes := 0
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		st, err := Dump(io.Discard, bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		routes += (st.Records - 1) * 10
	}
	reportRate(b, routes, processCPU()-cpu)
}

// BenchmarkTextReader parses bgpdump -m text of the synthetic RIB.
func BenchmarkTextReader(b *testing.B) {
	var text bytes.Buffer
	if _, err := Dump(&text, bytes.NewReader(synthBytes(b, 20000, false))); err != nil {
		b.Fatal(err)
	}
	routes := 0
	b.SetBytes(int64(text.Len()))
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		tr := NewTextReader(bytes.NewReader(text.Bytes()))
		for {
			_, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			routes++
		}
	}
	reportRate(b, routes, processCPU()-cpu)
}
