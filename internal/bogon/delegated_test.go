package bogon

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
)

func readDelegatedFile(t testing.TB, name string) *Delegated {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ReadDelegated(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReadDelegated(t *testing.T) {
	for _, name := range []string{"delegated-ripencc-extended-excerpt", "delegated-ripencc-extended-excerpt.gz"} {
		t.Run(name, func(t *testing.T) {
			d := readDelegatedFile(t, name)
			if len(d.Files) != 1 || d.Files[0].Registry != "ripencc" || d.Files[0].EndDate != "20241126" ||
				d.Files[0].Records != 12 {
				t.Errorf("Files = %+v", d.Files)
			}
			if dt, ok := d.DataTime(); !ok || dt.Format("2006-01-02") != "2024-11-26" {
				t.Errorf("DataTime = %v, %v", dt, ok)
			}
			want := map[string]int{"ipv4 allocated": 2, "ipv4 available": 2, "ipv4 reserved": 1,
				"ipv4 assigned": 1, "asn assigned": 1, "asn available": 1, "asn reserved": 1,
				"ipv6 assigned": 1, "ipv6 available": 1, "ipv6 reserved": 1}
			if fmt.Sprint(d.Records) != fmt.Sprint(want) {
				t.Errorf("Records = %v, want %v", d.Records, want)
			}
		})
	}
}

func TestIsUnallocatedPrefix(t *testing.T) {
	d := readDelegatedFile(t, "delegated-ripencc-extended-excerpt")
	tests := []struct {
		prefix string
		want   bool
		reason string
	}{
		{"2.56.168.0/22", true, "ripencc available block 2.56.168.0-2.56.171.255"},
		{"2.56.168.0/21", true, "ripencc available"}, // spans two adjacent records
		{"2.56.170.0/24", true, "2.56.168.0-2.56.171.255"},
		{"2.56.172.0/24", true, "2.56.172.0-2.56.175.255"},
		{"2.56.168.0/20", false, ""}, // reaches allocated space
		{"2.56.176.0/23", false, ""},
		{"185.0.2.0/24", true, "ripencc reserved block 185.0.0.0-185.0.2.255"},
		{"185.0.0.0/22", false, ""}, // 768 addresses: the /22 runs past the record
		{"193.0.0.0/21", false, ""},
		{"1.1.1.0/24", false, ""},
		{"2a10:1000::/20", true, "ripencc available"},
		{"2a10:2000::/19", true, "ripencc reserved"},
		{"2a10:1800::/21", true, "ripencc available"},
		{"2a10::/18", false, ""},
		{"2001:67c:2e8::/48", false, ""},
		{"::ffff:2.56.168.0/120", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			reason, ok := d.IsUnallocatedPrefix(netip.MustParsePrefix(tt.prefix))
			if ok != tt.want || !strings.Contains(reason, tt.reason) {
				t.Errorf("IsUnallocatedPrefix = %q, %v; want %v with …%s…", reason, ok, tt.want, tt.reason)
			}
		})
	}
}

func TestIsUnallocatedASN(t *testing.T) {
	d := readDelegatedFile(t, "delegated-ripencc-extended-excerpt")
	tests := []struct {
		asn    uint32
		want   bool
		reason string
	}{
		{210000, true, "ripencc available AS210000-AS210999"},
		{210999, true, "available"},
		{211000, false, ""},
		{200004, true, "reserved AS200000-AS200004"},
		{200005, false, ""},
		{3333, false, ""},
		{0, false, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.asn), func(t *testing.T) {
			reason, ok := d.IsUnallocatedASN(tt.asn)
			if ok != tt.want || !strings.Contains(reason, tt.reason) {
				t.Errorf("IsUnallocatedASN = %q, %v; want %v with …%s…", reason, ok, tt.want, tt.reason)
			}
		})
	}
}

func TestDelegatedMerge(t *testing.T) {
	d := readDelegatedFile(t, "delegated-ripencc-extended-excerpt")
	other, err := ReadDelegated(strings.NewReader("2|apnic|20241126|2|19830613|20241125|+1000\n"+
		"apnic|*|ipv4|*|2|summary\n"+
		"apnic||ipv4|2.56.160.0|2048||available|\n"+
		"apnic|AU|ipv4|1.1.1.0|256|20110811|assigned|A91872ED\n"), "apnic")
	if err != nil {
		t.Fatal(err)
	}
	d.Merge(other)
	if len(d.Files) != 2 {
		t.Errorf("Files = %+v", d.Files)
	}
	// 2.56.160.0/21 (apnic) + 2.56.168.0/21 (ripencc) now form a /20 of free space.
	reason, ok := d.IsUnallocatedPrefix(netip.MustParsePrefix("2.56.160.0/20"))
	if !ok || !strings.HasPrefix(reason, "apnic available") {
		t.Errorf("after Merge: %q, %v", reason, ok)
	}
}

