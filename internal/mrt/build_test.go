package mrt

import (
	"encoding/binary"
	"net/netip"
)

// Helpers that build MRT records and BGP attributes for tests.

func u16(v int) []byte    { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// rec builds a record; for BGP4MP_ET the microseconds come first in the body.
func rec(ts uint32, t Type, sub int, body []byte) []byte {
	return cat(u32(ts), u16(int(t)), u16(sub), u32(uint32(len(body))), body)
}

func etRec(ts, us uint32, sub int, body []byte) []byte {
	return rec(ts, TypeBGP4MPET, sub, cat(u32(us), body))
}

func attr(flags, code byte, v []byte) []byte {
	if len(v) > 255 {
		return cat([]byte{flags | 0x10, code}, u16(len(v)), v)
	}
	return cat([]byte{flags, code, byte(len(v))}, v)
}

func ip(s string) []byte { return netip.MustParseAddr(s).AsSlice() }

// pfx encodes a prefix in NLRI form; bits may be shorter than the given address (host bits kept).
func pfx(s string, bits int) []byte {
	a := ip(s)
	return append([]byte{byte(bits)}, a[:(bits+7)/8]...)
}

// path encodes AS_PATH segments; each segment is a type followed by its ASNs.
func path(size int, segs ...[]uint32) []byte {
	var out []byte
	for _, s := range segs {
		out = append(out, byte(s[0]), byte(len(s)-1))
		for _, a := range s[1:] {
			if size == 2 {
				out = append(out, u16(int(a))...)
			} else {
				out = append(out, u32(a)...)
			}
		}
	}
	return out
}

func seq(asns ...uint32) []uint32 { return append([]uint32{uint32(SegSequence)}, asns...) }
func set(asns ...uint32) []uint32 { return append([]uint32{uint32(SegSet)}, asns...) }
func cseq(asns ...uint32) []uint32 {
	return append([]uint32{uint32(SegConfedSequence)}, asns...)
}
func cset(asns ...uint32) []uint32 { return append([]uint32{uint32(SegConfedSet)}, asns...) }

func origin(o byte) []byte { return attr(0x40, AttrOrigin, []byte{o}) }
func nexthop(s string) []byte {
	return attr(0x40, AttrNextHop, ip(s))
}
func comms(cs ...uint32) []byte {
	var v []byte
	for _, c := range cs {
		v = append(v, u32(c)...)
	}
	return attr(0xc0, AttrCommunities, v)
}

// bgpUpdate builds a BGP UPDATE message (marker, length, type, body).
func bgpUpdate(withdrawn, attrs, nlri []byte) []byte {
	body := cat(u16(len(withdrawn)), withdrawn, u16(len(attrs)), attrs, nlri)
	return cat([]byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255},
		u16(19+len(body)), []byte{MsgUpdate}, body)
}

// bgp4mpHead builds the BGP4MP MESSAGE header fields before the BGP message.
func bgp4mpHead(as4 bool, peerAS, localAS uint32, peer, local string) []byte {
	var asns []byte
	if as4 {
		asns = cat(u32(peerAS), u32(localAS))
	} else {
		asns = cat(u16(int(peerAS)), u16(int(localAS)))
	}
	afi := AFIIPv4
	if netip.MustParseAddr(peer).Is6() {
		afi = AFIIPv6
	}
	return cat(asns, u16(0), u16(afi), ip(peer), ip(local))
}

func mpReach(afi, safi int, nh []byte, nlri ...[]byte) []byte {
	v := cat(u16(afi), []byte{byte(safi), byte(len(nh))}, nh, []byte{0}, cat(nlri...))
	return attr(0x80, AttrMPReach, v)
}

func mpUnreach(afi, safi int, nlri ...[]byte) []byte {
	return attr(0x80, AttrMPUnreach, cat(u16(afi), []byte{byte(safi)}, cat(nlri...)))
}

// peerIndex builds a PEER_INDEX_TABLE; peers are (address, AS) pairs, all with 4-byte ASNs.
func peerIndex(peers ...any) []byte {
	b := cat(ip("192.0.2.254"), u16(0), u16(len(peers)/2))
	for i := 0; i < len(peers); i += 2 {
		a := netip.MustParseAddr(peers[i].(string))
		typ := byte(2)
		if a.Is6() {
			typ = 3
		}
		b = cat(b, []byte{typ}, ip("10.255.0.1"), a.AsSlice(), u32(peers[i+1].(uint32)))
	}
	return b
}

// ribEntry builds one TABLE_DUMP_V2 RIB entry (with a path id when addPath).
func ribEntry(peer int, orig uint32, addPath bool, id uint32, attrs []byte) []byte {
	b := cat(u16(peer), u32(orig))
	if addPath {
		b = cat(b, u32(id))
	}
	return cat(b, u16(len(attrs)), attrs)
}
