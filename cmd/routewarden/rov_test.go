package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const rovTestVRPs = `{"roas": [
	{"asn": "AS64500", "prefix": "192.0.2.0/24", "maxLength": 25, "ta": "test"},
	{"asn": 64501, "prefix": "198.51.100.0/22", "maxLength": 22, "ta": "test"},
	{"asn": "AS0", "prefix": "203.0.113.0/24", "maxLength": 32, "ta": "test"},
	{"asn": "AS4200000000", "prefix": "2001:db8::/32", "maxLength": 48, "ta": "test"}
]}`

const rovTestRoutes = `# test routes
192.0.2.0/24 AS64500
192.0.2.0/26 64500
192.0.2.0/24 AS64999
198.51.100.0/24 64501   # too specific
203.0.113.0/24 AS64500
2001:db8:1::/48 AS4200000000
2001:db8::/31 AS4200000000
10.0.0.0/8 AS64500

192.0.2.0/24 {64500,64501}
`

const rovTestText = `192.0.2.0/24 AS64500 valid
192.0.2.0/26 AS64500 invalid
192.0.2.0/24 AS64999 invalid
198.51.100.0/24 AS64501 invalid
203.0.113.0/24 AS64500 invalid
2001:db8:1::/48 AS4200000000 valid
2001:db8::/31 AS4200000000 not-found
10.0.0.0/8 AS64500 not-found
192.0.2.0/24 NONE invalid
`

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestROV(t *testing.T) {
	vrps := writeTemp(t, "vrps.json", rovTestVRPs)
	routes := writeTemp(t, "routes.txt", rovTestRoutes)
	badVRPs := writeTemp(t, "bad.json", `{"roas": [{"asn": 1, "prefix": "192.0.2.0/24", "maxLength": 20}]}`)
	badRoutes := writeTemp(t, "bad.txt", "192.0.2.0/24 AS1\n192.0.2.0/33 AS1\n")
	slurm := writeTemp(t, "local.slurm", `{"slurmVersion": 1,
		"validationOutputFilters": {"prefixFilters": [{"asn": 64500}], "bgpsecFilters": []},
		"locallyAddedAssertions": {"prefixAssertions": [{"asn": 64999, "prefix": "192.0.2.0/24"}], "bgpsecAssertions": []}}`)
	badSLURM := writeTemp(t, "bad.slurm", `{"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{}]}, "locallyAddedAssertions": {}}`)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		stdout   string
		errMatch string
	}{
		{"text", []string{"--vrps", vrps, "--routes", routes}, "", 0, rovTestText, ""},
		{"explicit text", []string{"--vrps", vrps, "--routes", routes, "--format", "text"}, "", 0, rovTestText, ""},
		{"stdin", []string{"--vrps", vrps, "--routes", "-"}, "192.0.2.0/25 AS64500\n", 0, "192.0.2.0/25 AS64500 valid\n", ""},
		{"slurm", []string{"--vrps", vrps, "--routes", routes, "--slurm", slurm}, "", 0, strings.Replace(strings.Replace(rovTestText,
			"192.0.2.0/24 AS64500 valid", "192.0.2.0/24 AS64500 invalid", 1), "192.0.2.0/24 AS64999 invalid", "192.0.2.0/24 AS64999 valid", 1), ""},
		{"bad slurm", []string{"--vrps", vrps, "--routes", routes, "--slurm", badSLURM}, "", 1, "", "bad.slurm: byte 66 (line 1): prefix filter without prefix or asn"},
		{"missing flag", []string{"--vrps", vrps}, "", 2, "", "required"},
		{"bad format", []string{"--vrps", vrps, "--routes", routes, "--format", "xml"}, "", 2, "", "unknown format"},
		{"extra arg", []string{"--vrps", vrps, "--routes", routes, "x"}, "", 2, "", "unexpected argument"},
		{"unknown flag", []string{"--nope"}, "", 2, "", "not defined"},
		{"missing file", []string{"--vrps", vrps + ".none", "--routes", routes}, "", 1, "", "no such file"},
		{"bad vrps", []string{"--vrps", badVRPs, "--routes", routes}, "", 1, "", "bad.json: byte 10 (line 1): max length 20 below prefix length"},
		{"bad routes", []string{"--vrps", vrps, "--routes", badRoutes}, "", 1, "", "bad.txt:2: bad prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runROV(tt.args, strings.NewReader(tt.stdin), &out, &errOut)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errOut.String())
			}
			if tt.code == 0 && out.String() != tt.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), tt.stdout)
			}
			if !strings.Contains(errOut.String(), tt.errMatch) {
				t.Errorf("stderr %q does not mention %q", errOut.String(), tt.errMatch)
			}
		})
	}
}

