package rpki

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestGenerateBenchData writes the synthetic benchmark data when ROUTEWARDEN_BENCH_OUT names a
// directory (used by .ci/bench-rov); otherwise it is skipped. ROUTEWARDEN_BENCH_VRPS and
// ROUTEWARDEN_BENCH_ROUTES override the sizes (700000 and 1000000).
func TestGenerateBenchData(t *testing.T) {
	dir := os.Getenv("ROUTEWARDEN_BENCH_OUT")
	if dir == "" {
		t.Skip("ROUTEWARDEN_BENCH_OUT not set")
	}
	cfg := SynthConfig{Seed: 1, VRPs: envInt(t, "ROUTEWARDEN_BENCH_VRPS", 700000), Routes: envInt(t, "ROUTEWARDEN_BENCH_ROUTES", 1000000)}
	vf, err := os.Create(filepath.Join(dir, "vrps.json"))
	if err != nil {
		t.Fatal(err)
	}
	rf, err := os.Create(filepath.Join(dir, "routes.txt"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := Synthesize(cfg, vf, rf)
	if err != nil {
		t.Fatal(err)
	}
	if err := vf.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rf.Close(); err != nil {
		t.Fatal(err)
	}
	stats := fmt.Sprintf("%+v\n", st)
	if err := os.WriteFile(filepath.Join(dir, "gen-stats.txt"), []byte(stats), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log(stats)
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

func TestSynthesizeDeterministic(t *testing.T) {
	sum := func() ([32]byte, SynthStats) {
		var v, r bytes.Buffer
		st, err := Synthesize(SynthConfig{Seed: 7, VRPs: 3000, Routes: 10000}, &v, &r)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(append(v.Bytes(), r.Bytes()...)), st
	}
	a, st := sum()
	b, _ := sum()
	if a != b {
		t.Fatal("two runs with the same seed differ")
	}
	if st.Routes != 10000 || st.VRPs < 3000 || st.Valid == 0 || st.WrongOrigin == 0 || st.TooLong == 0 || st.UnderAS0 == 0 {
		t.Fatalf("unexpected stats %+v", st)
	}
}
