package mrt

import (
	"net/netip"
	"strconv"
)

// AppendBGPDump appends the lines `bgpdump -m` prints for one decoded record to dst. Records
// bgpdump prints nothing for (peer index tables, OPEN/KEEPALIVE/NOTIFICATION messages,
// multicast and RIB_GENERIC RIBs, unsupported types) append nothing.
func AppendBGPDump(dst []byte, rec *Record, body Body) []byte {
	switch b := body.(type) {
	case *RIB:
		if b.Entry {
			return dst
		}
		if b.V1 {
			return appendTDv1(dst, rec, b)
		}
		if rec.Subtype == SubtypeRIBIPv4Unicast || rec.Subtype == SubtypeRIBIPv6Unicast ||
			rec.Subtype == SubtypeRIBIPv4UnicastAddPath || rec.Subtype == SubtypeRIBIPv6UnicastAddPath {
			return appendTDv2(dst, rec, b)
		}
	case *BGP4MPMessage:
		if b.MsgType == MsgUpdate {
			return appendUpdate(dst, rec, b)
		}
	case *StateChange:
		return appendState(dst, rec, b)
	}
	return dst
}

func appendTime(dst []byte, rec *Record) []byte {
	dst = strconv.AppendUint(dst, uint64(rec.Timestamp), 10)
	if rec.Type == TypeBGP4MPET {
		dst = append(dst, '.')
		us := strconv.AppendUint(nil, uint64(rec.Microseconds), 10)
		for i := len(us); i < 6; i++ {
			dst = append(dst, '0')
		}
		dst = append(dst, us...)
	}
	return dst
}

func appendPrefix(dst []byte, p netip.Prefix) []byte {
	dst = appendAddr(dst, p.Addr())
	dst = append(dst, '/')
	return strconv.AppendUint(dst, uint64(p.Bits()), 10)
}

func appendU32(dst []byte, v uint32) []byte { return strconv.AppendUint(dst, uint64(v), 10) }

// bgpdumpPath returns the AS path bgpdump prints: for 2-byte sessions merged with AS4_PATH
// using bgpdump's own merge.
func bgpdumpPath(a *Attributes) ASPath {
	if a.ASNSize != 2 || !a.Has(AttrAS4Path) || !a.Has(AttrASPath) {
		return a.ASPath
	}
	if a.Has(AttrAggregator) && a.Has(AttrAS4Aggregator) {
		if as, _ := readAggregator(a.aggRaw, a.ASNSize); as != asTrans {
			return a.ASPath
		}
	}
	if bgpdumpCount(a.ASPath) < bgpdumpCount(a.AS4Path) {
		return a.ASPath
	}
	return bgpdumpMerge(a.ASPath, a.AS4Path)
}

// appendOrigin appends the AS path and ORIGIN columns: "path|ORIGIN|".
func appendPathOrigin(dst []byte, a *Attributes) []byte {
	switch {
	case a.pathErr != nil:
		dst = append(dst, "! Error !"...)
	case a.Has(AttrASPath):
		dst = bgpdumpPath(a).appendBGPDump(dst)
	}
	dst = append(dst, '|')
	switch a.Origin {
	case OriginIGP:
		dst = append(dst, "IGP|"...)
	case OriginEGP:
		dst = append(dst, "EGP|"...)
	default:
		dst = append(dst, "INCOMPLETE|"...)
	}
	return dst
}

// appendTail appends "lp|med|communities|AG|aggregator|\n" after the next hop column.
func appendTail(dst []byte, a *Attributes, signed bool) []byte {
	dst = append(dst, '|')
	lp, med := a.LocalPref, a.MED
	if !a.Has(AttrLocalPref) {
		lp = 0
	}
	if !a.Has(AttrMED) {
		med = 0
	}
	if signed {
		dst = strconv.AppendInt(dst, int64(int32(lp)), 10)
		dst = append(dst, '|')
		dst = strconv.AppendInt(dst, int64(int32(med)), 10)
	} else {
		dst = appendU32(dst, lp)
		dst = append(dst, '|')
		dst = appendU32(dst, med)
	}
	dst = append(dst, '|')
	if a.Has(AttrCommunities) {
		dst = appendCommunities(dst, a.Communities)
	}
	if a.AtomicAggregate() {
		dst = append(dst, "|AG|"...)
	} else {
		dst = append(dst, "|NAG|"...)
	}
	as, ip, ok := bgpdumpAggregator(a)
	if ok {
		dst = appendU32(dst, as)
		dst = append(dst, ' ')
		dst = appendIPv4(dst, ip.As4())
	}
	return append(dst, "|\n"...)
}

func bgpdumpAggregator(a *Attributes) (uint32, netip.Addr, bool) {
	if !a.Has(AttrAggregator) {
		return 0, netip.Addr{}, false
	}
	as, ip := readAggregator(a.aggRaw, a.ASNSize)
	if a.ASNSize == 2 && a.Has(AttrAS4Aggregator) && as == asTrans {
		as, ip = a.AS4AggregatorAS, a.AS4AggregatorIP
	}
	if ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return 0, netip.Addr{}, false
	}
	return as, ip, true
}

