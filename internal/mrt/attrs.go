package mrt

import (
	"encoding/binary"
	"net/netip"
)

// BGP path attribute type codes decoded by this package; all others are kept opaque.
const (
	AttrOrigin           = 1
	AttrASPath           = 2
	AttrNextHop          = 3
	AttrMED              = 4
	AttrLocalPref        = 5
	AttrAtomicAggregate  = 6
	AttrAggregator       = 7
	AttrCommunities      = 8
	AttrMPReach          = 14
	AttrMPUnreach        = 15
	AttrAS4Path          = 17
	AttrAS4Aggregator    = 18
	AttrLargeCommunities = 32
)

// ORIGIN attribute values.
const (
	OriginIGP        = 0
	OriginEGP        = 1
	OriginIncomplete = 2
)

// LargeCommunity is an RFC 8092 large community.
type LargeCommunity struct {
	Global, Local1, Local2 uint32
}

// RawAttribute is a path attribute kept as received.
type RawAttribute struct {
	Flags uint8
	Type  uint8
	Value []byte
}

// MPReach is an MP_REACH_NLRI attribute (RFC 4760). In TABLE_DUMP_V2 RIB entries it is
// abbreviated to the next hop (RFC 6396 section 4.3.4); then Abbreviated is set and AFI/SAFI
// come from the record. NLRI is only decoded for IPv4/IPv6 unicast and multicast.
type MPReach struct {
	AFI         uint16
	SAFI        uint8
	Abbreviated bool
	NextHop     netip.Addr
	LinkLocal   netip.Addr // second IPv6 next hop of a 32-byte next-hop field
	NLRI        []NLRI
}

// MPUnreach is an MP_UNREACH_NLRI attribute (RFC 4760).
type MPUnreach struct {
	AFI  uint16
	SAFI uint8
	NLRI []NLRI
}

// Attributes holds the decoded path attributes of one route or UPDATE. ASPath is as received;
// for 2-byte sessions use Path, which merges AS4_PATH.
type Attributes struct {
	present          [4]uint64 // bit per attribute type code seen
	ASNSize          int       // 2 or 4: AS number size of AS_PATH and AGGREGATOR
	Origin           uint8
	ASPath           ASPath
	AS4Path          ASPath
	NextHop          netip.Addr
	MED              uint32
	LocalPref        uint32
	AggregatorAS     uint32
	AggregatorAddr   netip.Addr
	AS4AggregatorAS  uint32
	AS4AggregatorIP  netip.Addr
	Communities      []uint32
	LargeCommunities []LargeCommunity
	MPReach          []MPReach
	MPUnreach        []MPUnreach
	Other            []RawAttribute

	segs    []Segment
	asns    []uint32
	aggRaw  []byte
	pathErr error
}

// ASPathError returns why the AS_PATH attribute could not be decoded, or nil. ASPath is empty
// then.
func (a *Attributes) ASPathError() error { return a.pathErr }

// Has reports whether the attribute with the given type code was present.
func (a *Attributes) Has(code uint8) bool { return a.present[code>>6]&(1<<(code&63)) != 0 }

// AtomicAggregate reports whether ATOMIC_AGGREGATE was present.
func (a *Attributes) AtomicAggregate() bool { return a.Has(AttrAtomicAggregate) }

// Path returns the effective AS path: AS_PATH, merged with AS4_PATH per RFC 6793 when the
// attributes came from a 2-byte AS session (unless AGGREGATOR shows a 2-byte-only aggregator).
func (a *Attributes) Path() ASPath {
	if a.ASNSize != 2 || !a.Has(AttrAS4Path) || !a.Has(AttrASPath) {
		return a.ASPath
	}
	if a.Has(AttrAggregator) && a.Has(AttrAS4Aggregator) && a.AggregatorAS != asTrans {
		return a.ASPath
	}
	return MergeAS4Path(a.ASPath, a.AS4Path)
}

const asTrans = 23456

func (a *Attributes) reset(asnSize int) {
	*a = Attributes{
		ASNSize:          asnSize,
		Origin:           255,
		Communities:      a.Communities[:0],
		LargeCommunities: a.LargeCommunities[:0],
		MPReach:          a.MPReach[:0],
		MPUnreach:        a.MPUnreach[:0],
		Other:            a.Other[:0],
		segs:             a.segs[:0],
		asns:             a.asns[:0],
	}
}

// parse decodes a path attribute block (without its length field) into a.
func (a *Attributes) parse(b []byte, asnSize int, addPath bool) error {
	a.reset(asnSize)
	return a.parseCut(b, asnSize, addPath, false)
}

// parseCut decodes attributes into a without resetting it; with cut set, an incomplete last
// attribute ends the block instead of being an error.
func (a *Attributes) parseCut(b []byte, asnSize int, addPath, cut bool) error {
	for len(b) > 0 {
		if cut && (len(b) < 3 || (b[0]&0x10 != 0 && len(b) < 4)) {
			return nil
		}
		if len(b) < 3 {
			return malformed("attribute header cut short (%d bytes left)", len(b))
		}
		flags, code := b[0], b[1]
		var n, hl int
		if flags&0x10 != 0 {
			if len(b) < 4 {
				return malformed("attribute %d header cut short", code)
			}
			n, hl = int(binary.BigEndian.Uint16(b[2:])), 4
		} else {
			n, hl = int(b[2]), 3
		}
		if len(b)-hl < n {
			if cut {
				return nil
			}
			return malformed("attribute %d length %d exceeds the %d bytes left", code, n, len(b)-hl)
		}
		v := b[hl : hl+n]
		b = b[hl+n:]
		if err := a.parseOne(flags, code, v, addPath); err != nil {
			return err
		}
	}
	return nil
}

