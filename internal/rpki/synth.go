package rpki

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"strconv"
)

// SynthConfig sizes a synthetic full table for benchmarks.
type SynthConfig struct {
	Seed   uint64
	VRPs   int // approximate number of VRPs (the last allocation may overshoot a little)
	Routes int
}

// SynthStats counts what Synthesize wrote, by intended class.
type SynthStats struct {
	VRPs, VRPs4, VRPs6, AS0VRPs                   int
	Routes, Valid, WrongOrigin, TooLong, UnderAS0 int
	LessSpecific, Uncovered                       int
}

// synth is the generator state; all randomness comes from one PCG seeded by the config.
type synth struct {
	rnd    *rand.Rand
	vrps   []VRP
	free4  []uint32 // /16s (as their top 16 bits) that hold no VRP
	allocs []VRP    // one covering VRP per allocation, for less-specific routes
}

// Synthesize writes a deterministic synthetic VRP export (rpki-client JSON shape, "AS123" string
// ASNs) and a "PREFIX ORIGIN" route list. Two runs with the same config give identical bytes.
// The layout follows the benchmark of reference/rov-peer.md: v4 allocations /16-/24 with
// more-specific deaggregates, v6 allocations /29-/48, ~1% AS0, ~3% MOAS, 90% v4; routes are
// 45% valid, 1.5% invalid (wrong origin, too specific, under AS0), 0.5% less specific than an
// allocation and the rest in space without VRPs, 12% IPv6, shuffled.
func Synthesize(cfg SynthConfig, vrpsOut, routesOut io.Writer) (SynthStats, error) {
	g := &synth{rnd: rand.New(rand.NewPCG(cfg.Seed, 0x5eed))}
	var st SynthStats
	g.genVRPs(cfg.VRPs, &st)
	routes := g.genRoutes(cfg.Routes, &st)
	if err := writeSynthVRPs(vrpsOut, g.vrps); err != nil {
		return st, err
	}
	w := bufio.NewWriterSize(routesOut, 1<<20)
	var buf []byte
	for i, r := range routes {
		buf = r.Prefix.AppendTo(buf[:0])
		buf = append(buf, ' ')
		if i%2 == 0 {
			buf = append(buf, 'A', 'S')
		}
		buf = strconv.AppendUint(buf, uint64(r.Origin), 10)
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return st, err
		}
	}
	return st, w.Flush()
}

func writeSynthVRPs(out io.Writer, vrps []VRP) error {
	w := bufio.NewWriterSize(out, 1<<20)
	fmt.Fprintf(w, "{\n\t\"metadata\": {\n\t\t\"buildmachine\": \"routewarden-synth\",\n\t\t\"vrps\": %d\n\t},\n\t\"roas\": [\n", len(vrps))
	var buf []byte
	for i, v := range vrps {
		buf = append(buf[:0], "\t\t{ \"asn\": \"AS"...)
		buf = strconv.AppendUint(buf, uint64(v.ASN), 10)
		buf = append(buf, "\", \"prefix\": \""...)
		buf = v.Prefix.AppendTo(buf)
		buf = append(buf, "\", \"maxLength\": "...)
		buf = strconv.AppendUint(buf, uint64(v.MaxLength), 10)
		buf = append(buf, ", \"ta\": \""...)
		buf = append(buf, v.TA...)
		buf = append(buf, "\" }"...)
		if i < len(vrps)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	w.WriteString("\t]\n}\n")
	return w.Flush()
}

var synthTAs = []string{"ripe", "arin", "apnic", "lacnic", "afrinic"}

func (g *synth) asn() uint32 {
	if g.rnd.IntN(4) < 3 {
		return 1 + g.rnd.Uint32N(64000)
	}
	return 131072 + g.rnd.Uint32N(270000)
}

func (g *synth) add(p netip.Prefix, maxLen int, asn uint32, ta string, st *SynthStats) {
	g.vrps = append(g.vrps, VRP{Prefix: p, MaxLength: uint8(maxLen), ASN: asn, TA: ta})
	if asn == 0 {
		st.AS0VRPs++
	}
	if p.Addr().Is4() {
		st.VRPs4++
	} else {
		st.VRPs6++
	}
	st.VRPs++
}

func (g *synth) genVRPs(n int, st *SynthStats) {
	slash16 := make([]uint32, 0, 223<<8)
	for a := uint32(1 << 8); a < 224<<8; a++ {
		if a>>8 != 10 && a>>8 != 127 {
			slash16 = append(slash16, a)
		}
	}
	g.rnd.Shuffle(len(slash16), func(i, j int) { slash16[i], slash16[j] = slash16[j], slash16[i] })
	n4 := n * 9 / 10
	k := 0
	for ; k < len(slash16) && st.VRPs4 < n4; k++ {
		g.fill16(slash16[k], st)
	}
	g.free4 = slash16[k:]
	for st.VRPs < n {
		g.alloc6(st)
	}
}

// fill16 carves one /16 into disjoint allocations /16-/24, leaving ~15% gaps.
func (g *synth) fill16(top uint32, st *SynthStats) {
	pos, end := top<<16, (top+1)<<16
	ta := synthTAs[g.rnd.IntN(len(synthTAs))]
	for pos < end {
		align := 24
		for align > 16 && pos%(1<<(32-(align-1))) == 0 {
			align--
		}
		l := align + g.rnd.IntN(25-align)
		size := uint32(1) << (32 - l)
		if g.rnd.IntN(100) >= 15 {
			g.alloc(netip.PrefixFrom(u32Addr(pos), l), 24, ta, st)
		}
		pos += size
	}
}

func u32Addr(a uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)})
}

