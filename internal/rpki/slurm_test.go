package rpki

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func readSLURMFile(t *testing.T, path string) *SLURM {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sl, err := ReadSLURM(path, f)
	if err != nil {
		t.Fatal(err)
	}
	return sl
}

func TestSLURMRealFiles(t *testing.T) {
	v1 := readSLURMFile(t, "testdata/cmd_stayrtr_test.slurm.json")
	if v1.Version != 1 || len(v1.PrefixFilters) != 1 || len(v1.PrefixAssertions) != 1 {
		t.Fatalf("v1: %+v", v1)
	}
	set := &Set{VRPs: []VRP{vrp("10.0.0.0/24", 24, 65000), vrp("10.0.0.0/24", 24, 65001), vrp("10.1.0.0/24", 24, 65000)}}
	v1.Apply(set)
	got := vrpKeys(set)
	want := []string{"10.0.0.0/24-24 AS65001", "10.1.0.0/24-24 AS65000", "10.2.0.0/25-26 AS65002"}
	if !slices.Equal(got, want) {
		t.Errorf("after v1: %v, want %v", got, want)
	}

	v2 := readSLURMFile(t, "testdata/prefixfile_slurm.json")
	set = &Set{VRPs: []VRP{
		vrp("192.0.2.0/24", 24, 1), vrp("192.0.2.128/25", 25, 2), // inside the 192.0.2.0/24 filter
		vrp("192.0.0.0/16", 24, 3),                                           // less specific: kept
		vrp("203.0.113.0/24", 24, 64496),                                     // ASN filter
		vrp("198.51.100.0/24", 24, 64497), vrp("198.51.100.0/24", 24, 64498), // prefix+ASN filter
	}}
	v2.Apply(set)
	got = vrpKeys(set)
	want = []string{"192.0.0.0/16-24 AS3", "198.51.100.0/24-24 AS64496", "198.51.100.0/24-24 AS64498", "2001:db8::/32-48 AS64496"}
	if !slices.Equal(got, want) {
		t.Errorf("after v2: %v, want %v", got, want)
	}
}

func TestSLURMASPA(t *testing.T) {
	in := `{"slurmVersion": 2,
	  "validationOutputFilters": {"prefixFilters": [], "bgpsecFilters": [], "aspaFilters": [{"customerAsid": 64496, "comment": "drop"}]},
	  "locallyAddedAssertions": {"prefixAssertions": [], "bgpsecAssertions": [],
	    "aspaAssertions": [{"customerAsid": 64500, "providerSet": [64501, 64502]}, {"customerAsid": 15562, "providers": [{"providerAsid": 3356, "afiLimit": "IPv4"}]}]}}`
	sl, err := ReadSLURM("a.slurm", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	set := &Set{ASPAs: []ASPA{{Customer: 64496, Providers: []uint32{1}}, {Customer: 15562, Providers: []uint32{2914}}}}
	sl.Apply(set)
	idx := NewASPAIndex(set.ASPAs)
	if _, ok := idx[64496]; ok {
		t.Error("ASPA of AS64496 not filtered")
	}
	if !slices.Equal(idx[64500], []uint32{64501, 64502}) || !slices.Equal(idx[15562], []uint32{2914, 3356}) {
		t.Errorf("assertions not applied: %v", idx)
	}
}

func TestSLURMMalformed(t *testing.T) {
	base := `"validationOutputFilters": {"prefixFilters": [], "bgpsecFilters": []}, "locallyAddedAssertions": {"prefixAssertions": [], "bgpsecAssertions": []}`
	tests := []struct{ name, in, want string }{
		{"version", `{"slurmVersion": 3, ` + base + `}`, "byte 1 (line 1): unsupported slurmVersion 3"},
		{"missing member", `{"slurmVersion": 1}`, `SLURM member "validationOutputFilters" missing`},
		{"unknown member", `{"slurmVersion": 1, "extra": 1, ` + base + `}`, `byte 20 (line 1): unknown SLURM member "extra"`},
		{"empty filter", `{"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"comment": "x"}]}, "locallyAddedAssertions": {}}`, "prefix filter without prefix or asn"},
		{"bad assertion", `{"slurmVersion": 1, "validationOutputFilters": {}, "locallyAddedAssertions": {"prefixAssertions": [{"asn": 1, "prefix": "10.0.0.0/8", "maxPrefixLength": 7}]}}`, "max length 7 below prefix length"},
		{"bad prefix", `{"slurmVersion": 1, "validationOutputFilters": {"prefixFilters": [{"prefix": "10.0.0.0/40"}]}, "locallyAddedAssertions": {}}`, `bad prefix "10.0.0.0/40"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadSLURM("s.json", strings.NewReader(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want *ParseError containing %q", err, tt.want)
			}
		})
	}
}

func FuzzReadSLURM(f *testing.F) {
	for _, p := range []string{"testdata/cmd_stayrtr_test.slurm.json", "testdata/prefixfile_slurm.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sl, err := ReadSLURM("fuzz", strings.NewReader(string(b)))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		set := &Set{VRPs: []VRP{vrp("192.0.2.0/24", 24, 64496)}}
		sl.Apply(set)
	})
}
