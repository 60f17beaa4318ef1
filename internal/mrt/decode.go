package mrt

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

// Decoder decodes record bodies. It keeps the last PEER_INDEX_TABLE, which TABLE_DUMP_V2 RIB
// records refer to, and reuses its result structures: a Body is valid until the next Decode.
type Decoder struct {
	peers   PeerIndexTable
	havePIT bool
	rib     RIB
	msg     BGP4MPMessage
	state   StateChange
	unsupp  Unsupported
}

// NewDecoder returns a Decoder with no peer index table yet.
func NewDecoder() *Decoder { return &Decoder{} }

// Peers returns the current peer index table, if one has been decoded.
func (d *Decoder) Peers() (*PeerIndexTable, bool) { return &d.peers, d.havePIT }

// Decode decodes the body of rec. A record whose content is malformed yields a *MalformedError
// naming the record's offset; the caller skips it and goes on. In a TABLE_DUMP_V2 RIB record a
// malformed entry only sets that entry's Err.
func (d *Decoder) Decode(rec *Record) (Body, error) {
	b, err := d.decode(rec)
	if err != nil {
		var de decodeError
		reason := err.Error()
		if !errors.As(err, &de) {
			reason = "internal: " + reason
		}
		return nil, &MalformedError{Offset: rec.Offset, Type: rec.Type, Subtype: rec.Subtype, Reason: reason}
	}
	return b, nil
}

func (d *Decoder) decode(rec *Record) (Body, error) {
	switch rec.Type {
	case TypeTableDumpV2:
		return d.decodeTDv2(rec)
	case TypeTableDump:
		return d.decodeTDv1(rec)
	case TypeBGP4MP, TypeBGP4MPET:
		return d.decodeBGP4MP(rec)
	}
	return d.unsupported("record type not decoded"), nil
}

func (d *Decoder) unsupported(reason string) Body {
	d.unsupp.Reason = reason
	return &d.unsupp
}

// cursor reads big-endian fields and remembers the first overrun.
type cursor struct {
	b   []byte
	bad bool
}

func (c *cursor) take(n int) []byte {
	if c.bad || len(c.b) < n {
		c.bad = true
		return make([]byte, n)
	}
	v := c.b[:n]
	c.b = c.b[n:]
	return v
}

func (c *cursor) u8() uint8   { return c.take(1)[0] }
func (c *cursor) u16() uint16 { return binary.BigEndian.Uint16(c.take(2)) }
func (c *cursor) u32() uint32 { return binary.BigEndian.Uint32(c.take(4)) }

func (c *cursor) asn(size int) uint32 {
	if size == 2 {
		return uint32(c.u16())
	}
	return c.u32()
}

func (c *cursor) addr(afi uint16) netip.Addr {
	if afi == AFIIPv6 {
		return netip.AddrFrom16([16]byte(c.take(16)))
	}
	return netip.AddrFrom4([4]byte(c.take(4)))
}

func (d *Decoder) decodePeerIndex(c *cursor) (Body, error) {
	t := &d.peers
	t.CollectorID = c.addr(AFIIPv4)
	t.ViewName = string(c.take(int(c.u16())))
	n := int(c.u16())
	if c.bad {
		return nil, malformed("peer index table header cut short")
	}
	t.Peers = t.Peers[:0]
	for i := 0; i < n; i++ {
		typ := c.u8()
		p := Peer{BGPID: c.addr(AFIIPv4)}
		afi := uint16(AFIIPv4)
		if typ&1 != 0 {
			afi = AFIIPv6
		}
		p.Addr = c.addr(afi)
		size := 2
		if typ&2 != 0 {
			size = 4
		}
		p.AS = c.asn(size)
		if c.bad {
			return nil, malformed("peer entry %d of %d cut short", i, n)
		}
		t.Peers = append(t.Peers, p)
	}
	d.havePIT = true
	return t, nil
}

