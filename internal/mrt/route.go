package mrt

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// Action says what a route line means.
type Action uint8

// Route actions, with the letters bgpdump uses.
const (
	ActionRIB      Action = 'B' // entry of a RIB dump
	ActionAnnounce Action = 'A' // announced in an UPDATE
	ActionWithdraw Action = 'W' // withdrawn in an UPDATE
)

// Route is one route seen in a RIB dump, an UPDATE, or a bgpdump -m line. For withdrawals only
// Time, Action, PeerIP, PeerAS, Prefix and PathID are set.
type Route struct {
	Time       time.Time // record time (UTC), with microseconds for BGP4MP_ET
	Originated time.Time // RIB entries: when the route was last changed (zero otherwise)
	Action     Action
	PeerIP     netip.Addr
	PeerAS     uint32
	Prefix     netip.Prefix // as received: host bits are kept; use Prefix.Masked() to normalise
	SAFI       uint8        // 1 unicast, 2 multicast, 3 both
	AddPath    bool         // PathID is meaningful
	PathID     uint32

	// Path is the effective AS path (AS4_PATH merged for 2-byte sessions, RFC 6793).
	Path ASPath
	// OriginAS is the rightmost AS of a final AS_SEQUENCE. With OriginKind OriginASSet there is
	// no single origin (RFC 6811: such a route is never Valid); with OriginLocal the path is
	// empty and OriginAS is the peer's AS.
	OriginAS   uint32
	OriginKind OriginKind

	Origin           uint8 // ORIGIN attribute: 0 IGP, 1 EGP, 2 INCOMPLETE (255 when absent)
	NextHop          netip.Addr
	LocalPref        uint32
	MED              uint32
	AtomicAggregate  bool
	Communities      []uint32
	LargeCommunities []LargeCommunity
}

// Clone returns a copy of the route that does not share memory with the reader.
func (r *Route) Clone() Route {
	c := *r
	c.Path = r.Path.Clone()
	c.Communities = append([]uint32(nil), r.Communities...)
	c.LargeCommunities = append([]LargeCommunity(nil), r.LargeCommunities...)
	return c
}

// setPath fills the path and origin fields.
func (r *Route) setPath(p ASPath) {
	r.Path = p
	r.OriginAS, r.OriginKind = p.Origin()
	if r.OriginKind == OriginLocal {
		r.OriginAS = r.PeerAS
	}
}

func (r *Route) setAttrs(a *Attributes) {
	r.setPath(a.Path())
	r.Origin = a.Origin
	r.LocalPref, r.MED = a.LocalPref, a.MED
	r.AtomicAggregate = a.AtomicAggregate()
	r.Communities, r.LargeCommunities = a.Communities, a.LargeCommunities
}

// RouteReader iterates the routes of an MRT stream: every RIB entry of TABLE_DUMP and
// TABLE_DUMP_V2 records, and every announced and withdrawn prefix of BGP4MP UPDATEs (plain and
// MP_REACH/MP_UNREACH, IPv4 and IPv6). Malformed records are skipped and counted.
type RouteReader struct {
	rd    *Reader
	dec   *Decoder
	stats Stats
	route Route

	rec      *Record
	rib      *RIB
	ribNext  int
	pending  []Route
	pendNext int
}

// NewRouteReader returns a RouteReader for the MRT stream r (plain, gzip or bzip2).
func NewRouteReader(r io.Reader) (*RouteReader, error) {
	rd, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	return &RouteReader{rd: rd, dec: NewDecoder()}, nil
}

// Close releases the reader's decompression goroutine; see Reader.Close.
func (rr *RouteReader) Close() error { return rr.rd.Close() }

// Stats returns the counts so far.
func (rr *RouteReader) Stats() Stats { return rr.stats }

