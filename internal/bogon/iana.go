package bogon

import (
	"sync"
)

// entry is one row of the built-in registries: an RPSL range, whether it is an exception
// (globally reachable space inside a bogon block), and the registry name with its RFC.
type entry struct {
	rng   string
	allow bool
	name  string
}

// ipv4Special is the IANA IPv4 Special-Purpose Address Registry (RFC 6890 and later RFCs;
// iana.org/assignments/iana-ipv4-special-registry) restricted to blocks that are not globally
// reachable, plus multicast (IANA IPv4 Multicast Address Space Registry, RFC 5771). It matches
// the NLNOG BGP filter guide's IPv4 bogon list quoted in routing-data.md A6, with 192.0.0.0/24
// added (IETF Protocol Assignments, RFC 6890). Globally reachable special blocks outside these
// (192.31.196.0/24 AS112-v4, 192.52.193.0/24 AMT, 192.175.48.0/24 AS112 direct delegation) are
// ordinary routable space and need no entry.
var ipv4Special = []entry{
	{"0.0.0.0/8^+", false, `"This network" [RFC791 section 3.2]`},
	{"10.0.0.0/8^+", false, "Private-Use [RFC1918]"},
	{"100.64.0.0/10^+", false, "Shared Address Space [RFC6598]"},
	{"127.0.0.0/8^+", false, "Loopback [RFC1122]"},
	{"169.254.0.0/16^+", false, "Link Local [RFC3927]"},
	{"172.16.0.0/12^+", false, "Private-Use [RFC1918]"},
	{"192.0.0.0/24^+", false, "IETF Protocol Assignments [RFC6890]"},
	{"192.0.0.9/32", true, "Port Control Protocol Anycast [RFC7723]"},
	{"192.0.0.10/32", true, "Traversal Using Relays around NAT Anycast [RFC8155]"},
	{"192.0.2.0/24^+", false, "Documentation (TEST-NET-1) [RFC5737]"},
	{"192.88.99.0/24^+", false, "Deprecated (6to4 Relay Anycast) [RFC7526]"},
	{"192.168.0.0/16^+", false, "Private-Use [RFC1918]"},
	{"198.18.0.0/15^+", false, "Benchmarking [RFC2544]"},
	{"198.51.100.0/24^+", false, "Documentation (TEST-NET-2) [RFC5737]"},
	{"203.0.113.0/24^+", false, "Documentation (TEST-NET-3) [RFC5737]"},
	{"224.0.0.0/4^+", false, "Multicast [RFC5771]"},
	{"240.0.0.0/4^+", false, "Reserved, including Limited Broadcast 255.255.255.255/32 [RFC1112 section 4, RFC919]"},
}

