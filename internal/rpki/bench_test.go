package rpki

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var benchData struct {
	once         sync.Once
	vrps, routes []byte
	set          *Set
	table        *Table
	parsed       []Route
	csv          []byte
}

// benchInput synthesises 200,000 VRPs and 300,000 routes once per test binary.
func benchInput(b *testing.B) *Set {
	b.Helper()
	benchData.once.Do(func() {
		var v, r bytes.Buffer
		if _, err := Synthesize(SynthConfig{Seed: 1, VRPs: 200000, Routes: 300000}, &v, &r); err != nil {
			panic(err)
		}
		benchData.vrps, benchData.routes = v.Bytes(), r.Bytes()
		set, err := ReadVRPs("bench", bytes.NewReader(v.Bytes()))
		if err != nil {
			panic(err)
		}
		benchData.set = set
		benchData.table = NewTable(set)
		if benchData.parsed, err = ParseRoutes("bench", r.Bytes()); err != nil {
			panic(err)
		}
		var c bytes.Buffer
		c.WriteString("ASN,IP Prefix,Max Length,Trust Anchor\n")
		for _, x := range set.VRPs {
			c.WriteString("AS" + itoa(x.ASN) + "," + x.Prefix.String() + "," + itoa(uint32(x.MaxLength)) + "," + x.TA + "\n")
		}
		benchData.csv = c.Bytes()
	})
	return benchData.set
}

func itoa(n uint32) string { return string(appendUint(nil, n)) }

func appendUint(b []byte, n uint32) []byte {
	var tmp [10]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

func BenchmarkReadVRPsJSON(b *testing.B) {
	benchInput(b)
	b.SetBytes(int64(len(benchData.vrps)))
	for b.Loop() {
		if _, err := ReadVRPs("bench", bytes.NewReader(benchData.vrps)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadVRPsCSV(b *testing.B) {
	benchInput(b)
	b.SetBytes(int64(len(benchData.csv)))
	for b.Loop() {
		if _, err := ReadVRPs("bench", bytes.NewReader(benchData.csv)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewTable(b *testing.B) {
	set := benchInput(b)
	for b.Loop() {
		NewTable(set)
	}
}

func BenchmarkParseRoutes(b *testing.B) {
	benchInput(b)
	b.SetBytes(int64(len(benchData.routes)))
	for b.Loop() {
		if _, err := ParseRoutes("bench", benchData.routes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate measures one route at a time on one goroutine (ns/op per route).
func BenchmarkValidate(b *testing.B) {
	benchInput(b)
	t, routes := benchData.table, benchData.parsed
	i := 0
	for b.Loop() {
		r := &routes[i]
		t.Validate(r.Prefix, r.Origin, r.OriginKnown)
		if i++; i == len(routes) {
			i = 0
		}
	}
}

func BenchmarkValidateDetail(b *testing.B) {
	benchInput(b)
	t, routes := benchData.table, benchData.parsed
	i := 0
	for b.Loop() {
		r := &routes[i]
		t.ValidateDetail(r.Prefix, r.Origin, r.OriginKnown)
		if i++; i == len(routes) {
			i = 0
		}
	}
}

func BenchmarkWriteText(b *testing.B) {
	benchInput(b)
	states := benchData.table.ValidateAll(benchData.parsed)
	for b.Loop() {
		if err := WriteText(io.Discard, benchData.parsed, states); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkASPAVerify(b *testing.B) {
	x := aspaIdx(map[uint32][]uint32{1: {2}, 2: {3}, 3: {4, 5}, 6: {5}, 7: {0}})
	paths := [][]uint32{{6, 5, 4, 3, 2, 1}, {7, 6, 5, 3, 3, 3, 2, 1}, {9, 8, 1}}
	i := 0
	for b.Loop() {
		x.VerifySequence(paths[i%len(paths)], Direction(i&1))
		i++
	}
}

// BenchmarkPipeline runs what `rov` does: read the VRPs and the routes at the same time, index,
// validate, format. With ROUTEWARDEN_BENCH_DATA naming a directory made by .ci/bench-rov (or
// TestGenerateBenchData) it uses the full-size vrps.json and routes.txt there.
func BenchmarkPipeline(b *testing.B) {
	vrps, routes := func() ([]byte, []byte) { benchInput(b); return benchData.vrps, benchData.routes }()
	if dir := os.Getenv("ROUTEWARDEN_BENCH_DATA"); dir != "" {
		var err error
		if vrps, err = os.ReadFile(filepath.Join(dir, "vrps.json")); err != nil {
			b.Fatal(err)
		}
		if routes, err = os.ReadFile(filepath.Join(dir, "routes.txt")); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		var (
			wg  sync.WaitGroup
			tab *Table
		)
		wg.Go(func() {
			set, err := ReadVRPs("bench", bytes.NewReader(vrps))
			if err != nil {
				panic(err)
			}
			tab = NewTable(set)
		})
		rs, err := ParseRoutes("bench", routes)
		if err != nil {
			b.Fatal(err)
		}
		wg.Wait()
		if err := WriteText(io.Discard, rs, tab.ValidateAll(rs)); err != nil {
			b.Fatal(err)
		}
	}
}
