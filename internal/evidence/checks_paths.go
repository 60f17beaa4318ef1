package evidence

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"routewarden/internal/asrel"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/rpki"
)

// orgRelations is the CAIDA graph with sibling links: ASNs of one organisation (the vendor's
// own ASNs, or one PeeringDB organisation) are S2S, so that traffic between them is never a
// leak.
type orgRelations struct {
	d *Data
	t Target
}

func (o orgRelations) Rel(a, b uint32) asrel.Rel {
	if a != b && o.d.siblings(o.t, a, b) {
		return asrel.S2S
	}
	return o.d.ASRel.Rel(a, b)
}

// siblings reports whether a and b belong to one organisation: both are the target's ASNs, or
// PeeringDB files both under one organisation.
func (d *Data) siblings(t Target, a, b uint32) bool {
	own := func(x uint32) bool { return x == t.ASN || slices.Contains(t.Siblings, x) }
	if own(a) && own(b) {
		return true
	}
	if d.PeeringDB == nil {
		return false
	}
	na, ok1 := d.PeeringDB.Network(a)
	nb, ok2 := d.PeeringDB.Network(b)
	return ok1 && ok2 && na.OrgID != 0 && na.OrgID == nb.OrgID
}

var leakTypeName = map[int]string{1: "type 1, provider route to a provider", 2: "type 2, peer route to a peer",
	3: "type 3, provider route to a peer", 4: "type 4, peer route to a provider"}

// valleyFree looks for leaks by the ASN on the paths it passes on. Relationships are CAIDA's
// inferences, so every finding is inferred and comes with its path.
func valleyFree(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Transit(t.ASN)
	if len(routes) == 0 {
		unknown(r, fmt.Sprintf("AS%d is not seen passing on other networks' routes in the routes snapshot; leaks cannot be observed.", t.ASN))
		return
	}
	rels := orgRelations{d, t}
	checked := map[*Path]asrel.PathCheck{}
	leaks, undecided, total := 0, 0, 0
	eachPrefix(routes, func(p netip.Prefix, rs []Route) {
		total++
		var leak *asrel.Leak
		var leakPath *Path
		maybe := false
		for _, rt := range rs {
			if rt.Path.HasSet {
				continue
			}
			pc, ok := checked[rt.Path]
			if !ok {
				pc = asrel.CheckPath(rels, rt.Path.ASNs)
				checked[rt.Path] = pc
			}
			for i := range pc.Leaks {
				if pc.Leaks[i].Leaker == t.ASN && leak == nil {
					leak, leakPath = &pc.Leaks[i], rt.Path
				}
			}
			if slices.Contains(pc.Undecided, t.ASN) {
				maybe = true
			}
		}
		switch {
		case leak != nil:
			leaks++
			l := *leak
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "path", Prefix: p.String(), Origin: leakPath.Origin, Path: leakPath.String(),
					Note: fmt.Sprintf("inferred leak (%s): received from AS%d (%s), sent to AS%d (%s); %s",
						leakTypeName[l.Type], l.From, l.Received, l.To, l.Sent, seenBy(rs))}
			})
		case maybe:
			undecided++
		}
	})
	measure(r, float64(leaks), "Inferred: AS%d leaked %d of %d distinct prefixes it passed on (valley-free rule over CAIDA relationships%s); %d more undecided for missing relationships.%s",
		t.ASN, leaks, total, siblingNote(d), undecided, ageGap(d))
}

func siblingNote(d *Data) string {
	if d.PeeringDB != nil {
		return "; links between the vendor's ASNs and between ASNs of one PeeringDB organisation are sibling links, never leaks"
	}
	return "; links between the vendor's own ASNs are sibling links, never leaks (import PeeringDB for other organisations' siblings)"
}