// ipv6Special combines three sources:
//   - the IANA IPv6 Address Space registry (iana.org/assignments/ipv6-address-space): every
//     block outside 2000::/3 is reserved by the IETF or special (RFC 4291);
//   - the IANA IPv6 Special-Purpose Address Registry (iana-ipv6-special-registry, RFC 6890
//     and later RFCs), with its globally reachable blocks as exceptions;
//   - the NLNOG BGP filter guide's IPv6 bogons and the martian list in
//     shared/data/rpsl-bogons-v6-snijders (2002::/16, 3ffe::/16, fec0::/10).
//
// The registry rows were taken from the registries as last known (2024 revision: RFC 9602
// SRv6 SIDs, RFC 9637 documentation, RFC 9665 SRP anycast); they were not re-fetched here.
var ipv6Special = []entry{
	{"::/8^+", false, "Reserved by IETF: unspecified, loopback, IPv4-mapped, IPv4-IPv6 translation [RFC4291, RFC6052]"},
	{"100::/8^+", false, "Reserved by IETF [RFC4291]"},
	{"100::/64^+", false, "Discard-Only Address block [RFC6666]"},
	{"200::/7^+", false, "Reserved by IETF [RFC4048]"},
	{"400::/6^+", false, "Reserved by IETF [RFC4291]"},
	{"800::/5^+", false, "Reserved by IETF [RFC4291]"},
	{"1000::/4^+", false, "Reserved by IETF [RFC4291]"},
	{"2001::/23^+", false, "IETF Protocol Assignments [RFC2928]"},
	{"2001::/32", true, "TEREDO relay anycast announcement [RFC4380]"},
	{"2001::/32^-", false, "TEREDO [RFC4380, RFC8190]"},
	{"2001:1::1/128", true, "Port Control Protocol Anycast [RFC7723]"},
	{"2001:1::2/128", true, "Traversal Using Relays around NAT Anycast [RFC8155]"},
	{"2001:1::3/128", true, "DNS-SD Service Registration Protocol Anycast [RFC9665]"},
	{"2001:2::/48^+", false, "Benchmarking [RFC5180]"},
	{"2001:3::/32^+", true, "AMT [RFC7450]"},
	{"2001:4:112::/48^+", true, "AS112-v6 [RFC7535]"},
	{"2001:10::/28^+", false, "Deprecated (previously ORCHID) [RFC4843]"},
	{"2001:20::/28^+", true, "ORCHIDv2 [RFC7343]"},
	{"2001:30::/28^+", true, "Drone Remote ID Protocol Entity Tags (DETs) Prefix [RFC9374]"},
	{"2001:db8::/32^+", false, "Documentation [RFC3849]"},
	{"2002::/16^+", false, "6to4 [RFC3056]; relay anycast deprecated [RFC7526]"},
	{"3ffe::/16^+", false, "6bone, returned [RFC3701]"},
	{"3fff::/20^+", false, "Documentation [RFC9637]"},
	{"4000::/3^+", false, "Reserved by IETF [RFC4291]"},
	{"5f00::/16^+", false, "Segment Routing (SRv6) SIDs [RFC9602]"},
	{"6000::/3^+", false, "Reserved by IETF [RFC4291]"},
	{"8000::/3^+", false, "Reserved by IETF [RFC4291]"},
	{"a000::/3^+", false, "Reserved by IETF [RFC4291]"},
	{"c000::/3^+", false, "Reserved by IETF [RFC4291]"},
	{"e000::/4^+", false, "Reserved by IETF [RFC4291]"},
	{"f000::/5^+", false, "Reserved by IETF [RFC4291]"},
	{"f800::/6^+", false, "Reserved by IETF [RFC4291]"},
	{"fc00::/7^+", false, "Unique-Local [RFC4193]"},
	{"fe00::/9^+", false, "Reserved by IETF [RFC4291]"},
	{"fe80::/10^+", false, "Link-Local Unicast [RFC4291]"},
	{"fec0::/10^+", false, "Reserved by IETF, formerly site-local [RFC3879]"},
	{"ff00::/8^+", false, "Multicast [RFC4291]"},
}

// bogonASNs is the IANA Special-Purpose AS Numbers registry
// (iana.org/assignments/iana-as-numbers-special-registry) plus the block the IANA AS Numbers
// registry marks reserved (65552-131071), as listed in routing-data.md A6 (NLNOG BGP filter
// guide; OpenBSD bgpd.conf). AS112 (RFC 7534) is special-purpose but routed, so it is absent.
var bogonASNs = []ASNRange{
	{0, 0, "reserved, may not be used in routing [RFC7607]"},
	{23456, 23456, "AS_TRANS, must not appear in AS paths [RFC6793]"},
	{64496, 64511, "reserved for documentation and sample code [RFC5398]"},
	{64512, 65534, "reserved for private use [RFC6996]"},
	{65535, 65535, "reserved, last 16-bit AS number [RFC7300]"},
	{65536, 65551, "reserved for documentation and sample code [RFC5398]"},
	{65552, 131071, "reserved by IANA"},
	{4200000000, 4294967294, "reserved for private use [RFC6996]"},
	{4294967295, 4294967295, "reserved, last 32-bit AS number [RFC7300]"},
}

var defaultSet = sync.OnceValue(func() *Set {
	s := newSet()
	for _, table := range [][]entry{ipv4Special, ipv6Special} {
		for _, e := range table {
			r, err := ParseRange(e.rng)
			if err != nil {
				panic("bogon: built-in range " + e.rng + ": " + err.Error())
			}
			r.Allow, r.Reason = e.allow, e.name
			s.add(r)
		}
	}
	s.asns = bogonASNs
	return s
})

// Default returns the built-in bogon set: IANA special-purpose IPv4 and IPv6 blocks that are
// not globally reachable, IPv6 space outside 2000::/3, and the bogon AS number ranges. The
// returned Set is shared and read-only.
func Default() *Set { return defaultSet() }

// ASNRanges returns the built-in bogon AS number ranges.
func ASNRanges() []ASNRange { return append([]ASNRange(nil), bogonASNs...) }
