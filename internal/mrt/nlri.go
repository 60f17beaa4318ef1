package mrt

import (
	"encoding/binary"
	"net/netip"
)

// knownFamily reports whether NLRI of this AFI/SAFI are decoded (IPv4/IPv6, unicast and
// multicast, as bgpdump does).
func knownFamily(afi uint16, safi uint8) bool {
	return (afi == AFIIPv4 || afi == AFIIPv6) && safi >= SAFIUnicast && safi <= SAFIUnicastMulticast
}

// appendPrefixes decodes a list of NLRI-encoded prefixes (with 4-byte path identifiers when
// addPath) and appends them to dst.
func appendPrefixes(dst []NLRI, b []byte, afi uint16, addPath bool) ([]NLRI, error) {
	return appendPrefixesCut(dst, b, afi, addPath, false)
}

// appendPrefixesCut is appendPrefixes for a list that may be cut short: with cut set, an
// incomplete last prefix ends the list instead of being an error.
func appendPrefixesCut(dst []NLRI, b []byte, afi uint16, addPath, cut bool) ([]NLRI, error) {
	maxBits := 32
	if afi == AFIIPv6 {
		maxBits = 128
	}
	for len(b) > 0 {
		var id uint32
		if addPath {
			if len(b) < 5 {
				if cut {
					return dst, nil
				}
				return dst, malformed("path identifier cut short")
			}
			id = binary.BigEndian.Uint32(b)
			b = b[4:]
		}
		bits := int(b[0])
		if bits > maxBits {
			return dst, malformed("prefix length %d exceeds %d", bits, maxBits)
		}
		n := (bits + 7) / 8
		if len(b)-1 < n {
			if cut {
				return dst, nil
			}
			return dst, malformed("prefix /%d cut short (%d of %d bytes)", bits, len(b)-1, n)
		}
		dst = append(dst, NLRI{Prefix: makePrefix(b[1:1+n], bits, afi), PathID: id})
		b = b[1+n:]
	}
	return dst, nil
}

// makePrefix builds a prefix from its leading address bytes, keeping any host bits.
func makePrefix(b []byte, bits int, afi uint16) netip.Prefix {
	if afi == AFIIPv6 {
		var a [16]byte
		copy(a[:], b)
		return netip.PrefixFrom(netip.AddrFrom16(a), bits)
	}
	var a [4]byte
	copy(a[:], b)
	return netip.PrefixFrom(netip.AddrFrom4(a), bits)
}

func (a *Attributes) parseMPReach(v []byte, addPath bool) error {
	if len(v) == 0 {
		return malformed("MP_REACH_NLRI empty")
	}
	if v[0] != 0 {
		// Abbreviated form of TABLE_DUMP_V2 (RFC 6396 4.3.4): next-hop length and address only.
		// bgpdump recognises it by a non-zero first byte, as here.
		mp := MPReach{Abbreviated: true}
		if err := mp.setNextHop(v[1:], int(v[0])); err != nil {
			return err
		}
		a.MPReach = append(a.MPReach, mp)
		return nil
	}
	if len(v) < 5 {
		return malformed("MP_REACH_NLRI length %d", len(v))
	}
	mp := MPReach{AFI: binary.BigEndian.Uint16(v), SAFI: v[2]}
	for _, o := range a.MPReach {
		if o.AFI == mp.AFI && o.SAFI == mp.SAFI {
			return malformed("two MP_REACH_NLRI for AFI %d SAFI %d", mp.AFI, mp.SAFI)
		}
	}
	if !knownFamily(mp.AFI, mp.SAFI) {
		a.MPReach = append(a.MPReach, mp)
		return nil
	}
	nhLen := int(v[3])
	if len(v) < 4+nhLen+1 {
		return malformed("MP_REACH_NLRI next hop cut short")
	}
	if err := mp.setNextHop(v[4:4+nhLen], nhLen); err != nil {
		return err
	}
	rest := v[4+nhLen:]
	snpa := int(rest[0])
	rest = rest[1:]
	for ; snpa > 0; snpa-- {
		if len(rest) == 0 || len(rest) < 1+int(rest[0]) {
			return malformed("MP_REACH_NLRI SNPA cut short")
		}
		rest = rest[1+int(rest[0]):]
	}
	nlri, err := appendPrefixes(nil, rest, mp.AFI, addPath)
	if err != nil {
		return err
	}
	mp.NLRI = nlri
	a.MPReach = append(a.MPReach, mp)
	return nil
}

// setNextHop decodes a next-hop field of length n: 4 (IPv4), 16 (IPv6) or 32 (IPv6 global and
// link-local).
func (mp *MPReach) setNextHop(b []byte, n int) error {
	if len(b) < n {
		return malformed("MP_REACH_NLRI next hop length %d exceeds %d bytes", n, len(b))
	}
	switch n {
	case 4:
		mp.NextHop = netip.AddrFrom4([4]byte(b))
	case 16:
		mp.NextHop = netip.AddrFrom16([16]byte(b))
	case 32:
		mp.NextHop = netip.AddrFrom16([16]byte(b))
		mp.LinkLocal = netip.AddrFrom16([16]byte(b[16:]))
	default:
		return malformed("MP_REACH_NLRI next hop length %d", n)
	}
	if mp.Abbreviated {
		mp.AFI, mp.SAFI = AFIIPv6, SAFIUnicast
		if n == 4 {
			mp.AFI = AFIIPv4
		}
	}
	return nil
}

func (a *Attributes) parseMPUnreach(v []byte, addPath bool) error {
	if len(v) < 3 {
		return malformed("MP_UNREACH_NLRI length %d", len(v))
	}
	mp := MPUnreach{AFI: binary.BigEndian.Uint16(v), SAFI: v[2]}
	for _, o := range a.MPUnreach {
		if o.AFI == mp.AFI && o.SAFI == mp.SAFI {
			return malformed("two MP_UNREACH_NLRI for AFI %d SAFI %d", mp.AFI, mp.SAFI)
		}
	}
	if knownFamily(mp.AFI, mp.SAFI) {
		nlri, err := appendPrefixes(nil, v[3:], mp.AFI, addPath)
		if err != nil {
			return err
		}
		mp.NLRI = nlri
	}
	a.MPUnreach = append(a.MPUnreach, mp)
	return nil
}