// ageGap says how far apart the AS-relationship inference and the routes are.
func ageGap(d *Data) string {
	rel, routes := d.Snapshots["asrel"], d.Snapshots["routes"]
	if rel == nil || routes == nil || rel.DataTime == nil || routes.DataTime == nil {
		return " The age of the relationships against the routes is not known."
	}
	gap := routes.DataTime.Sub(*rel.DataTime)
	days := int(gap.Abs().Round(24*time.Hour) / (24 * time.Hour))
	when := "older"
	if gap < 0 {
		when = "newer"
	}
	return fmt.Sprintf(" The relationships (%s) are %d days %s than the routes (%s).",
		rel.DataTime.Format("2006-01-02"), days, when, routes.DataTime.Format("2006-01-02"))
}

func suspiciousOriginations(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Originated(t.ASN)
	if len(routes) == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	n, total := 0, 0
	eachPrefix(routes, func(p netip.Prefix, rs []Route) {
		total++
		if d.VRPs.Validate(p, t.ASN, true) != rpki.Invalid {
			return
		}
		if _, ok := d.IRR.CoversRoute(p, t.ASN); ok {
			return
		}
		n++
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: p.String(), Origin: t.ASN, Path: rs[0].Path.String(), Note: "RPKI-invalid and no IRR route object for this origin; " + seenBy(rs)}
		})
	})
	measure(r, float64(n), "%d of %d distinct originated prefixes are both RPKI-invalid and absent from the IRR: possible hijacks or misconfigurations.", n, total)
}

// otherOrigins measures third-party originations of the vendor's expected prefixes (the vendor
// being hijacked, or a declared scrubbing provider). The figure is the number of distinct
// third-party origin ASNs not in Target.AllowedOrigins; each origin is one detail (kind
// "origin") so that an allow-list from the answers can be applied to the result.
func otherOrigins(d *Data, t Target, r *rw.CheckResult) {
	if len(t.Expected) == 0 {
		unknown(r, "No expected prefixes are recorded for this network; add them to the network to watch for other origins.")
		return
	}
	type seen struct {
		prefixes []string
		path     string
	}
	others := map[uint32]*seen{}
	var order []uint32
	d.Routes.Each(func(rt Route) {
		if !rt.Path.OriginKnown || rt.Path.Origin == t.ASN || slices.Contains(t.Siblings, rt.Path.Origin) {
			return
		}
		for _, e := range t.Expected {
			if e.Bits() <= rt.Prefix.Bits() && e.Contains(rt.Prefix.Addr()) && e.Addr().Is4() == rt.Prefix.Addr().Is4() {
				o := others[rt.Path.Origin]
				if o == nil {
					o = &seen{path: rt.Path.String()}
					others[rt.Path.Origin] = o
					order = append(order, rt.Path.Origin)
				}
				if ps := rt.Prefix.String(); !slices.Contains(o.prefixes, ps) {
					o.prefixes = append(o.prefixes, ps)
				}
				return
			}
		}
	})
	slices.Sort(order)
	n, allowed := 0, 0
	for _, a := range order {
		o := others[a]
		ok := slices.Contains(t.AllowedOrigins, a)
		note := "third-party origin of an expected prefix (or a more-specific): " + strings.Join(o.prefixes, ", ")
		if ok {
			allowed++
			note = "declared as authorised (for example DDoS scrubbing): " + strings.Join(o.prefixes, ", ")
		} else {
			n++
		}
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "origin", Origin: a, Prefix: o.prefixes[0], Path: o.path, Note: note}
		})
	}
	measure(r, float64(n), "%d third-party origin ASN(s) announce the %d expected prefixes or more-specifics%s; %d declared authorised origin(s) left out. This measures others originating the vendor's space, not the vendor's own monitoring.",
		n, len(t.Expected), originList(order, t.AllowedOrigins), allowed)
}

