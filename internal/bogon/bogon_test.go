package bogon

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		in       string
		min, max int
		str      string
		err      string
	}{
		{in: "10.0.0.0/8", min: 8, max: 8, str: "10.0.0.0/8"},
		{in: "10.0.0.0/8^+", min: 8, max: 32, str: "10.0.0.0/8^+"},
		{in: " 2001::/32^- ", min: 33, max: 128, str: "2001::/32^-"},
		{in: "2001:db8::/32^48", min: 48, max: 48, str: "2001:db8::/32^48"},
		{in: "2001:0A00::/23^16-48", min: 23, max: 48, str: "2001:a00::/23^23-48"},
		{in: "0000::/8^+", min: 8, max: 128, str: "::/8^+"},
		{in: "192.0.2.0/24^24-24", min: 24, max: 24, str: "192.0.2.0/24"},
		{in: "10.0.0.1/8", err: "host bits set"},
		{in: "10.0.0.0/33", err: "bad prefix"},
		{in: "10.0.0.0/8^33", err: "not in 0..32"},
		{in: "10.0.0.0/8^7", err: "empty"},
		{in: "10.0.0.0/8^20-10", err: "empty"},
		{in: "10.0.0.0/32^-", err: "empty"},
		{in: "10.0.0.0/8^x", err: "not in 0..32"},
		{in: "10.0.0.0/8^+1", err: "not in 0..32"},
		{in: "10.0.0.0/8^", err: "not in 0..32"},
		{in: "10.0.0.0/8^-5", err: "not in 0..32"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseRange(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want …%s…", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Min != tt.min || r.Max != tt.max || r.String() != tt.str {
				t.Errorf("got %d..%d %q, want %d..%d %q", r.Min, r.Max, r.String(), tt.min, tt.max, tt.str)
			}
		})
	}
}

func TestDefaultPrefixes(t *testing.T) {
	tests := []struct {
		prefix string
		bogon  bool
		reason string
	}{
		{"10.1.0.0/16", true, "Private-Use [RFC1918]"},
		{"10.0.0.0/8", true, "RFC1918"},
		{"100.64.0.0/10", true, "RFC6598"},
		{"100.128.0.0/10", false, ""},
		{"192.0.2.0/24", true, "TEST-NET-1"},
		{"192.0.0.0/24", true, "IETF Protocol Assignments"},
		{"192.0.0.9/32", false, ""}, // PCP anycast, globally reachable
		{"192.0.0.8/32", true, "IETF Protocol Assignments"},
		{"192.88.99.0/24", true, "RFC7526"},
		{"198.18.0.0/16", true, "Benchmarking"},
		{"224.0.0.0/24", true, "Multicast"},
		{"255.255.255.255/32", true, "Limited Broadcast"},
		{"192.175.48.0/24", false, ""}, // AS112
		{"193.0.0.0/21", false, ""},
		{"0.0.0.0/0", false, ""}, // covers bogons, is not one
		{"1.1.1.1/24", false, ""},
		{"::/0", false, ""},
		{"::1/128", true, "::/8^+"},
		{"64:ff9b::/96", true, "::/8^+"},
		{"100::/64", true, "Discard-Only"},
		{"2001::/32", false, ""}, // Teredo relay announcement
		{"2001::/48", true, "TEREDO"},
		{"2001:5::/32", true, "IETF Protocol Assignments"},
		{"2001:2::/48", true, "Benchmarking"},
		{"2001:3::/32", false, ""},
		{"2001:4:112::/48", false, ""},
		{"2001:10::/28", true, "ORCHID"},
		{"2001:20::/28", false, ""},
		{"2001:db8:1234::/48", true, "2001:db8::/32^+: Documentation [RFC3849]"},
		{"2001:67c:2e8::/48", false, ""},
		{"2002:c000:0204::/48", true, "6to4"},
		{"3ffe:1::/32", true, "6bone"},
		{"3fff:1::/32", true, "RFC9637"},
		{"3000::/4", false, ""}, // unallocated global unicast: a full bogon, not a martian
		{"5f00:1::/32", true, "SRv6"},
		{"4000::/3", true, "Reserved by IETF"},
		{"fc00::/7", true, "Unique-Local"},
		{"fd00:1::/48", true, "Unique-Local"},
		{"fe80::/64", true, "Link-Local"},
		{"fec0::/10", true, "site-local"},
		{"ff02::/16", true, "Multicast"},
		{"::ffff:10.0.0.0/104", true, "::/8^+"},
	}
	s := Default()
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			reason, ok := s.IsBogonPrefix(netip.MustParsePrefix(tt.prefix))
			if ok != tt.bogon || !strings.Contains(reason, tt.reason) {
				t.Errorf("IsBogonPrefix = %q, %v; want %v with …%s…", reason, ok, tt.bogon, tt.reason)
			}
		})
	}
	if _, ok := s.IsBogonPrefix(netip.Prefix{}); ok {
		t.Error("zero prefix reported as bogon")
	}
}

func TestDefaultASNs(t *testing.T) {
	tests := []struct {
		asn    uint32
		bogon  bool
		reason string
	}{
		{0, true, "AS0: reserved"},
		{112, false, ""},
		{3333, false, ""},
		{23456, true, "AS_TRANS"},
		{64495, false, ""},
		{64496, true, "documentation"},
		{64511, true, "AS64496-AS64511"},
		{64512, true, "private use"},
		{65534, true, "private use"},
		{65535, true, "last 16-bit"},
		{65536, true, "documentation"},
		{65551, true, "documentation"},
		{65552, true, "reserved by IANA"},
		{131071, true, "reserved by IANA"},
		{131072, false, ""},
		{4199999999, false, ""},
		{4200000000, true, "private use"},
		{4294967294, true, "private use"},
		{4294967295, true, "last 32-bit"},
	}
	s := Default()
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.asn), func(t *testing.T) {
			reason, ok := s.IsBogonASN(tt.asn)
			if ok != tt.bogon || !strings.Contains(reason, tt.reason) {
				t.Errorf("IsBogonASN = %q, %v; want %v with …%s…", reason, ok, tt.bogon, tt.reason)
			}
		})
	}
	if got := len(ASNRanges()); got != 9 {
		t.Errorf("ASNRanges has %d entries", got)
	}
}

// TestDefaultCoversMartianList checks the built-in data against Job Snijders' real martian
// filter: every prefix it rejects, at both ends of each range, is a bogon for Default too.
func TestDefaultCoversMartianList(t *testing.T) {
	list := readListFile(t, "fltr-martian-v6.list")
	if list.Len() != 11 {
		t.Fatalf("martian list has %d ranges, want 11", list.Len())
	}
	for _, ranges := range list.byPrefix {
		for _, r := range ranges {
			for _, bits := range []int{r.Min, r.Max} {
				p, _ := r.Prefix.Addr().Prefix(bits)
				if _, ok := Default().IsBogonPrefix(p); !ok {
					t.Errorf("%s (from %s) is not a bogon in Default", p, r)
				}
			}
		}
	}
}

func BenchmarkIsBogonPrefix(b *testing.B) {
	s := Default()
	prefixes := []netip.Prefix{
		netip.MustParsePrefix("193.0.0.0/21"),
		netip.MustParsePrefix("10.1.2.0/24"),
		netip.MustParsePrefix("2001:67c:2e8::/48"),
		netip.MustParsePrefix("2001:db8::/48"),
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range prefixes {
			s.IsBogonPrefix(p)
		}
	}
}
