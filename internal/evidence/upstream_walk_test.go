package evidence

import (
	"testing"

	rw "routewarden/internal/routewarden"
)

func TestTransparentASN(t *testing.T) {
	for asn, want := range map[uint32]bool{0: true, 23456: true, 64511: false, 64512: true, 65534: true, 65535: true, 65536: false, 4199999999: false, 4200000000: true, 3356: false} {
		if TransparentASN(asn) != want {
			t.Errorf("TransparentASN(%d) = %v", asn, !want)
		}
	}
}

// The upstream.concentration check reads a vendor ASN's upstreams as the concentration report
// does: past the vendor's own networks (whose upstreams are its upstreams), private ASNs and IXP
// route servers. Before, a second ASN reached only through the first counted 0 upstreams, and
// the assessment pre-filled "0 upstream providers" that the report then flagged as the vendor's
// declaration contradicting the 2 it observed. (Graded here by the engine defaults: pass at 2
// upstreams, warn at 1.)
func TestUpstreamsPastOwnNetworks(t *testing.T) {
	const rel = `# source:topology|BGP|20230801|ripe|rrc00
# IXP ASes: 6695
1299|3333|-1
174|3333|-1
3333|3334|-1
3333|6939|0
6939|3334|0
2914|3335|-1
3335|8075|-1
`
	d := dataset(t, map[string]string{
		"asrel": rel,
		"routes": rib(
			"193.0.62.0/24|1299 3333", "193.0.63.0/24|174 3333",
			// 3334 is reached through 3333 (its own sibling, also a CAIDA provider of it) only.
			"193.0.64.0/24|1299 3333 3334", "193.0.65.0/24|174 3333 3333 3334",
			// 3335: behind a private ASN and a prepend, then 2914 (its provider).
			"193.0.66.0/24|2914 64512 3335 3335",
			// 3336: only over the route server 6695 to the peer 6939 (no relation with 3336
			// known, so unknown rather than an upstream), then through its sibling 3334.
			"193.0.67.0/24|6939 6695 3336",
			// 3337: only an AS_SET path and a path straight to the collector.
			"193.0.68.0/24|1299 {3333,3334} 3337", "193.0.69.0/24|3337",
		),
	})
	own := []uint32{3333, 3334}
	cases := []struct {
		name string
		t    Target
		w    want
	}{
		{"first ASN", Target{ASN: 3333, Siblings: []uint32{3334}}, want{"upstream.concentration", rw.StatusPass, "2", []string{"AS174, AS1299"}}},
		{"second ASN through the first", Target{ASN: 3334, Siblings: []uint32{3333}}, want{"upstream.concentration", rw.StatusPass, "2", []string{"AS174, AS1299", "own network(s) AS3333"}}},
		// Without knowing 3333 is its own, 3334 sees its provider 3333 (CAIDA: 3333 provides 3334).
		{"second ASN alone", Target{ASN: 3334}, want{"upstream.concentration", rw.StatusWarn, "1", []string{"AS3333"}}},
		{"private ASN and prepending passed over", Target{ASN: 3335}, want{"upstream.concentration", rw.StatusWarn, "1", []string{"AS2914"}}},
		{"route server passed over", Target{ASN: 3336, Siblings: own}, want{"upstream.concentration", rw.StatusUnknown, "nil", []string{"AS6939", "unknown relationship"}}},
		{"AS_SET and direct paths show nothing", Target{ASN: 3337}, want{"upstream.concentration", rw.StatusUnknown, "nil", []string{"2 route(s)", "1 reach the collectors straight", "1 carry an AS_SET"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { expect(t, d, c.t, []want{c.w}) })
	}
}
