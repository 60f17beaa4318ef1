package mrt

import (
	"encoding/binary"
	"net/netip"
)

func (d *Decoder) decodeBGP4MP(rec *Record) (Body, error) {
	switch rec.Subtype {
	case SubtypeStateChange:
		return d.decodeState(rec, 2)
	case SubtypeStateChangeAS4:
		return d.decodeState(rec, 4)
	case SubtypeEntry:
		return d.decodeEntry(rec)
	case SubtypeMessage, SubtypeMessageAS4, SubtypeMessageLocal, SubtypeMessageAS4Local,
		SubtypeMessageAddPath, SubtypeMessageAS4AddPath, SubtypeMessageLocalAddPath, SubtypeMessageAS4LocalAddPath:
		return d.decodeMessage(rec)
	}
	return d.unsupported("BGP4MP subtype not decoded"), nil
}

func (d *Decoder) decodeState(rec *Record, size int) (Body, error) {
	c := &cursor{b: rec.Body}
	s := &d.state
	*s = StateChange{}
	s.PeerAS = c.asn(size)
	s.LocalAS = c.asn(size)
	if len(rec.Body) == 8 && size == 2 {
		// Zebra once wrote state changes without interface, family and addresses; bgpdump
		// accepts them and prints 0.0.0.0 as the peer.
		s.AFI = AFIIPv4
		s.PeerIP = zeroV4
		s.OldState, s.NewState = c.u16(), c.u16()
		return s, nil
	}
	s.IfIndex = c.u16()
	s.AFI = c.u16()
	if c.bad {
		return nil, malformed("STATE_CHANGE header cut short")
	}
	want := 2*size + 4 + 4
	switch s.AFI {
	case AFIIPv4:
		want += 8
	case AFIIPv6:
		want += 32
	default:
		return nil, malformed("STATE_CHANGE address family %d", s.AFI)
	}
	if len(rec.Body) != want {
		return nil, malformed("STATE_CHANGE length %d, want %d", len(rec.Body), want)
	}
	s.PeerIP, s.LocalIP = c.addr(s.AFI), c.addr(s.AFI)
	s.OldState, s.NewState = c.u16(), c.u16()
	return s, nil
}

func (d *Decoder) decodeMessage(rec *Record) (Body, error) {
	m := &d.msg
	size, msg, err := m.decodeHeader(rec)
	if err != nil {
		return nil, err
	}
	m.Withdrawn, m.Announced = m.Withdrawn[:0], m.Announced[:0]
	m.Attrs.reset(size)
	if m.MsgType != MsgUpdate {
		return m, nil
	}
	err = d.decodeUpdate(m, msg, size)
	if err != nil && !m.AddPath {
		// Some speakers (BIRD before RFC 8050 subtypes existed) wrote ADD-PATH encoded NLRI
		// in plain MESSAGE records. When the plain reading fails, try the ADD-PATH reading.
		m.AddPath = true
		if d.decodeUpdate(m, msg, size) == nil {
			m.AddPathGuessed = true
			return m, nil
		}
		m.AddPath = false
	}
	return m, err
}

// decodeHeader decodes the BGP4MP MESSAGE fields and the BGP message header. It returns the
// AS number size and the BGP message body (after the type byte).
func (m *BGP4MPMessage) decodeHeader(rec *Record) (size int, msg []byte, err error) {
	st := rec.Subtype
	m.Subtype = st
	m.AS4 = st == SubtypeMessageAS4 || st == SubtypeMessageAS4Local || st == SubtypeMessageAS4AddPath || st == SubtypeMessageAS4LocalAddPath
	m.Local = st == SubtypeMessageLocal || st == SubtypeMessageAS4Local || st == SubtypeMessageLocalAddPath || st == SubtypeMessageAS4LocalAddPath
	m.AddPath, m.AddPathGuessed = st >= SubtypeMessageAddPath, false
	size = 2
	if m.AS4 {
		size = 4
	}
	c := &cursor{b: rec.Body}
	m.PeerAS, m.LocalAS = c.asn(size), c.asn(size)
	m.IfIndex, m.AFI = c.u16(), c.u16()
	if c.bad {
		return 0, nil, malformed("BGP4MP message header cut short")
	}
	switch {
	case m.AFI == 0xffff && m.IfIndex == 0xffff:
		// Zebra wrote OPEN messages without interface, family and addresses: the "interface"
		// and "family" are the first marker bytes. bgpdump reads them with 0.0.0.0 peers.
		c.b = rec.Body[2*size:]
		m.IfIndex, m.AFI = 0, AFIIPv4
		m.PeerIP, m.LocalIP = zeroV4, zeroV4
	case m.AFI != AFIIPv4 && m.AFI != AFIIPv6:
		return 0, nil, malformed("BGP4MP address family %d", m.AFI)
	default:
		m.PeerIP, m.LocalIP = c.addr(m.AFI), c.addr(m.AFI)
	}
	marker := c.take(16)
	length := int(c.u16())
	m.MsgType = c.u8()
	if c.bad {
		return 0, nil, malformed("BGP message header cut short")
	}
	for _, x := range marker {
		if x != 0xff {
			return 0, nil, malformed("BGP message marker is not all ones")
		}
	}
	if length < 19 {
		return 0, nil, malformed("BGP message length %d", length)
	}
	// Zebra sometimes cut messages short of their length field; bgpdump keeps the complete
	// prefixes and attributes before the cut, and so does this decoder (Truncated is set).
	m.Truncated = length-19 > len(c.b)
	if m.Truncated {
		return size, c.b, nil
	}
	return size, c.b[:length-19], nil
}