func TestReadDelegatedErrors(t *testing.T) {
	const head = "2|test|1|1|19830705|20241126|+0100\n"
	tests := []struct {
		name, in string
		line     int
		reason   string
	}{
		{"no version", "", 0, "no version line"},
		{"short version", "2|test|1\n", 1, "version line has 3 fields"},
		{"bad version", "x|test|1|0|a|b|c\n", 1, "version \"x\""},
		{"bad count", "2|test|1|many|a|b|c\n", 1, "record count"},
		{"short record", head + "test|NL|ipv4|1.0.0.0|256\n", 2, "5 fields"},
		{"bad type", head + "test|NL|ipv5|1.0.0.0|256|20000101|allocated\n", 2, "type \"ipv5\""},
		{"bad status", head + "test|NL|ipv4|1.0.0.0|256|20000101|taken\n", 2, "status \"taken\""},
		{"bad v4", head + "test|NL|ipv4|1.0.0|256|20000101|allocated\n", 2, "not an IPv4 address"},
		{"v6 in v4", head + "test|NL|ipv4|2001::|256|20000101|allocated\n", 2, "not an IPv4 address"},
		{"zero count", head + "test|NL|ipv4|1.0.0.0|0|20000101|allocated\n", 2, "not a count"},
		{"past end", head + "test|NL|ipv4|255.255.255.0|512||available\n", 2, "runs past"},
		{"bad v6 len", head + "test|NL|ipv6|2001::|129||available\n", 2, "0..128"},
		{"v6 host bits", head + "test|NL|ipv6|2001:db8::1|32||available\n", 2, "host bits"},
		{"bad asn", head + "test|NL|asn|AS1|1||available\n", 2, "not a 32-bit number"},
		{"asn past end", head + "test|NL|asn|4294967295|2||available\n", 2, "runs past"},
		{"bad summary", head + "test|*|ipv4|*|x|summary\n", 2, "summary count"},
		{"summary mismatch", head + "test|*|ipv4|*|2|summary\ntest|NL|ipv4|1.0.0.0|256|20000101|allocated\n",
			3, "summary line declares 2 ipv4 records, the file holds 1"},
		{"cut short", "2|test|1|2|19830705|20241126|+0100\ntest|NL|ipv4|1.0.0.0|256|20000101|allocated\n",
			2, "declares 2 records, the file holds 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDelegated(strings.NewReader(tt.in), "delegated")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want *ParseError", err)
			}
			if pe.File != "delegated" || pe.Line != tt.line || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("err = %v, want delegated:%d: …%s…", pe, tt.line, tt.reason)
			}
		})
	}
}

func TestReadDelegatedCutShortFile(t *testing.T) {
	f, err := os.Open("testdata/delegated-cut-short")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ReadDelegated(f, "delegated-cut-short")
	if err == nil || !strings.Contains(err.Error(), "delegated-cut-short:12: version line declares 12 records, the file holds 7") {
		t.Fatalf("err = %v", err)
	}
}

func FuzzReadDelegated(f *testing.F) {
	b, err := os.ReadFile("testdata/delegated-ripencc-extended-excerpt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("2|t|1|1|a|b|c\nt||ipv6|2001:db8::|32||available|\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := ReadDelegated(strings.NewReader(string(in)), "fuzz")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			return
		}
		// Every unallocated block's first address, as a host prefix, must be found again.
		for _, b := range d.blocks {
			p := netip.PrefixFrom(b.First, b.First.BitLen())
			if _, ok := d.IsUnallocatedPrefix(p); !ok {
				t.Fatalf("block %+v not found for %s", b, p)
			}
		}
		for _, a := range d.asns {
			if _, ok := d.IsUnallocatedASN(a.Last); !ok {
				t.Fatalf("ASN block %+v not found", a)
			}
		}
	})
}

