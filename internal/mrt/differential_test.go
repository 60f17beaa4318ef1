package mrt

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDifferentialBGPDump compares Dump with a locally installed bgpdump on many random
// record sets. It runs only with MRT_DIFF=1 and bgpdump in PATH (Debian package bgpdump 1.6.2).
func TestDifferentialBGPDump(t *testing.T) {
	if os.Getenv("MRT_DIFF") == "" {
		t.Skip("set MRT_DIFF=1 to compare with bgpdump")
	}
	if _, err := exec.LookPath("bgpdump"); err != nil {
		t.Skip("bgpdump not installed")
	}
	file := filepath.Join(t.TempDir(), "random.mrt")
	for seed := uint64(2); seed < 12; seed++ {
		data := randomMRT(seed, 4000)
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := exec.Command("bgpdump", "-m", file).Output()
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		st, err := Dump(&got, bytes.NewReader(data))
		if err != nil || st.Malformed != 0 {
			t.Fatalf("seed %d: %v %v", seed, err, st.Errors)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("seed %d:\n%s", seed, firstDiff(got.Bytes(), want))
		}
	}
}
