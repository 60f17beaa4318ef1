package irr

import (
	"net/netip"
	"strings"
	"testing"
)

// TestAbuseForPrefix: issue 12 item 13 — abuse contacts live on inetnum/inet6num objects too;
// the most specific covering object that names one wins, and ranges that are not one CIDR
// block are covered.
func TestAbuseForPrefix(t *testing.T) {
	const text = `inetnum:        193.0.0.0 - 193.0.7.255
netname:        RIPE-NCC
org:            ORG-RIEN1-RIPE
source:         RIPE

organisation:   ORG-RIEN1-RIPE
abuse-c:        OPS4-RIPE
source:         RIPE

role:           RIPE NCC Operations
nic-hdl:        OPS4-RIPE
abuse-mailbox:  abuse@ripe.net
source:         RIPE

inetnum:        193.0.10.0 - 193.0.12.255
netname:        ODD-RANGE
abuse-c:        ODD1-RIPE
source:         RIPE

inet6num:       2001:67c:2e8::/48
netname:        RIPE-NCC
abuse-c:        OPS4-RIPE
source:         RIPE

inetnum:        10.0.0.0 - 10.0.0.255
netname:        NO-CONTACT
source:         RIPE
`
	db, err := Read(strings.NewReader(text), "inetnum.db")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		prefix, handle, mailbox, key string
	}{
		{"193.0.0.0/21", "OPS4-RIPE", "abuse@ripe.net", "193.0.0.0 - 193.0.7.255"},
		{"193.0.6.0/24", "OPS4-RIPE", "abuse@ripe.net", "193.0.0.0 - 193.0.7.255"},
		{"193.0.12.0/24", "ODD1-RIPE", "", "193.0.10.0 - 193.0.12.255"},
		{"2001:67c:2e8:11::/64", "OPS4-RIPE", "abuse@ripe.net", "2001:67c:2e8::/48"},
		{"10.0.0.0/24", "", "", ""},
		{"193.0.0.0/16", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.prefix, func(t *testing.T) {
			h, m, obj, ok := db.AbuseForPrefix(netip.MustParsePrefix(tc.prefix))
			if ok != (tc.handle != "") || h != tc.handle || m != tc.mailbox || (ok && obj.Key != tc.key) {
				t.Errorf("got %q %q %+v %v; want %q %q %q", h, m, obj, ok, tc.handle, tc.mailbox, tc.key)
			}
		})
	}
}

// FuzzRangePrefixes: the CIDR blocks of an inetnum range are aligned, ascending, adjacent and
// cover exactly the range.
func FuzzRangePrefixes(f *testing.F) {
	f.Add([]byte{193, 0, 10, 0}, []byte{193, 0, 12, 255})
	f.Add([]byte{0, 0, 0, 0}, []byte{255, 255, 255, 255})
	f.Add([]byte{10, 0, 0, 1}, []byte{10, 0, 0, 1})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) != 4 || len(b) != 4 {
			return
		}
		first, last := netip.AddrFrom4([4]byte(a)), netip.AddrFrom4([4]byte(b))
		if first.Compare(last) > 0 {
			return
		}
		ps := rangePrefixes(first, last)
		if len(ps) == 0 || len(ps) > 62 || ps[0].Addr() != first || lastOf(ps[len(ps)-1]) != last {
			t.Fatalf("%s-%s: %v", first, last, ps)
		}
		for i, p := range ps {
			if p.Masked() != p {
				t.Fatalf("%s not aligned", p)
			}
			if i > 0 && lastOf(ps[i-1]).Next() != p.Addr() {
				t.Fatalf("gap or overlap before %s", p)
			}
		}
	})
}