func (d *Decoder) decodeUpdate(m *BGP4MPMessage, b []byte, size int) error {
	m.Withdrawn, m.Announced = m.Withdrawn[:0], m.Announced[:0]
	m.Attrs.reset(size)
	cut := m.Truncated
	if len(b) < 2 {
		if cut {
			return nil
		}
		return malformed("UPDATE withdrawn length cut short")
	}
	wl := int(binary.BigEndian.Uint16(b))
	var err error
	if len(b) < 2+wl+2 {
		if !cut {
			return malformed("UPDATE withdrawn routes length %d exceeds message", wl)
		}
		m.Withdrawn, err = appendPrefixesCut(m.Withdrawn, b[2:min(len(b), 2+wl)], AFIIPv4, m.AddPath, true)
		return err
	}
	if m.Withdrawn, err = appendPrefixes(m.Withdrawn, b[2:2+wl], AFIIPv4, m.AddPath); err != nil {
		return malformed("withdrawn routes: %v", err)
	}
	b = b[2+wl:]
	al := int(binary.BigEndian.Uint16(b))
	if len(b) < 2+al {
		if !cut {
			return malformed("UPDATE path attribute length %d exceeds message", al)
		}
		return m.Attrs.parseCut(b[2:], size, m.AddPath, true)
	}
	if err := m.Attrs.parse(b[2:2+al], size, m.AddPath); err != nil {
		return err
	}
	if m.Announced, err = appendPrefixesCut(m.Announced, b[2+al:], AFIIPv4, m.AddPath, cut); err != nil {
		return malformed("NLRI: %v", err)
	}
	return nil
}

// decodeEntry decodes the obsolete BGP4MP_ENTRY record (one RIB entry with 2-byte ASNs):
// source AS, destination AS, interface, AFI, source and destination address, view, status, time
// of last change, AFI, SAFI, next hop, prefix and attributes. OpenBGPD, the one known writer,
// puts its own address first and the peer's second (its TABLE_DUMP_V2 dump of the same table
// names the second address as the peer), so the destination fields are taken as the peer.
func (d *Decoder) decodeEntry(rec *Record) (Body, error) {
	c := &cursor{b: rec.Body}
	r := &d.rib
	*r = RIB{Entries: r.Entries[:0], Entry: true}
	c.u16() // source AS
	peerAS := uint32(c.u16())
	c.u16() // interface index
	afi := c.u16()
	if afi != AFIIPv4 && afi != AFIIPv6 {
		return nil, malformed("BGP4MP_ENTRY address family %d", afi)
	}
	c.addr(afi) // source address
	peer := c.addr(afi)
	r.View, r.Status = c.u16(), c.u16()
	orig := c.u32()
	r.AFI, r.SAFI = c.u16(), c.u8()
	nh := c.take(int(c.u8()))
	if c.bad {
		return nil, malformed("BGP4MP_ENTRY header cut short")
	}
	if !knownFamily(r.AFI, r.SAFI) {
		return d.unsupported("BGP4MP_ENTRY address family not decoded"), nil
	}
	switch {
	case r.AFI == AFIIPv4 && len(nh) >= 4:
		r.NextHop = netip.AddrFrom4([4]byte(nh))
	case r.AFI == AFIIPv6 && len(nh) >= 16:
		r.NextHop = netip.AddrFrom16([16]byte(nh))
	}
	if err := d.ribPrefix(c, r); err != nil {
		return nil, err
	}
	attrs := c.take(int(c.u16()))
	if c.bad {
		return nil, malformed("BGP4MP_ENTRY cut short")
	}
	r.Entries = append(r.Entries, RIBEntry{Peer: Peer{Addr: peer, AS: peerAS}, Originated: orig})
	e := &r.Entries[0]
	if err := e.Attrs.parse(attrs, 2, false); err != nil {
		return nil, err
	}
	return r, nil
}
