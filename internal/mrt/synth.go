package mrt

import (
	"bufio"
	"encoding/binary"
	"io"
	"math/rand/v2"
)

// SyntheticRIB describes a deterministic synthetic TABLE_DUMP_V2 RIB, for benchmarks and for
// load tests of importers: Prefixes prefixes (a fifth of them IPv6), each seen from PeersPerPrefix
// of Peers peers, with realistic attributes (AS paths of 2–9 ASNs, a few ending in an AS_SET,
// communities, MED, an IPv6 next hop in MP_REACH_NLRI for IPv6 routes).
type SyntheticRIB struct {
	Prefixes       int
	Peers          int    // default 32
	PeersPerPrefix int    // default 10
	Seed           uint64 // same seed, same bytes
	Timestamp      uint32 // default 1700000000
}

// Routes returns the number of routes (RIB entries) the RIB holds.
func (s SyntheticRIB) Routes() int { return s.Prefixes * s.withDefaults().PeersPerPrefix }

func (s SyntheticRIB) withDefaults() SyntheticRIB {
	if s.Peers <= 0 {
		s.Peers = 32
	}
	if s.PeersPerPrefix <= 0 {
		s.PeersPerPrefix = 10
	}
	s.PeersPerPrefix = min(s.PeersPerPrefix, s.Peers)
	if s.Timestamp == 0 {
		s.Timestamp = 1700000000
	}
	return s
}

// WriteTo writes the RIB as uncompressed MRT to w.
func (s SyntheticRIB) WriteTo(w io.Writer) (int64, error) {
	s = s.withDefaults()
	bw := bufio.NewWriterSize(w, 256<<10)
	rng := rand.New(rand.NewPCG(s.Seed, 0x9e3779b97f4a7c15))
	cw := &countWriter{w: bw}
	cw.record(s.Timestamp, TypeTableDumpV2, SubtypePeerIndexTable, s.peerTable())
	var body, attrs []byte
	var origin uint32
	for i := 0; i < s.Prefixes && cw.err == nil; i++ {
		v6 := i%5 == 4
		body = body[:0]
		body = binary.BigEndian.AppendUint32(body, uint32(i))
		sub := uint16(SubtypeRIBIPv4Unicast)
		if v6 {
			sub = SubtypeRIBIPv6Unicast
			body = append(body, 48, 0x20, 0x01, 0x0d, byte(i>>16), byte(i>>8), byte(i))
		} else {
			body = append(body, 24, byte(1+i>>16%223), byte(i>>8), byte(i))
		}
		body = binary.BigEndian.AppendUint16(body, uint16(s.PeersPerPrefix))
		first := rng.IntN(s.Peers)
		if i%4 == 0 || i%5 == 4 {
			origin = 1 + rng.Uint32N(400000)
		}
		for e := 0; e < s.PeersPerPrefix; e++ {
			peer := (first + e) % s.Peers
			attrs = synthAttrs(attrs[:0], rng, peer, origin, v6)
			body = binary.BigEndian.AppendUint16(body, uint16(peer))
			// Most routes of a peer share its session start time, as in real RIBs.
			ts := s.Timestamp - 86400*uint32(peer)
			if rng.IntN(8) == 0 {
				ts = s.Timestamp - rng.Uint32N(86400*30)
			}
			body = binary.BigEndian.AppendUint32(body, ts)
			body = binary.BigEndian.AppendUint16(body, uint16(len(attrs)))
			body = append(body, attrs...)
		}
		cw.record(s.Timestamp, TypeTableDumpV2, sub, body)
	}
	if cw.err == nil {
		cw.err = bw.Flush()
	}
	return cw.n, cw.err
}

func (s SyntheticRIB) peerTable() []byte {
	b := []byte{192, 0, 2, 1, 0, 4, 't', 'e', 's', 't'}
	b = binary.BigEndian.AppendUint16(b, uint16(s.Peers))
	for p := 0; p < s.Peers; p++ {
		if p%4 == 3 {
			b = append(b, 3, 10, 0, byte(p>>8), byte(p))
			b = append(b, 0x20, 0x01, 0x07, 0xf8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(p>>8), byte(p))
		} else {
			b = append(b, 2, 10, 0, byte(p>>8), byte(p), 198, 51, byte(p>>8), byte(p))
		}
		b = binary.BigEndian.AppendUint32(b, peerAS(p))
	}
	return b
}

func peerAS(p int) uint32 { return 64512 + uint32(p)*7 }

// synthAttrs builds the attributes of one RIB entry. Paths are derived from (peer, origin) so that
// they repeat the way real tables do.
func synthAttrs(b []byte, rng *rand.Rand, peer int, origin uint32, v6 bool) []byte {
	h := uint32(peer)*2654435761 ^ origin*40503
	b = append(b, 0x40, AttrOrigin, 1, byte(h%7%3))
	n := 1 + int(h>>8%8)
	set := h>>12%50 == 0
	segs := 2 + 4*(n+1)
	if set {
		segs += 2 + 8
	}
	b = append(b, 0x50, AttrASPath, byte(segs>>8), byte(segs), byte(SegSequence), byte(n+1))
	b = binary.BigEndian.AppendUint32(b, peerAS(peer))
	for i := 1; i < n; i++ {
		b = binary.BigEndian.AppendUint32(b, transitASes[(h>>16+uint32(i)*31)%uint32(len(transitASes))])
	}
	b = binary.BigEndian.AppendUint32(b, origin)
	if set {
		b = append(b, byte(SegSet), 2)
		b = binary.BigEndian.AppendUint32(b, origin+1)
		b = binary.BigEndian.AppendUint32(b, origin+2)
	}
	if v6 {
		b = append(b, 0x80, AttrMPReach, 17, 16, 0x20, 0x01, 0x07, 0xf8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(peer>>8), byte(peer))
	} else {
		b = append(b, 0x40, AttrNextHop, 4, 198, 51, byte(peer>>8), byte(peer))
	}
	if peer%3 == 0 {
		b = append(b, 0x80, AttrMED, 4)
		b = binary.BigEndian.AppendUint32(b, rng.Uint32N(4)*10)
	}
	if c := (peer + int(h%3)) % 6; c > 0 {
		b = append(b, 0xc0, AttrCommunities, byte(4*c))
		for i := 0; i < c; i++ {
			b = binary.BigEndian.AppendUint32(b, (peerAS(peer)&0xffff)<<16|uint32(100*i+int(h%5)))
		}
	}
	return b
}

// transitASes is the pool the middle of synthetic paths is drawn from.
var transitASes = []uint32{174, 701, 1299, 2914, 3257, 3356, 3491, 4637, 5511, 6453, 6461, 6762,
	6830, 6939, 7018, 7473, 9002, 12956, 20473, 31133, 33891, 37100, 58453, 64049}

// countWriter writes MRT records and remembers the byte count and the first error.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) record(ts uint32, t Type, sub uint16, body []byte) {
	if c.err != nil {
		return
	}
	var h [12]byte
	binary.BigEndian.PutUint32(h[0:], ts)
	binary.BigEndian.PutUint16(h[4:], uint16(t))
	binary.BigEndian.PutUint16(h[6:], sub)
	binary.BigEndian.PutUint32(h[8:], uint32(len(body)))
	for _, p := range [][]byte{h[:], body} {
		n, err := c.w.Write(p)
		c.n += int64(n)
		if err != nil {
			c.err = err
			return
		}
	}
}