func TestROVJSON(t *testing.T) {
	vrps := writeTemp(t, "vrps.json", rovTestVRPs)
	routes := writeTemp(t, "routes.txt", rovTestRoutes)
	var out, errOut bytes.Buffer
	if code := runROV([]string{"--vrps", vrps, "--routes", routes, "--format", "json"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var doc struct {
		ValidatedRoutes []struct {
			Route struct {
				OriginASN string `json:"origin_asn"`
				Prefix    string `json:"prefix"`
			} `json:"route"`
			Validity struct {
				State       string `json:"state"`
				Reason      string `json:"reason"`
				Description string `json:"description"`
				VRPs        struct {
					Matched         []map[string]string `json:"matched"`
					UnmatchedAS     []map[string]string `json:"unmatched_as"`
					UnmatchedLength []map[string]string `json:"unmatched_length"`
				} `json:"VRPs"`
			} `json:"validity"`
		} `json:"validated_routes"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if len(doc.ValidatedRoutes) != 9 {
		t.Fatalf("%d routes, want 9", len(doc.ValidatedRoutes))
	}
	wantText := strings.Split(strings.TrimSpace(rovTestText), "\n")
	for i, vr := range doc.ValidatedRoutes {
		got := vr.Route.Prefix + " " + vr.Route.OriginASN + " " + vr.Validity.State
		if got != wantText[i] {
			t.Errorf("route %d: %q, want %q", i, got, wantText[i])
		}
	}
	second := doc.ValidatedRoutes[1].Validity // 192.0.2.0/26 from AS64500, VRP max 25
	if second.Reason != "length" || len(second.VRPs.UnmatchedLength) != 1 || second.VRPs.UnmatchedLength[0]["max_length"] != "25" {
		t.Errorf("too-specific route: %+v", second)
	}
	third := doc.ValidatedRoutes[2].Validity
	if third.Reason != "as" || third.VRPs.UnmatchedAS[0]["asn"] != "AS64500" ||
		third.Description != "At least one VRP Covers the Route Prefix, but no VRP ASN matches the route origin ASN" {
		t.Errorf("wrong-origin route: %+v", third)
	}
	if first := doc.ValidatedRoutes[0].Validity; first.Reason != "" || len(first.VRPs.Matched) != 1 {
		t.Errorf("valid route: %+v", first)
	}
}

// TestROVProcess lets .ci/bench-rov time runROV as a whole process before main.go wires it:
// with ROUTEWARDEN_ROV_ARGS set (arguments separated by spaces) it runs runROV with stdout to
// ROUTEWARDEN_ROV_OUT. Skipped otherwise.
func TestROVProcess(t *testing.T) {
	args := os.Getenv("ROUTEWARDEN_ROV_ARGS")
	if args == "" {
		t.Skip("ROUTEWARDEN_ROV_ARGS not set")
	}
	out, err := os.Create(os.Getenv("ROUTEWARDEN_ROV_OUT"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if code := runROV(strings.Fields(args), os.Stdin, out, os.Stderr); code != 0 {
		t.Fatalf("rov exited %d", code)
	}
}
