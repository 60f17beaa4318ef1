package mrt

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// randomMRT builds n random records (TABLE_DUMP, TABLE_DUMP_V2, BGP4MP and
// BGP4MP_ET of all subtypes, random attribute sets). testdata/synthetic/
// random.mrt holds randomMRT(1, 600) and random.mrt.bgp.gz bgpdump 1.6.2's output for it
// (regenerate with MRT_UPDATE_VARIED=1).
func randomMRT(seed uint64, n int) []byte {
	g := &randGen{rng: rand.New(rand.NewPCG(seed, 42))}
	peers := []any{"192.0.2.1", uint32(65001), "2001:db8::1", uint32(4200000001), "10.0.0.2", uint32(23456)}
	out := rec(1500000000, TypeTableDumpV2, SubtypePeerIndexTable, peerIndex(peers...))
	// A second table with 2-byte AS entries replaces the first.
	out = append(out, rec(1500000000, TypeTableDumpV2, SubtypePeerIndexTable, cat(ip("192.0.2.254"), u16(4), []byte("view"), u16(3),
		[]byte{0}, ip("10.255.0.1"), ip("192.0.2.1"), u16(65001),
		[]byte{1}, ip("10.255.0.2"), ip("2001:db8::1"), u16(65002),
		[]byte{2}, ip("10.255.0.3"), ip("10.0.0.2"), u32(4200000003)))...)
	for i := 0; i < n; i++ {
		out = append(out, g.record(uint32(1500000000+i))...)
	}
	return out
}

type randGen struct{ rng *rand.Rand }

func (g *randGen) pick(n int) int { return g.rng.IntN(n) }

func (g *randGen) addr(v6 bool) string {
	if !v6 {
		return netip.AddrFrom4([4]byte{byte(1 + g.pick(223)), byte(g.pick(256)), byte(g.pick(4)), byte(g.pick(256))}).String()
	}
	var a [16]byte
	switch g.pick(6) {
	case 0:
		a[10], a[11] = 0xff, 0xff
		a[12], a[15] = byte(1+g.pick(200)), byte(g.pick(256))
	case 1:
		a[15] = byte(g.pick(4))
	default:
		a[0], a[1], a[2], a[3] = 0x20, 0x01, 0x0d, 0xb8
		for _, i := range []int{5, 7, 9, 13, 15} {
			if g.pick(2) == 0 {
				a[i] = byte(g.pick(256))
			}
		}
	}
	return netip.AddrFrom16(a).String()
}

func (g *randGen) prefix(v6 bool) []byte {
	bits := g.pick(33)
	if v6 {
		bits = g.pick(129)
	}
	return pfx(g.addr(v6), bits)
}

func (g *randGen) asn(size int) uint32 {
	switch g.pick(5) {
	case 0:
		return 23456
	case 1:
		if size == 4 {
			return 4200000000 + g.rng.Uint32N(1000)
		}
	}
	return 1 + g.rng.Uint32N(65000)
}

func (g *randGen) path(size int, as4 bool) []byte {
	var segs [][]uint32
	for i := 0; i < 1+g.pick(3); i++ {
		t := []SegmentType{SegSequence, SegSequence, SegSet, SegConfedSequence, SegConfedSet}[g.pick(5)]
		if as4 {
			t = []SegmentType{SegSequence, SegSet}[g.pick(2)]
		}
		seg := []uint32{uint32(t)}
		n := 1 + g.pick(5)
		if !as4 && i > 0 && g.pick(10) == 0 {
			n = 0 // empty segment (bgpdump would loop on an empty first one with AS4_PATH)
		}
		for j := 0; j < n; j++ {
			seg = append(seg, g.asn(size))
		}
		segs = append(segs, seg)
	}
	return path(size, segs...)
}