func originList(all, allowed []uint32) string {
	var out []uint32
	for _, a := range all {
		if !slices.Contains(allowed, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " (" + asList(out) + ")"
}

// neighbours classifies the ASes seen next to asn on the paths of routes it originates by
// their CAIDA relationship to it. A neighbour without a known relationship is unknown — never
// counted as a provider.
type neighbours struct {
	providers, peers, customers, siblings, unknown []uint32
	routes                                         int
	direct, withSet                                int // upstreamsOf: routes without a classified hop
}

func (n neighbours) all() []uint32 {
	out := slices.Concat(n.providers, n.peers, n.customers, n.siblings, n.unknown)
	slices.Sort(out)
	return out
}

func neighboursOf(d *Data, t Target) neighbours {
	routes := d.Routes.Originated(t.ASN)
	res := neighbours{routes: len(routes)}
	seen := map[uint32]bool{}
	for _, rt := range routes {
		p := rt.Path.ASNs
		i := len(p) - 1
		for i >= 0 && p[i] == t.ASN {
			i--
		}
		if i < 0 || seen[p[i]] {
			continue
		}
		n := p[i]
		seen[n] = true
		switch {
		case d.siblings(t, t.ASN, n):
			res.siblings = append(res.siblings, n)
		case d.ASRel == nil:
			res.unknown = append(res.unknown, n)
		default:
			switch d.ASRel.Rel(t.ASN, n) {
			case asrel.C2P:
				res.providers = append(res.providers, n)
			case asrel.P2P:
				res.peers = append(res.peers, n)
			case asrel.P2C:
				res.customers = append(res.customers, n)
			default:
				res.unknown = append(res.unknown, n)
			}
		}
	}
	for _, l := range []*[]uint32{&res.providers, &res.peers, &res.customers, &res.siblings, &res.unknown} {
		slices.Sort(*l)
	}
	return res
}

func (n neighbours) unknownNote(d *Data) string {
	if len(n.unknown) == 0 {
		return ""
	}
	why := "no CAIDA relationship is known for them"
	if d.ASRel == nil {
		why = "no AS-relationship data has been imported"
	}
	return fmt.Sprintf(" %d neighbour(s) of unknown relationship, not counted as providers (%s): %s.", len(n.unknown), why, asList(n.unknown))
}

func aspaPublished(d *Data, t Target, r *rw.CheckResult) {
	if d.ASPACount == 0 {
		unknown(r, "The VRP snapshot holds no ASPA objects at all (the export may predate ASPA); publication cannot be judged.")
		return
	}
	ps, ok := d.VRPs.ASPA()[t.ASN]
	if !ok {
		measure(r, 0, "No ASPA object for AS%d among the %d in the VRP snapshot.", t.ASN, d.ASPACount)
		return
	}
	measure(r, 1, "AS%d publishes an ASPA with %d provider(s): %s.", t.ASN, len(ps), asList(ps))
}

func asList(asns []uint32) string {
	parts := make([]string, len(asns))
	for i, a := range asns {
		parts[i] = fmt.Sprintf("AS%d", a)
	}
	return strings.Join(parts, ", ")
}

func aspaProviders(d *Data, t Target, r *rw.CheckResult) {
	ps, ok := d.VRPs.ASPA()[t.ASN]
	if !ok {
		unknown(r, fmt.Sprintf("AS%d publishes no ASPA object, so there is no provider set to compare.", t.ASN))
		return
	}
	nb := neighboursOf(d, t)
	ups := nb.providers
	if nb.routes > 0 && len(ups) == 0 && len(nb.unknown) == 0 && len(ps) == 1 && ps[0] == 0 {
		measure(r, 1, "AS%d attests to having no providers (ASPA with AS0), and no provider is observed in the data.", t.ASN)
		return
	}
	if len(ups) == 0 {
		unknown(r, fmt.Sprintf("No provider of AS%d is established from the routes and AS relationships.%s", t.ASN, nb.unknownNote(d)))
		return
	}
	in := 0
	for _, u := range ups {
		if slices.Contains(ps, u) {
			in++
		} else {
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "object", Note: fmt.Sprintf("observed provider AS%d is not in the ASPA provider set", u)}
			})
		}
	}
	for _, u := range nb.unknown {
		if !slices.Contains(ps, u) {
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "object", Note: fmt.Sprintf("neighbour AS%d has an unknown relationship: not required in the ASPA", u)}
			})
		}
	}
	ratio := float64(in) / float64(len(ups))
	measure(r, ratio, "%d of %d observed providers (%s) are in the ASPA provider set (%s).%s", in, len(ups), asList(ups), asList(ps), nb.unknownNote(d))
}