// alloc adds the VRPs of one allocation: the covering VRP, maybe a MOAS twin, and 0-63
// more-specific deaggregates down to floor.
func (g *synth) alloc(p netip.Prefix, floor int, ta string, st *SynthStats) {
	asn := g.asn()
	if g.rnd.IntN(100) == 0 {
		maxLen := p.Bits()
		if g.rnd.IntN(2) == 0 {
			maxLen = p.Addr().BitLen()
		}
		g.add(p, maxLen, 0, ta, st)
		g.allocs = append(g.allocs, VRP{Prefix: p, MaxLength: uint8(maxLen), ASN: 0})
		return
	}
	maxLen := p.Bits()
	if g.rnd.IntN(100) >= 81 {
		maxLen += g.rnd.IntN(floor - p.Bits() + 1)
	}
	g.add(p, maxLen, asn, ta, st)
	g.allocs = append(g.allocs, VRP{Prefix: p, MaxLength: uint8(maxLen), ASN: asn})
	if g.rnd.IntN(100) < 3 {
		g.add(p, maxLen, g.asn(), ta, st)
	}
	if p.Bits() >= floor {
		return
	}
	deagg := g.rnd.IntN(64)
	if g.rnd.IntN(2) == 0 {
		deagg = g.rnd.IntN(4)
	}
	for range deagg {
		l := p.Bits() + 1 + g.rnd.IntN(floor-p.Bits())
		sub := g.subprefix(p, l)
		o := asn
		if g.rnd.IntN(100) < 5 {
			o = g.asn()
		}
		g.add(sub, l, o, ta, st)
	}
}

// subprefix picks a random subprefix of p with length l.
func (g *synth) subprefix(p netip.Prefix, l int) netip.Prefix {
	hi, lo := addrWords(p.Addr())
	var rh, rl uint64 = g.rnd.Uint64(), g.rnd.Uint64()
	mh, ml := mask(uint8(p.Bits()))
	hi, lo = hi|rh&^mh, lo|rl&^ml
	mh, ml = mask(uint8(l))
	return netip.PrefixFrom(wordsAddr(hi&mh, lo&ml, p.Addr().Is4()), l)
}

func wordsAddr(hi, lo uint64, v4 bool) netip.Addr {
	if v4 {
		return u32Addr(uint32(hi >> 32))
	}
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	return netip.AddrFrom16(b)
}

// alloc6 adds allocations /29-/48 inside one random /29 of 2000::/4.
func (g *synth) alloc6(st *SynthStats) {
	hi := uint64(0x2)<<60 | g.rnd.Uint64()&(1<<60-1)
	base := netip.PrefixFrom(wordsAddr(hi, 0, false), 29).Masked()
	l := 29 + g.rnd.IntN(20)
	g.alloc(g.subprefix(base, l), 48, "ripe", st)
}