func (a *Attributes) parseOne(flags, code uint8, v []byte, addPath bool) error {
	// MP_REACH_NLRI and MP_UNREACH_NLRI may repeat for different address families.
	known := code <= AttrAggregator || code == AttrCommunities || code == AttrAS4Path ||
		code == AttrAS4Aggregator || code == AttrLargeCommunities
	if known && code != 0 && a.Has(code) {
		return malformed("duplicate attribute %d", code)
	}
	a.present[code>>6] |= 1 << (code & 63)
	switch code {
	case AttrOrigin:
		if len(v) != 1 {
			return malformed("ORIGIN length %d", len(v))
		}
		a.Origin = v[0]
	case AttrASPath:
		// A malformed AS_PATH does not make the record unreadable: bgpdump prints "! Error !"
		// for it, and RouteReader skips (and counts) the routes that carry it.
		p, err := a.parsePath(v, a.ASNSize)
		a.ASPath, a.pathErr = p, err
	case AttrAS4Path:
		p, err := a.parsePath(v, 4)
		if err != nil {
			return err
		}
		a.AS4Path = p
	case AttrNextHop:
		if len(v) != 4 {
			return malformed("NEXT_HOP length %d", len(v))
		}
		a.NextHop = netip.AddrFrom4([4]byte(v))
	case AttrMED:
		return readU32(&a.MED, code, v)
	case AttrLocalPref:
		return readU32(&a.LocalPref, code, v)
	case AttrAtomicAggregate:
	case AttrAggregator:
		if len(v) != 6 && len(v) != 8 {
			return malformed("AGGREGATOR length %d", len(v))
		}
		// The AS size follows the length (some exporters write 4-byte AGGREGATORs in 2-byte
		// contexts); bgpdump's reading, by session AS size, is kept for its output.
		a.AggregatorAS, a.AggregatorAddr = readAggregator(v, len(v)-4)
		a.aggRaw = v
	case AttrAS4Aggregator:
		if len(v) != 8 {
			return malformed("AS4_AGGREGATOR length %d", len(v))
		}
		a.AS4AggregatorAS, a.AS4AggregatorIP = readAggregator(v, 4)
	case AttrCommunities:
		return a.parseCommunities(v)
	case AttrLargeCommunities:
		return a.parseLargeCommunities(v)
	case AttrMPReach:
		return a.parseMPReach(v, addPath)
	case AttrMPUnreach:
		return a.parseMPUnreach(v, addPath)
	default:
		a.Other = append(a.Other, RawAttribute{Flags: flags, Type: code, Value: v})
	}
	return nil
}

func readU32(dst *uint32, code uint8, v []byte) error {
	if len(v) != 4 {
		return malformed("attribute %d length %d, want 4", code, len(v))
	}
	*dst = binary.BigEndian.Uint32(v)
	return nil
}

// readAggregator reads an AGGREGATOR value with an AS number of asnSize bytes followed by four
// address bytes; a short value is zero-padded, as bgpdump reads it.
func readAggregator(v []byte, asnSize int) (uint32, netip.Addr) {
	var b [8]byte
	copy(b[:], v)
	if asnSize == 2 {
		return uint32(binary.BigEndian.Uint16(b[:])), netip.AddrFrom4([4]byte(b[2:6]))
	}
	return binary.BigEndian.Uint32(b[:]), netip.AddrFrom4([4]byte(b[4:8]))
}

func (a *Attributes) parseCommunities(v []byte) error {
	if len(v)%4 != 0 {
		return malformed("COMMUNITIES length %d not a multiple of 4", len(v))
	}
	for ; len(v) > 0; v = v[4:] {
		a.Communities = append(a.Communities, binary.BigEndian.Uint32(v))
	}
	return nil
}

func (a *Attributes) parseLargeCommunities(v []byte) error {
	if len(v)%12 != 0 {
		return malformed("LARGE_COMMUNITY length %d not a multiple of 12", len(v))
	}
	for ; len(v) > 0; v = v[12:] {
		a.LargeCommunities = append(a.LargeCommunities, LargeCommunity{
			binary.BigEndian.Uint32(v), binary.BigEndian.Uint32(v[4:]), binary.BigEndian.Uint32(v[8:])})
	}
	return nil
}

// parsePath decodes AS_PATH or AS4_PATH segments, reusing the attribute buffers.
func (a *Attributes) parsePath(v []byte, size int) (ASPath, error) {
	first := len(a.segs)
	for len(v) > 0 {
		if len(v) < 2 {
			return nil, malformed("AS path segment header cut short")
		}
		t, n := SegmentType(v[0]), int(v[1])
		if t < SegSet || t > SegConfedSet {
			return nil, malformed("AS path segment type %d", t)
		}
		if len(v)-2 < n*size {
			return nil, malformed("AS path segment of %d ASNs exceeds the %d bytes left", n, len(v)-2)
		}
		start := len(a.asns)
		for i := 0; i < n; i++ {
			if size == 2 {
				a.asns = append(a.asns, uint32(binary.BigEndian.Uint16(v[2+2*i:])))
			} else {
				a.asns = append(a.asns, binary.BigEndian.Uint32(v[2+4*i:]))
			}
		}
		a.segs = append(a.segs, Segment{Type: t, ASNs: a.asns[start:len(a.asns):len(a.asns)]})
		v = v[2+n*size:]
	}
	// a.asns may have been reallocated while appending: rebind this path's segments.
	p := ASPath(a.segs[first:len(a.segs):len(a.segs)])
	return p, nil
}