// aspaPaths verifies, for each route the ASN passed on, the AS_PATH as the ASN received it
// (from its neighbour to the origin): a fault behind the ASN is one it could have caught; what
// networks after it did, and its own originations, are not its doing. Routes from a customer
// or peer get upstream verification, routes from a provider downstream verification; when
// the relationship is not known, downstream verification (whose Invalid implies upstream's).
func aspaPaths(d *Data, t Target, r *rw.CheckResult) {
	if d.ASPACount == 0 {
		unknown(r, "The VRP snapshot holds no ASPA objects; path verification would say unknown for every path.")
		return
	}
	routes := d.Routes.Transit(t.ASN)
	if len(routes) == 0 {
		unknown(r, fmt.Sprintf("AS%d is not seen passing on other networks' routes in the routes snapshot; what it accepts cannot be observed.", t.ASN))
		return
	}
	idx := d.VRPs.ASPA()
	type verdict struct {
		st  rpki.ASPAState
		dir string
	}
	verified := map[*Path]verdict{}
	var valid, invalid, unk, total, guessed int
	eachPrefix(routes, func(p netip.Prefix, rs []Route) {
		total++
		best := rpki.ASPAUnknown
		var bad *Route
		var badV verdict
		for i := range rs {
			rt := &rs[i]
			v, ok := verified[rt.Path]
			if !ok {
				seg, _ := receivedSegment(rt.Path, t.ASN)
				dir, name := rpki.Downstream, "downstream: relationship unknown"
				if d.ASRel != nil && len(seg) > 0 {
					switch rel := d.ASRel.Rel(t.ASN, seg[0]); rel {
					case asrel.P2C, asrel.P2P:
						dir, name = rpki.Upstream, "upstream: received from a "+map[asrel.Rel]string{asrel.P2C: "customer", asrel.P2P: "peer"}[rel]
					case asrel.C2P:
						name = "downstream: received from a provider"
					}
				}
				if strings.HasSuffix(name, "unknown") {
					guessed++
				}
				switch {
				case rt.Path.HasSet:
					v = verdict{rpki.ASPAInvalid, "AS_SET in the path"}
				default:
					v = verdict{idx.VerifySequence(seg, dir), name}
				}
				verified[rt.Path] = v
			}
			switch {
			case v.st == rpki.ASPAInvalid && bad == nil:
				bad, badV = rt, v
			case v.st == rpki.ASPAValid:
				best = rpki.ASPAValid
			}
		}
		switch {
		case bad != nil:
			invalid++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "path", Prefix: p.String(), Origin: bad.Path.Origin, Path: bad.Path.String(),
					Note: fmt.Sprintf("ASPA-invalid as AS%d received it (%s); %s", t.ASN, badV.dir, seenBy(rs))}
			})
		case best == rpki.ASPAValid:
			valid++
		default:
			unk++
		}
	})
	if valid+invalid == 0 {
		unknown(r, fmt.Sprintf("None of the %d prefixes AS%d passed on can be verified: the ASes behind it publish no ASPA.", total, t.ASN))
		return
	}
	measure(r, float64(invalid), "Of %d distinct prefixes AS%d passed on, judged on the path as it received them, %d are ASPA-valid, %d invalid and %d unknown (draft-ietf-sidrops-aspa-verification; %d path(s) verified downstream for want of a known relationship).",
		total, t.ASN, valid, invalid, unk, guessed)
}