// BenchmarkReadDelegated reads a synthetic file of 100,000 IPv4 records (RIPE's has ~90,000).
func BenchmarkReadDelegated(b *testing.B) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "2|ripencc|1|100000|19830705|20241126|+0100\nripencc|*|ipv4|*|100000|summary\n")
	for i := 0; i < 100000; i++ {
		status := "allocated|x"
		if i%10 == 0 {
			status = "available|"
		}
		fmt.Fprintf(&sb, "ripencc|NL|ipv4|%d.%d.%d.0|256|20100101|%s\n", 2+i>>16, i>>8&255, i&255, status)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadDelegated(strings.NewReader(data), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIsUnallocatedPrefix(b *testing.B) {
	d := readDelegatedFile(b, "delegated-ripencc-extended-excerpt")
	p := netip.MustParsePrefix("2.56.170.0/24")
	for b.Loop() {
		if _, ok := d.IsUnallocatedPrefix(p); !ok {
			b.Fatal("want unallocated")
		}
	}
}

func TestIANAPoolOnceAllRIRsAreRead(t *testing.T) {
	d := readDelegatedFile(t, "delegated-ripencc-extended-excerpt")
	outside := netip.MustParsePrefix("3000::/16")
	if _, ok := d.IsUnallocatedPrefix(outside); ok {
		t.Fatal("IANA pool reported with only one RIR read")
	}
	for _, rir := range []string{"afrinic", "apnic", "arin", "lacnic"} {
		in := fmt.Sprintf("2|%s|1|2|19830705|20241126|+0000\n", rir)
		switch rir {
		case "arin":
			in += "arin|US|ipv6|2600::|12|20060908|allocated|x\narin|US|asn|701|1|19900803|assigned|y\n"
		default:
			in += fmt.Sprintf("%s|ZA|ipv4|41.%d.0.0|65536|20071005|allocated|x\n", rir, len(rir))
			in += fmt.Sprintf("%s|ZA|asn|%d|1|20071005|assigned|x\n", rir, 36000+len(rir))
		}
		other, err := ReadDelegated(strings.NewReader(in), rir)
		if err != nil {
			t.Fatal(err)
		}
		d.Merge(other)
	}
	if !d.Complete() {
		t.Fatal("Complete = false after five RIRs")
	}
	tests := []struct {
		prefix string
		want   bool
		reason string
	}{
		{"3000::/16", true, "IANA pool"},
		{"2600:1::/32", false, ""},          // ARIN allocation
		{"2000::/3", false, ""},             // overlaps delegated space
		{"2a10:1000::/20", true, "ripencc"}, // available record still wins
		{"41.7.0.0/16", false, ""},          // afrinic allocation (len("afrinic") = 7)
		{"41.5.0.0/16", false, ""},          // apnic allocation (len("apnic") = 5)
		{"41.8.0.0/16", true, "IANA pool"},
		{"203.0.113.0/24", true, "IANA pool"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			reason, ok := d.IsUnallocatedPrefix(netip.MustParsePrefix(tt.prefix))
			if ok != tt.want || !strings.Contains(reason, tt.reason) {
				t.Errorf("IsUnallocatedPrefix = %q, %v; want %v …%s…", reason, ok, tt.want, tt.reason)
			}
		})
	}
	if _, ok := d.IsUnallocatedASN(701); ok {
		t.Error("AS701 (ARIN) reported unallocated")
	}
	if reason, ok := d.IsUnallocatedASN(4000000000); !ok || !strings.Contains(reason, "IANA pool") {
		t.Errorf("AS4000000000 = %q, %v; want IANA pool", reason, ok)
	}
}

func TestHoldings(t *testing.T) {
	d, err := ReadDelegated(strings.NewReader(excerptForHoldings), "excerpt")
	if err != nil {
		t.Fatal(err)
	}
	id, ok := d.HolderOfASN(3333)
	if !ok || id != "54f48bbd-5b85-44e4-a3e2-c6b5d1c1e3b2" {
		t.Fatalf("holder of AS3333: %q %v", id, ok)
	}
	var got []string
	for _, h := range d.Holdings(id) {
		for _, p := range h.Prefixes() {
			got = append(got, p.String())
		}
	}
	if want := "193.0.0.0/21 2001:67c:2e8::/48 10.0.0.0/24 10.0.1.0/25"; strings.Join(got, " ") != want {
		t.Errorf("holdings %v, want %s", got, want)
	}
	if _, ok := d.HolderOfASN(210001); ok {
		t.Error("an available ASN has a holder")
	}
}

const excerptForHoldings = `2|ripencc|1732662000|6|19830705|20241126|+0100
ripencc|NL|ipv4|193.0.0.0|2048|19930901|assigned|54f48bbd-5b85-44e4-a3e2-c6b5d1c1e3b2
ripencc|NL|asn|3333|1|19930901|assigned|54f48bbd-5b85-44e4-a3e2-c6b5d1c1e3b2
ripencc||asn|210000|1000||available|
ripencc|NL|ipv6|2001:67c:2e8::|48|20030318|assigned|54f48bbd-5b85-44e4-a3e2-c6b5d1c1e3b2
ripencc|NL|ipv4|10.0.0.0|384|20030318|assigned|54f48bbd-5b85-44e4-a3e2-c6b5d1c1e3b2
ripencc|FR|ipv4|2.0.0.0|1048576|20100712|allocated|12a581c1-ea86-46af-9554-77e3b4ab3df5
`