// Next returns the next route, valid until the following call. It returns io.EOF at the end
// of the stream and a *FormatError when the stream is truncated or corrupt.
func (rr *RouteReader) Next() (*Route, error) {
	for {
		if rr.rib != nil && rr.ribNext < len(rr.rib.Entries) {
			i := rr.ribNext
			rr.ribNext++
			if rr.rib.Entries[i].Err != nil {
				continue // counted when the record was loaded
			}
			if err := rr.rib.Entries[i].Attrs.pathErr; err != nil {
				rr.pathMalformed(fmt.Sprintf("RIB entry %d: %v", i, err))
				continue
			}
			rr.fillRIB(i)
			return &rr.route, nil
		}
		if rr.pendNext < len(rr.pending) {
			rr.pendNext++
			return &rr.pending[rr.pendNext-1], nil
		}
		if err := rr.load(); err != nil {
			return nil, err
		}
	}
}

// load reads and decodes the next record carrying routes.
func (rr *RouteReader) load() error {
	rr.rib, rr.pending, rr.pendNext = nil, rr.pending[:0], 0
	rec, err := rr.rd.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return err
	}
	rr.stats.Records++
	rr.rec = rec
	body, err := rr.dec.Decode(rec)
	if err != nil {
		rr.stats.addMalformed(err)
		return nil
	}
	rr.stats.count(rec, body)
	switch b := body.(type) {
	case *RIB:
		rr.rib, rr.ribNext = b, 0
	case *BGP4MPMessage:
		if b.MsgType == MsgUpdate {
			rr.expandUpdate(b)
		}
	}
	return nil
}

func recordTime(rec *Record) time.Time {
	return time.Unix(int64(rec.Timestamp), int64(rec.Microseconds)*1000).UTC()
}

func (rr *RouteReader) fillRIB(i int) {
	e := &rr.rib.Entries[i]
	r := &rr.route
	*r = Route{
		Time: recordTime(rr.rec), Originated: time.Unix(int64(e.Originated), 0).UTC(),
		Action: ActionRIB, PeerIP: e.Peer.Addr, PeerAS: e.Peer.AS,
		Prefix: rr.rib.Prefix, SAFI: rr.rib.SAFI, AddPath: rr.rib.AddPath, PathID: e.PathID,
	}
	r.setAttrs(&e.Attrs)
	r.NextHop = e.Attrs.NextHop
	if rr.rib.NextHop.IsValid() {
		r.NextHop = rr.rib.NextHop
	}
	for _, mp := range e.Attrs.MPReach {
		if mp.NextHop.IsValid() && (mp.Abbreviated || mp.AFI == rr.rib.AFI) {
			r.NextHop = mp.NextHop
			break
		}
	}
}

// pathMalformed counts routes skipped for a malformed AS_PATH.
func (rr *RouteReader) pathMalformed(reason string) {
	rr.stats.addMalformed(&MalformedError{Offset: rr.rec.Offset, Type: rr.rec.Type, Subtype: rr.rec.Subtype, Reason: reason})
}

func (rr *RouteReader) expandUpdate(m *BGP4MPMessage) {
	base := Route{Time: recordTime(rr.rec), PeerIP: m.PeerIP, PeerAS: m.PeerAS, AddPath: m.AddPath, SAFI: SAFIUnicast}
	attrs := base
	attrs.setAttrs(&m.Attrs) // computes the merged path once for all prefixes
	add := func(act Action, n NLRI, safi uint8, nh netip.Addr) {
		r := base
		if act == ActionAnnounce {
			r = attrs
			r.NextHop = nh
		}
		r.Action, r.Prefix, r.PathID, r.SAFI = act, n.Prefix, n.PathID, safi
		rr.pending = append(rr.pending, r)
	}
	for _, n := range m.Withdrawn {
		add(ActionWithdraw, n, SAFIUnicast, netip.Addr{})
	}
	for _, mp := range m.Attrs.MPUnreach {
		for _, n := range mp.NLRI {
			add(ActionWithdraw, n, mp.SAFI, netip.Addr{})
		}
	}
	if m.Attrs.pathErr != nil {
		// Withdrawals stand; announcements without a usable path are skipped and counted.
		rr.pathMalformed("announcements skipped: " + m.Attrs.pathErr.Error())
		return
	}
	for _, n := range m.Announced {
		add(ActionAnnounce, n, SAFIUnicast, m.Attrs.NextHop)
	}
	for _, mp := range m.Attrs.MPReach {
		for _, n := range mp.NLRI {
			add(ActionAnnounce, n, mp.SAFI, mp.NextHop)
		}
	}
}