func upstreams(d *Data, t Target, r *rw.CheckResult) {
	nb := upstreamsOf(d, t)
	if nb.routes == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	ups := nb.providers
	for _, u := range ups {
		addDetail(r, func() rw.Detail { return rw.Detail{Kind: "object", Note: fmt.Sprintf("upstream provider AS%d", u)} })
	}
	for _, u := range nb.unknown {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "object", Note: fmt.Sprintf("neighbour AS%d: relationship unknown", u)}
		})
	}
	via := ""
	if len(nb.siblings) > 0 {
		via = fmt.Sprintf(" Its routes pass through its own network(s) %s first; their upstreams are its upstreams.", asList(nb.siblings))
	}
	switch {
	case len(ups) > 0:
		measure(r, float64(len(ups)), "%d upstream provider(s) observed for AS%d's routes: %s.%s%s", len(ups), t.ASN, asList(ups), via, nb.unknownNote(d))
	case len(nb.unknown) > 0:
		unknown(r, fmt.Sprintf("No provider of AS%d is established from the routes and AS relationships.%s%s", t.ASN, via, nb.unknownNote(d)))
	case len(nb.peers)+len(nb.customers) >= 2:
		// Transit-free: the figure (no provider) cannot say this is fine, so the status is set.
		set(r, rw.StatusPass, 0, "AS%d is transit-free in the data: its routes reach the collectors through %d peers or customers (%s), no provider.%s",
			t.ASN, len(nb.peers)+len(nb.customers), asList(slices.Concat(nb.peers, nb.customers)), via)
	case len(nb.peers)+len(nb.customers) == 1:
		set(r, rw.StatusWarn, 0, "AS%d's routes reach the collectors through %s only, not a provider.%s", t.ASN, asList(slices.Concat(nb.peers, nb.customers)), via)
	default:
		unknown(r, fmt.Sprintf("No upstream of AS%d is visible: of its %d route(s), %d reach the collectors straight from AS%d or its own networks and %d carry an AS_SET, which hides the neighbour.",
			t.ASN, nb.routes, nb.direct, t.ASN, nb.withSet))
	}
}

// upstreamsOf classifies the first network beyond AS t.ASN and its own networks on the paths of
// the routes it originates (HopWalker, as the concentration report does): providers are its
// observed upstreams; siblings lists the own networks the paths passed through.
func upstreamsOf(d *Data, t Target) neighbours {
	routes := d.Routes.Originated(t.ASN)
	res := neighbours{routes: len(routes)}
	own := func(a uint32) bool { return a == t.ASN || d.siblings(t, t.ASN, a) }
	w := HopWalker{Rel: d.ASRel, RouteServers: d.routeServerSet(), Own: own}
	seen := [HopCustomer + 1]map[uint32]bool{{}, {}, {}, {}}
	lists := [HopCustomer + 1]*[]uint32{HopUpstream: &res.providers, HopPeer: &res.peers, HopUnknown: &res.unknown, HopCustomer: &res.customers}
	through := map[uint32]bool{}
	var buf []uint32
	for _, rt := range routes {
		buf = DedupInto(buf, rt.Path.ASNs)
		kind, n, at := w.FirstHop(rt.Path, buf)
		switch kind {
		case HopSet:
			res.withSet++
			continue
		case HopDirect:
			res.direct++
			at = -1
		default:
			if !seen[kind][n] {
				seen[kind][n] = true
				*lists[kind] = append(*lists[kind], n)
			}
		}
		for i := len(buf) - 2; i > at; i-- {
			if a := buf[i]; a != t.ASN && own(a) && !through[a] {
				through[a] = true
				res.siblings = append(res.siblings, a)
			}
		}
	}
	for _, l := range []*[]uint32{&res.providers, &res.peers, &res.customers, &res.siblings, &res.unknown} {
		slices.Sort(*l)
	}
	return res
}