// attrs returns a random attribute block; nlri go into MP_REACH/MP_UNREACH when given.
func (g *randGen) attrs(size int, rib bool, v6 bool, addPath bool) []byte {
	var list [][]byte
	maybe := func(p int, b func() []byte) {
		if g.pick(100) < p {
			list = append(list, b())
		}
	}
	maybe(90, func() []byte { return origin(byte(g.pick(3))) })
	maybe(90, func() []byte {
		if g.pick(20) == 0 {
			return attr(0x40, AttrASPath, nil) // empty path: iBGP or own routes
		}
		if size == 4 && g.pick(40) == 0 {
			return attr(0x40, AttrASPath, g.path(2, false)) // wrongly 2-byte encoded
		}
		return attr(0x40, AttrASPath, g.path(size, false))
	})
	maybe(70, func() []byte { return nexthop(g.addr(false)) })
	maybe(40, func() []byte { return attr(0x80, AttrMED, u32(g.rng.Uint32())) })
	maybe(40, func() []byte { return attr(0x40, AttrLocalPref, u32(g.rng.Uint32N(3)*2000000000)) })
	maybe(15, func() []byte { return attr(0x40, AttrAtomicAggregate, nil) })
	maybe(20, func() []byte {
		a := ip(g.addr(false))
		if g.pick(5) == 0 {
			a = ip("255.255.255.255")
		}
		if size == 2 {
			return attr(0xc0, AttrAggregator, cat(u16(int(g.asn(2))), a))
		}
		return attr(0xc0, AttrAggregator, cat(u32(g.asn(4)), a))
	})
	maybe(40, func() []byte {
		var cs []uint32
		for i := 0; i < 1+g.pick(4); i++ {
			cs = append(cs, []uint32{0xFFFFFF01, 0xFFFFFF02, 0xFFFFFF03, g.rng.Uint32()}[g.pick(4)])
		}
		return comms(cs...)
	})
	if size == 2 {
		maybe(40, func() []byte { return attr(0xc0, AttrAS4Path, g.path(4, true)) })
		maybe(20, func() []byte { return attr(0xc0, AttrAS4Aggregator, cat(u32(g.asn(4)), ip(g.addr(false)))) })
	}
	maybe(15, func() []byte { return attr(0xc0, AttrLargeCommunities, cat(u32(1), u32(2), u32(3))) })
	maybe(10, func() []byte { return attr(0xc0, byte(40+g.pick(50)), []byte{1, 2}) })
	if rib && g.pick(10) == 0 {
		// Full-form MP_REACH_NLRI, as some exporters write it in RIBs.
		list = append(list, mpReach(map[bool]int{false: 1, true: 2}[v6], 1, ip(g.addr(v6)), g.prefix(v6)))
	} else if rib {
		maybe(30, func() []byte {
			nh := ip(g.addr(v6))
			if v6 && g.pick(3) == 0 {
				nh = cat(nh, ip("fe80::1"))
			}
			return attr(0x80, AttrMPReach, cat([]byte{byte(len(nh))}, nh))
		})
	} else {
		id := func(p []byte) []byte {
			if addPath {
				return cat(u32(g.rng.Uint32N(10)), p)
			}
			return p
		}
		maybe(30, func() []byte {
			v := g.pick(2) == 0
			nh := ip(g.addr(v))
			if v && g.pick(3) == 0 {
				nh = cat(nh, ip("fe80::2"))
			}
			return mpReach(map[bool]int{false: 1, true: 2}[v], 1+g.pick(2), nh, id(g.prefix(v)), id(g.prefix(v)))
		})
		maybe(20, func() []byte {
			v := g.pick(2) == 0
			if g.pick(5) == 0 {
				return mpUnreach(map[bool]int{false: 1, true: 2}[v], 1) // End-of-RIB
			}
			return mpUnreach(map[bool]int{false: 1, true: 2}[v], 1+g.pick(2), id(g.prefix(v)))
		})
	}
	// Ascending type codes, as speakers send them (bgpdump asserts on AS4_AGGREGATOR before
	// AGGREGATOR).
	slices.SortStableFunc(list, func(a, b []byte) int { return int(a[1]) - int(b[1]) })
	for i, a := range list {
		if a[0]&0x10 == 0 && g.pick(5) == 0 { // extended length although the value is short
			list[i] = cat([]byte{a[0] | 0x10, a[1]}, u16(int(a[2])), a[3:])
		}
	}
	return cat(list...)
}