// bgpdumpCommunityBuf is the size of bgpdump's community string buffer (BUFSIZ): text beyond
// it is dropped (well-known names whole, numeric values cut).
const bgpdumpCommunityBuf = 8192

// appendCommunities appends communities as bgpdump prints them: "a:b" with the names no-export,
// no-advertise and local-AS, space-separated, within bgpdump's buffer.
func appendCommunities(dst []byte, cs []uint32) []byte {
	var item [32]byte
	n := 0 // length of bgpdump's buffer, which has a leading space dst lacks
	for _, c := range cs {
		s := append(item[:0], ' ')
		switch c {
		case 0xFFFFFF01, 0xFFFFFF02, 0xFFFFFF03:
			s = append(s, [...]string{"no-export", "no-advertise", "local-AS"}[c-0xFFFFFF01]...)
			if n+len(s) >= bgpdumpCommunityBuf {
				continue
			}
		default:
			s = appendU32(s, c>>16)
			s = append(s, ':')
			s = appendU32(s, c&0xffff)
			s = s[:min(len(s), bgpdumpCommunityBuf-1-n)]
		}
		if n == 0 && len(s) > 0 {
			dst = append(dst, s[1:]...)
		} else {
			dst = append(dst, s...)
		}
		n += len(s)
	}
	return dst
}

// appendRIBNextHop appends the next hop bgpdump prints for RIB entries. In TABLE_DUMP_V2 it is
// the next hop of MP_REACH_NLRI when there is one (abbreviated or full, IPv4 or IPv6), else
// NEXT_HOP (255.255.255.255 when absent). TABLE_DUMP v1 uses only an IPv6 unicast MP_REACH
// next hop, and takes a 4-byte abbreviated one as the IPv6 address those bytes begin.
func appendRIBNextHop(dst []byte, a *Attributes, v1 bool) []byte {
	for _, mp := range a.MPReach {
		if !mp.NextHop.IsValid() {
			continue
		}
		if !v1 {
			return appendAddr(dst, mp.NextHop)
		}
		if mp.Abbreviated && mp.NextHop.Is4() {
			var b [16]byte
			copy(b[:], mp.NextHop.AsSlice())
			return appendIPv6(dst, b)
		}
		if mp.Abbreviated || (mp.AFI == AFIIPv6 && mp.SAFI == SAFIUnicast) {
			return appendIPv6(dst, mp.NextHop.As16())
		}
	}
	return appendNextHop(dst, a)
}

func appendNextHop(dst []byte, a *Attributes) []byte {
	if !a.Has(AttrNextHop) {
		return append(dst, "255.255.255.255"...)
	}
	return appendIPv4(dst, a.NextHop.As4())
}

func appendTDv2(dst []byte, rec *Record, r *RIB) []byte {
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Err != nil {
			continue
		}
		if r.AddPath {
			dst = append(dst, "TABLE_DUMP2_AP|"...)
		} else {
			dst = append(dst, "TABLE_DUMP2|"...)
		}
		dst = appendU32(dst, rec.Timestamp)
		dst = append(dst, "|B|"...)
		dst = appendAddr(dst, e.Peer.Addr)
		dst = append(dst, '|')
		dst = appendU32(dst, e.Peer.AS)
		dst = append(dst, '|')
		dst = appendPrefix(dst, r.Prefix)
		dst = append(dst, '|')
		if r.AddPath {
			dst = appendU32(dst, e.PathID)
			dst = append(dst, '|')
		}
		dst = appendPathOrigin(dst, &e.Attrs)
		dst = appendRIBNextHop(dst, &e.Attrs, false)
		dst = appendTail(dst, &e.Attrs, false)
	}
	return dst
}

func appendTDv1(dst []byte, rec *Record, r *RIB) []byte {
	e := &r.Entries[0]
	dst = append(dst, "TABLE_DUMP|"...)
	dst = appendU32(dst, rec.Timestamp)
	dst = append(dst, "|B|"...)
	if rec.Subtype == 4 {
		// bgpdump prints the 4-byte-ASN IPv6 variant through its IPv4 formatter.
		dst = appendIPv4(dst, [4]byte(e.Peer.Addr.AsSlice()[:4]))
		dst = append(dst, '|')
		dst = appendU32(dst, e.Peer.AS)
		dst = append(dst, '|')
		dst = appendIPv4(dst, [4]byte(r.Prefix.Addr().AsSlice()[:4]))
		dst = append(dst, '/')
		dst = strconv.AppendUint(dst, uint64(r.Prefix.Bits()), 10)
	} else {
		dst = appendAddr(dst, e.Peer.Addr)
		dst = append(dst, '|')
		dst = appendU32(dst, e.Peer.AS)
		dst = append(dst, '|')
		dst = appendPrefix(dst, r.Prefix)
	}
	dst = append(dst, '|')
	dst = appendPathOrigin(dst, &e.Attrs)
	dst = appendRIBNextHop(dst, &e.Attrs, true)
	return appendTail(dst, &e.Attrs, false)
}