func (d *Decoder) decodeTDv2(rec *Record) (Body, error) {
	c := &cursor{b: rec.Body}
	r := &d.rib
	r.V1, r.Entry, r.View, r.Status, r.NextHop = false, false, 0, 0, netip.Addr{}
	switch rec.Subtype {
	case SubtypePeerIndexTable:
		return d.decodePeerIndex(c)
	case SubtypeRIBIPv4Unicast, SubtypeRIBIPv4UnicastAddPath:
		r.AFI, r.SAFI = AFIIPv4, SAFIUnicast
	case SubtypeRIBIPv4Multicast, SubtypeRIBIPv4MulticastAddPath:
		r.AFI, r.SAFI = AFIIPv4, SAFIMulticast
	case SubtypeRIBIPv6Unicast, SubtypeRIBIPv6UnicastAddPath:
		r.AFI, r.SAFI = AFIIPv6, SAFIUnicast
	case SubtypeRIBIPv6Multicast, SubtypeRIBIPv6MulticastAddPath:
		r.AFI, r.SAFI = AFIIPv6, SAFIMulticast
	case SubtypeRIBGeneric, SubtypeRIBGenericAddPath:
		r.Sequence = c.u32()
		r.AFI, r.SAFI = c.u16(), c.u8()
		if c.bad {
			return nil, malformed("RIB_GENERIC header cut short")
		}
		if !knownFamily(r.AFI, r.SAFI) {
			return d.unsupported("RIB_GENERIC address family not decoded"), nil
		}
	default:
		return d.unsupported("TABLE_DUMP_V2 subtype not decoded"), nil
	}
	r.AddPath = rec.Subtype >= SubtypeRIBIPv4UnicastAddPath
	if rec.Subtype != SubtypeRIBGeneric && rec.Subtype != SubtypeRIBGenericAddPath {
		r.Sequence = c.u32()
	}
	if err := d.ribPrefix(c, r); err != nil {
		return nil, err
	}
	return r, d.ribEntries(c, r)
}

func (d *Decoder) ribPrefix(c *cursor, r *RIB) error {
	bits := int(c.u8())
	max := 32
	if r.AFI == AFIIPv6 {
		max = 128
	}
	if bits > max {
		return malformed("prefix length %d exceeds %d", bits, max)
	}
	raw := c.take((bits + 7) / 8)
	if c.bad {
		return malformed("RIB prefix cut short")
	}
	r.Prefix = makePrefix(raw, bits, r.AFI)
	return nil
}

func (d *Decoder) ribEntries(c *cursor, r *RIB) error {
	n := int(c.u16())
	if c.bad {
		return malformed("RIB entry count cut short")
	}
	if !d.havePIT {
		return malformed("RIB record before any PEER_INDEX_TABLE")
	}
	if cap(r.Entries) < n {
		r.Entries = append(r.Entries[:cap(r.Entries)], make([]RIBEntry, n-cap(r.Entries))...)
	}
	r.Entries = r.Entries[:n]
	for i := range r.Entries {
		e := &r.Entries[i]
		e.PeerIndex = c.u16()
		e.Originated = c.u32()
		e.PathID = 0
		if r.AddPath {
			e.PathID = c.u32()
		}
		attrs := c.take(int(c.u16()))
		if c.bad {
			return malformed("RIB entry %d of %d cut short", i, n)
		}
		e.Err = nil
		if int(e.PeerIndex) >= len(d.peers.Peers) {
			e.Err = malformed("RIB entry %d: peer index %d beyond the %d peers", i, e.PeerIndex, len(d.peers.Peers))
			continue
		}
		e.Peer = d.peers.Peers[e.PeerIndex]
		if err := e.Attrs.parse(attrs, 4, false); err != nil {
			e.Err = malformed("RIB entry %d: %v", i, err)
		}
	}
	return nil
}

// decodeTDv1 decodes a TABLE_DUMP record. Subtypes 1 and 2 are RFC 6396 (IPv4, IPv6 with
// 2-byte ASNs); 3 and 4 are bgpdump's 4-byte-ASN variants.
func (d *Decoder) decodeTDv1(rec *Record) (Body, error) {
	afi, size := uint16(AFIIPv4), 2
	switch rec.Subtype {
	case 1:
	case 2:
		afi = AFIIPv6
	case 3:
		size = 4
	case 4:
		afi, size = AFIIPv6, 4
	default:
		return d.unsupported("TABLE_DUMP address family not decoded"), nil
	}
	c := &cursor{b: rec.Body}
	r := &d.rib
	r.V1, r.Entry, r.AFI, r.SAFI, r.AddPath, r.NextHop = true, false, afi, SAFIUnicast, false, netip.Addr{}
	r.View = c.u16()
	r.Sequence = uint32(c.u16())
	addr := c.addr(afi)
	bits := int(c.u8())
	r.Status = uint16(c.u8())
	if r.Entries == nil {
		r.Entries = make([]RIBEntry, 1)
	}
	r.Entries = r.Entries[:1]
	e := &r.Entries[0]
	e.Err = nil
	e.Originated = c.u32()
	e.PathID, e.PeerIndex = 0, 0
	e.Peer = Peer{Addr: c.addr(afi)}
	e.Peer.AS = c.asn(size)
	attrs := c.take(int(c.u16()))
	if c.bad {
		return nil, malformed("TABLE_DUMP record cut short")
	}
	if bits > addr.BitLen() {
		return nil, malformed("prefix length %d exceeds %d", bits, addr.BitLen())
	}
	r.Prefix = netip.PrefixFrom(addr, bits)
	if err := e.Attrs.parse(attrs, size, false); err != nil {
		return nil, err
	}
	return r, nil
}