func (g *randGen) record(ts uint32) []byte {
	switch g.pick(5) {
	case 0: // TABLE_DUMP_V2 RIB
		v6, ap := g.pick(2) == 0, g.pick(3) == 0
		sub := map[bool]int{false: SubtypeRIBIPv4Unicast, true: SubtypeRIBIPv6Unicast}[v6]
		if ap {
			sub += 6
		}
		body := cat(u32(ts), g.prefix(v6), u16(2))
		for e := 0; e < 2; e++ {
			body = cat(body, ribEntry(g.pick(3), ts, ap, g.rng.Uint32N(9), g.attrs(4, true, v6, false)))
		}
		return rec(ts, TypeTableDumpV2, sub, body)
	case 1: // TABLE_DUMP v1
		v6 := g.pick(2) == 0
		attrs := g.attrs(2, true, v6, false)
		p := g.prefix(v6)
		addr := make([]byte, map[bool]int{false: 4, true: 16}[v6])
		copy(addr, p[1:])
		return rec(ts, TypeTableDump, map[bool]int{false: 1, true: 2}[v6], cat(u16(0), u16(int(ts%65536)), addr,
			[]byte{p[0], 1}, u32(ts), ip(g.addr(v6)), u16(int(g.asn(2))), u16(len(attrs)), attrs))
	case 2: // state change
		v6, as4 := g.pick(2) == 0, g.pick(2) == 0
		size := map[bool]int{false: 2, true: 4}[as4]
		asns := cat(u16(int(g.asn(2))), u16(int(g.asn(2))))
		if as4 {
			asns = cat(u32(g.asn(4)), u32(g.asn(4)))
		}
		body := cat(asns, u16(0), u16(map[bool]int{false: 1, true: 2}[v6]), ip(g.addr(v6)), ip(g.addr(v6)),
			u16(1+g.pick(6)), u16(1+g.pick(6)))
		sub := map[bool]int{false: SubtypeStateChange, true: SubtypeStateChangeAS4}[as4]
		_ = size
		if g.pick(3) == 0 {
			return etRec(ts, g.rng.Uint32N(1000000), sub, body)
		}
		return rec(ts, TypeBGP4MP, sub, body)
	default: // UPDATE
		sub := []int{1, 4, 6, 7, 8, 9, 10, 11}[g.pick(8)]
		as4 := sub == 4 || sub == 7 || sub == 9 || sub == 11
		ap := sub >= 8
		size := map[bool]int{false: 2, true: 4}[as4]
		v6 := g.pick(3) == 0
		head := bgp4mpHead(as4, g.asn(size), g.asn(size), g.addr(v6), g.addr(v6))
		var wd, nlri []byte
		for i := 0; i < g.pick(3); i++ {
			if ap {
				wd = cat(wd, u32(g.rng.Uint32N(5)))
			}
			wd = cat(wd, g.prefix(false))
		}
		for i := 0; i < g.pick(3); i++ {
			if ap {
				nlri = cat(nlri, u32(g.rng.Uint32N(5)))
			}
			nlri = cat(nlri, g.prefix(false))
		}
		attrs := g.attrs(size, false, v6, ap)
		if g.pick(20) == 0 {
			wd, attrs, nlri = nil, nil, nil // End-of-RIB marker
		}
		body := cat(head, bgpUpdate(wd, attrs, nlri))
		if g.pick(4) == 0 {
			return etRec(ts, g.rng.Uint32N(1000000), sub, body)
		}
		return rec(ts, TypeBGP4MP, sub, body)
	}
}

func TestDumpRandom(t *testing.T) {
	data := randomMRT(1, 600)
	in := filepath.Join("testdata", "synthetic", "random.mrt")
	if os.Getenv("MRT_UPDATE_VARIED") != "" {
		updateVaried(t, in, data)
	}
	stored, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored, data) {
		t.Fatalf("%s is stale: regenerate with MRT_UPDATE_VARIED=1 (needs bgpdump)", in)
	}
	var got bytes.Buffer
	st, err := Dump(&got, bytes.NewReader(data))
	if err != nil || st.Malformed != 0 {
		t.Fatalf("Dump: %v, malformed %v", err, st.Errors)
	}
	if want := readGzip(t, in+".bgp.gz"); !bytes.Equal(got.Bytes(), want) {
		t.Errorf("output differs from bgpdump -m:\n%s", firstDiff(got.Bytes(), want))
	}
}
