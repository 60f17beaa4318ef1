package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mrtTestdata = "../../internal/mrt/testdata"

func TestRunMRT(t *testing.T) {
	good := filepath.Join(mrtTestdata, "mrtparse", "quagga_rib")
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.mrt")
	if err := os.WriteFile(cut, raw[:len(raw)-7], 0o644); err != nil {
		t.Fatal(err)
	}
	want := mrtGunzip(t, good+".bgp.gz")
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // exact stdout when not empty
		stdoutPart string // stdout prefix when not empty
		stderrHas  []string
	}{
		{name: "no args", args: nil, code: 2, stderrHas: []string{"usage"}},
		{name: "no file", args: []string{"dump"}, code: 2, stderrHas: []string{"usage"}},
		{name: "bad verb", args: []string{"show", good}, code: 2, stderrHas: []string{"usage"}},
		{name: "ok", args: []string{"dump", good}, code: 0, stdout: want},
		{name: "two files", args: []string{"dump", good, good}, code: 0, stdout: want + want},
		{name: "missing", args: []string{"dump", filepath.Join(t.TempDir(), "nope")}, code: 1, stderrHas: []string{"nope"}},
		{name: "truncated", args: []string{"dump", cut}, code: 1, stdoutPart: strings.SplitAfter(want, "\n")[0],
			stderrHas: []string{"cut.mrt", "byte offset", "cut short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runMRT(tt.args, &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if tt.stdout != "" && out.String() != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), tt.stdout)
			}
			if tt.stdoutPart != "" && !strings.HasPrefix(out.String(), tt.stdoutPart) {
				t.Errorf("stdout %q does not start with %q", out.String(), tt.stdoutPart)
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(errb.String(), s) {
					t.Errorf("stderr %q lacks %q", errb.String(), s)
				}
			}
			if tt.code == 0 && errb.Len() != 0 {
				t.Errorf("unexpected stderr: %s", errb.String())
			}
		})
	}
}

func TestRunMRTMalformedSummary(t *testing.T) {
	// A BGP4MP MESSAGE_AS4 record whose UPDATE has an attribute overrunning the message.
	rec := []byte{
		0, 0, 0, 1, 0, 16, 0, 4, 0, 0, 0, 46, // header: BGP4MP / MESSAGE_AS4, length 46
		0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, // peer AS, local AS, ifindex, AFI 1
		10, 0, 0, 1, 10, 0, 0, 2, // peer IP, local IP
		255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
		0, 26, 2, // length 26, UPDATE
		0, 0, 0, 3, // no withdrawals, 3 bytes of attributes
		0x40, 1, 9, // ORIGIN claiming 9 bytes
	}
	path := filepath.Join(t.TempDir(), "bad.mrt")
	if err := os.WriteFile(path, rec, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runMRT([]string{"dump", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, errb.String())
	}
	for _, s := range []string{"bad.mrt", "skipped 1 malformed", "byte offset 0"} {
		if !strings.Contains(errb.String(), s) {
			t.Errorf("stderr %q lacks %q", errb.String(), s)
		}
	}
	if out.Len() != 0 {
		t.Errorf("stdout %q, want nothing", out.String())
	}
}

func mrtGunzip(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
