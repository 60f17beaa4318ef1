package rpki

import "net/netip"

// genRoutes draws n routes by intended class and shuffles them.
func (g *synth) genRoutes(n int, st *SynthStats) []Route {
	out := make([]Route, 0, n)
	nValid, nInvalid, nLess := n*45/100, n*15/1000, n*5/1000
	for range nValid {
		out = append(out, g.validRoute())
		st.Valid++
	}
	for i := range nInvalid {
		out = append(out, g.invalidRoute(i, st))
	}
	for range nLess {
		a := g.allocs[g.rnd.IntN(len(g.allocs))]
		l := max(1, a.Prefix.Bits()-1-g.rnd.IntN(4))
		p, _ := a.Prefix.Addr().Prefix(l)
		out = append(out, Route{Prefix: p, Origin: g.asn(), OriginKnown: true})
		st.LessSpecific++
	}
	for len(out) < n {
		out = append(out, g.uncoveredRoute())
		st.Uncovered++
	}
	g.rnd.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	st.Routes = len(out)
	return out
}

func (g *synth) pickVRP(as0 bool) VRP {
	for {
		v := g.vrps[g.rnd.IntN(len(g.vrps))]
		if (v.ASN == 0) == as0 {
			return v
		}
	}
}

func (g *synth) validRoute() Route {
	v := g.pickVRP(false)
	limit := 24
	if !v.Prefix.Addr().Is4() {
		limit = 48
	}
	top := max(v.Prefix.Bits(), min(int(v.MaxLength), limit))
	l := v.Prefix.Bits() + g.rnd.IntN(top-v.Prefix.Bits()+1)
	return Route{Prefix: g.subprefix(v.Prefix, l), Origin: v.ASN, OriginKnown: true}
}

func (g *synth) invalidRoute(i int, st *SynthStats) Route {
	switch {
	case i%100 < 61:
		v := g.pickVRP(false)
		st.WrongOrigin++
		return Route{Prefix: v.Prefix, Origin: g.asn(), OriginKnown: true}
	case i%100 < 90:
		v := g.pickVRP(false)
		bl := v.Prefix.Addr().BitLen()
		if int(v.MaxLength) < bl {
			st.TooLong++
			l := min(bl, int(v.MaxLength)+1+g.rnd.IntN(2))
			return Route{Prefix: g.subprefix(v.Prefix, l), Origin: v.ASN, OriginKnown: true}
		}
		st.WrongOrigin++
		return Route{Prefix: v.Prefix, Origin: v.ASN + 1, OriginKnown: true}
	}
	v := g.pickVRP(true)
	st.UnderAS0++
	l := v.Prefix.Bits() + g.rnd.IntN(min(int(v.MaxLength), v.Prefix.Addr().BitLen()-1)-v.Prefix.Bits()+1)
	return Route{Prefix: g.subprefix(v.Prefix, l), Origin: g.asn(), OriginKnown: true}
}

// uncoveredRoute draws a route in space without VRPs: a free v4 /16 (88%) or a v6 /29 outside
// 2000::/4.
func (g *synth) uncoveredRoute() Route {
	if g.rnd.IntN(100) < 88 && len(g.free4) > 0 {
		top := g.free4[g.rnd.IntN(len(g.free4))]
		base := netip.PrefixFrom(u32Addr(top<<16), 16)
		return Route{Prefix: g.subprefix(base, 16+g.rnd.IntN(9)), Origin: g.asn(), OriginKnown: true}
	}
	hi := uint64(0x3)<<60 | g.rnd.Uint64()&(1<<60-1)
	base := netip.PrefixFrom(wordsAddr(hi, 0, false), 29).Masked()
	return Route{Prefix: g.subprefix(base, 29+g.rnd.IntN(20)), Origin: g.asn(), OriginKnown: true}
}
