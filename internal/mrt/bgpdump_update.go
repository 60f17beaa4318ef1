package mrt

import "net/netip"

// bgp4mpFormat returns the first column bgpdump prints for BGP4MP message lines.
func bgp4mpFormat(rec *Record, m *BGP4MPMessage) string {
	name := "BGP4MP"
	if rec.Type == TypeBGP4MPET {
		name = "BGP4MP_ET"
	}
	if m.Local && !bgpdumpLocalAsReceived(m) {
		name += "_LOCAL"
	}
	if m.AddPath {
		name += "_AP"
	}
	return name
}

func appendLineStart(dst []byte, rec *Record, format, kind string) []byte {
	dst = append(dst, format...)
	dst = append(dst, '|')
	dst = appendTime(dst, rec)
	dst = append(dst, '|')
	dst = append(dst, kind...)
	return append(dst, '|')
}

// bgpdumpLocalAsReceived reports bgpdump 1.6's handling of MESSAGE_LOCAL_ADDPATH and
// MESSAGE_AS4_LOCAL_ADDPATH: it decodes them as locally sent but prints them as received
// messages, that is with the plain format name and the local AS and address.
func bgpdumpLocalAsReceived(m *BGP4MPMessage) bool {
	return m.Subtype == SubtypeMessageLocalAddPath || m.Subtype == SubtypeMessageAS4LocalAddPath
}

func appendPeer(dst []byte, m *BGP4MPMessage) []byte {
	ip, as := m.PeerIP, m.PeerAS
	if bgpdumpLocalAsReceived(m) {
		ip, as = m.LocalIP, m.LocalAS
	}
	dst = appendAddr(dst, ip)
	dst = append(dst, '|')
	dst = appendU32(dst, as)
	return append(dst, '|')
}

// familyOrder is the order in which bgpdump walks its MP_(UN)REACH table.
var familyOrder = [...]struct {
	afi  uint16
	safi uint8
}{{1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}, {2, 3}}

func appendUpdate(dst []byte, rec *Record, m *BGP4MPMessage) []byte {
	format := bgp4mpFormat(rec, m)
	a := &m.Attrs
	for _, w := range m.Withdrawn {
		dst = appendWithdraw(dst, rec, m, format, w)
	}
	for _, f := range familyOrder {
		for _, mp := range a.MPUnreach {
			if mp.AFI == f.afi && mp.SAFI == f.safi {
				for _, w := range mp.NLRI {
					dst = appendWithdraw(dst, rec, m, format, w)
				}
			}
		}
	}
	for _, n := range m.Announced {
		dst = appendAnnounce(dst, rec, m, format, n)
		dst = appendNextHop(dst, a)
		dst = appendTail(dst, a, false)
	}
	for _, f := range familyOrder {
		for _, mp := range a.MPReach {
			if mp.Abbreviated || mp.AFI != f.afi || mp.SAFI != f.safi {
				continue
			}
			for _, n := range mp.NLRI {
				dst = appendAnnounce(dst, rec, m, format, n)
				if f.afi == AFIIPv6 {
					dst = appendIPv6(dst, mp.NextHop.As16())
					dst = appendTail(dst, a, false)
				} else {
					dst = appendAddr(dst, mp.NextHop)
					dst = appendTail(dst, a, true)
				}
			}
		}
	}
	return dst
}

func appendWithdraw(dst []byte, rec *Record, m *BGP4MPMessage, format string, w NLRI) []byte {
	dst = appendLineStart(dst, rec, format, "W")
	if w.Prefix.Addr().Is6() && m.AFI == AFIIPv4 && m.Local && !bgpdumpLocalAsReceived(m) {
		// bgpdump formats the IPv4 peer of a locally sent IPv6 withdrawal as IPv6.
		var b [16]byte
		copy(b[:], m.PeerIP.AsSlice())
		dst = appendIPv6(dst, b)
		dst = append(dst, '|')
		dst = appendU32(dst, m.PeerAS)
		dst = append(dst, '|')
	} else {
		dst = appendPeer(dst, m)
	}
	dst = appendPrefix(dst, w.Prefix)
	if m.AddPath {
		dst = append(dst, '|')
		dst = appendU32(dst, w.PathID)
	}
	return append(dst, '\n')
}

// appendAnnounce appends an announcement line up to and including the ORIGIN column.
func appendAnnounce(dst []byte, rec *Record, m *BGP4MPMessage, format string, n NLRI) []byte {
	dst = appendLineStart(dst, rec, format, "A")
	dst = appendPeer(dst, m)
	dst = appendPrefix(dst, n.Prefix)
	dst = append(dst, '|')
	if m.AddPath {
		dst = appendU32(dst, n.PathID)
		dst = append(dst, '|')
	}
	return appendPathOrigin(dst, &m.Attrs)
}

func appendState(dst []byte, rec *Record, s *StateChange) []byte {
	format := "BGP4MP"
	if rec.Type == TypeBGP4MPET {
		format = "BGP4MP_ET"
	}
	dst = appendLineStart(dst, rec, format, "STATE")
	ip := s.PeerIP
	if !ip.IsValid() {
		ip = netip.AddrFrom4([4]byte{})
	}
	dst = appendAddr(dst, ip)
	dst = append(dst, '|')
	dst = appendU32(dst, s.PeerAS)
	dst = append(dst, '|')
	dst = appendU32(dst, uint32(s.OldState))
	dst = append(dst, '|')
	dst = appendU32(dst, uint32(s.NewState))
	return append(dst, '\n')
}
