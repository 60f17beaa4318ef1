package evidence

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"routewarden/internal/asrel"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/rpki"
	"routewarden/internal/spoofer"
)

func irrCoverage(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Originated(t.ASN)
	if len(routes) == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	covered := 0
	for _, rt := range routes {
		if _, ok := d.IRR.CoversRoute(rt.Prefix, t.ASN); ok {
			covered++
		} else {
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "route", Prefix: rt.Prefix.String(), Origin: t.ASN, Note: "no route/route6 object for this origin covers it"}
			})
		}
	}
	ratio := float64(covered) / float64(len(routes))
	set(r, grade(ratio, 0.98, 0.5), ratio, "%d of %d originated routes (%.1f %%) have a matching IRR route object (exact or covering, same origin).", covered, len(routes), 100*ratio)
}

func irrPolicy(d *Data, t Target, r *rw.CheckResult) {
	an, ok := d.IRR.AutNum(t.ASN)
	switch {
	case !ok:
		set(r, rw.StatusFail, 0, "No aut-num object for AS%d in the IRR snapshot (%s).", t.ASN, d.Snapshots["irr"].Source)
	case !an.HasPolicy():
		set(r, rw.StatusWarn, 0, "aut-num AS%d (%s, source %s) exists but publishes no import and export policy.", t.ASN, an.Name, an.Source)
	default:
		set(r, rw.StatusPass, 1, "aut-num AS%d (%s, source %s) publishes %d import and %d export policy lines.", t.ASN, an.Name, an.Source, len(an.Imports), len(an.Exports))
	}
	if ok {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "object", Note: fmt.Sprintf("aut-num AS%d in %s line %d", t.ASN, an.File, an.Line)}
		})
	}
}

func irrASSet(d *Data, t Target, r *rw.CheckResult) {
	name, from := t.ASSet, "the vendor record"
	if name == "" && d.PeeringDB != nil {
		if n, ok := d.PeeringDB.Network(t.ASN); ok && len(n.ASSets()) > 0 {
			name, from = n.ASSets()[0].Name, "PeeringDB"
		}
	}
	if name == "" {
		set(r, rw.StatusWarn, 0, "No as-set is recorded for AS%d (neither in the vendor record nor in PeeringDB); customers' routes cannot be filtered by it.", t.ASN)
		return
	}
	if i := strings.Index(name, "::"); i >= 0 {
		name = name[i+2:]
	}
	members, err := d.IRR.ExpandASSet(name)
	if err != nil {
		set(r, rw.StatusFail, 0, "as-set %s (from %s) cannot be expanded in the IRR snapshot: %v.", name, from, err)
		return
	}
	set(r, rw.StatusPass, 1, "as-set %s (from %s) expands to %d ASNs.", name, from, len(members))
}

func bogonPrefixes(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Originated(t.ASN)
	if len(routes) == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	n, exempt := 0, 0
	for _, rt := range routes {
		if d.demo() && isDocPrefix(rt.Prefix) {
			exempt++
			continue
		}
		reason, bad := d.Bogons.IsBogonPrefix(rt.Prefix)
		if !bad && d.Delegated != nil {
			reason, bad = d.Delegated.IsUnallocatedPrefix(rt.Prefix)
		}
		if bad {
			n++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "route", Prefix: rt.Prefix.String(), Origin: t.ASN, Note: reason}
			})
		}
	}
	set(r, zeroIsPass(n), float64(n), "%d of %d originated routes are bogons (IANA special-purpose registries%s).%s", n, len(routes), delegatedNote(d), demoNote(exempt))
}

// demo reports whether the routes come from the synthetic demo, whose networks live in the
// documentation ranges (RFC 5737, RFC 3849, RFC 5398). Those ranges are exempt from the bogon
// checks there, and the result says so; real data is never exempt.
func (d *Data) demo() bool {
	s := d.Snapshots["routes"]
	return s != nil && s.Demo
}

var docPrefixes = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("2001:db8::/32")}

func isDocPrefix(p netip.Prefix) bool {
	for _, d := range docPrefixes {
		if d.Bits() <= p.Bits() && d.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func isDocASN(a uint32) bool { return (a >= 64496 && a <= 64511) || (a >= 65536 && a <= 65551) }

func demoNote(exempt int) string {
	if exempt == 0 {
		return ""
	}
	return fmt.Sprintf(" Demo data: %d item(s) in the documentation ranges the synthetic portfolio uses were exempted.", exempt)
}

func delegatedNote(d *Data) string {
	if d.Delegated != nil {
		return " and unallocated space from RIR statistics"
	}
	return "; unallocated space not checked without RIR statistics"
}

func bogonASNs(d *Data, t Target, r *rw.CheckResult) {
	routes := append(d.Routes.Originated(t.ASN), d.Routes.Transit(t.ASN)...)
	if len(routes) == 0 {
		unknown(r, fmt.Sprintf("AS%d appears on no path in the routes snapshot.", t.ASN))
		return
	}
	n, exempt := 0, 0
	// Many routes share a path: judge each distinct path once.
	seen := map[*Path]pathBogon{}
	for _, rt := range routes {
		v, ok := seen[rt.Path]
		if !ok {
			v = bogonInPath(d, rt.Path)
			seen[rt.Path] = v
		}
		exempt += v.exempt
		if v.bad {
			n++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "path", Prefix: rt.Prefix.String(), Path: rt.Path.String(), Note: bogonASNReason(d, v.asn)}
			})
		}
	}
	set(r, zeroIsPass(n), float64(n), "%d of %d paths through AS%d carry a bogon ASN.%s", n, len(routes), t.ASN, demoNote(exempt))
}

type pathBogon struct {
	asn    uint32 // the first bogon ASN on the path, when bad
	bad    bool
	exempt int // ASNs exempted as demo documentation ASNs
}

func isBogonASN(d *Data, a uint32) bool {
	if d.Bogons.HasASN(a) {
		return true
	}
	if d.Delegated != nil {
		_, bad := d.Delegated.IsUnallocatedASN(a)
		return bad
	}
	return false
}

func bogonASNReason(d *Data, a uint32) string {
	if reason, bad := d.Bogons.IsBogonASN(a); bad {
		return reason
	}
	reason, _ := d.Delegated.IsUnallocatedASN(a)
	return reason
}

// bogonInPath finds the first bogon ASN on a path.
func bogonInPath(d *Data, p *Path) (v pathBogon) {
	for _, a := range p.ASNs {
		if d.demo() && isDocASN(a) {
			v.exempt++
			continue
		}
		if isBogonASN(d, a) {
			v.asn, v.bad = a, true
			return v
		}
	}
	return v
}

func valleyFree(d *Data, t Target, r *rw.CheckResult) {
	routes := append(d.Routes.Originated(t.ASN), d.Routes.Transit(t.ASN)...)
	if len(routes) == 0 {
		unknown(r, fmt.Sprintf("AS%d appears on no path in the routes snapshot.", t.ASN))
		return
	}
	leaks, undecided := 0, 0
	checked := map[*Path]asrel.PathCheck{}
	for _, rt := range routes {
		if rt.Path.HasSet {
			continue
		}
		pc, ok := checked[rt.Path]
		if !ok {
			pc = asrel.CheckPath(d.ASRel, rt.Path.Dedup())
			checked[rt.Path] = pc
		}
		if pc.Leaked(t.ASN) {
			leaks++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "path", Prefix: rt.Prefix.String(), Origin: rt.Path.Origin, Path: rt.Path.String(), Note: "AS passes a route learned from a provider or peer to another provider or peer"}
			})
		} else if contains(pc.Undecided, t.ASN) {
			undecided++
		}
	}
	set(r, zeroIsPass(leaks), float64(leaks), "AS%d leaked on %d of %d observed paths (valley-free rule over CAIDA relationships); %d undecided for missing relationships.", t.ASN, leaks, len(routes), undecided)
}

func contains(list []uint32, a uint32) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

func suspiciousOriginations(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Originated(t.ASN)
	if len(routes) == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	n := 0
	for _, rt := range routes {
		if d.VRPs.Validate(rt.Prefix, t.ASN, true) != rpki.Invalid {
			continue
		}
		if _, ok := d.IRR.CoversRoute(rt.Prefix, t.ASN); ok {
			continue
		}
		n++
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: rt.Prefix.String(), Origin: t.ASN, Path: rt.Path.String(), Note: "RPKI-invalid and no IRR route object for this origin"}
		})
	}
	set(r, zeroIsPass(n), float64(n), "%d of %d originated routes are both RPKI-invalid and absent from the IRR: possible hijacks or misconfigurations.", n, len(routes))
}

func otherOrigins(d *Data, t Target, r *rw.CheckResult) {
	if len(t.Expected) == 0 {
		unknown(r, "No expected prefixes are recorded for this network; add them to the network to watch for other origins.")
		return
	}
	n := 0
	others := map[uint32]bool{}
	d.Routes.Each(func(rt Route) {
		if rt.Path.OriginKnown && (rt.Path.Origin == t.ASN || contains(t.Siblings, rt.Path.Origin)) {
			return
		}
		for _, e := range t.Expected {
			if e.Bits() <= rt.Prefix.Bits() && e.Contains(rt.Prefix.Addr()) && e.Addr().Is4() == rt.Prefix.Addr().Is4() {
				n++
				others[rt.Path.Origin] = true
				addDetail(r, func() rw.Detail {
					return rw.Detail{Kind: "route", Prefix: rt.Prefix.String(), Origin: rt.Path.Origin, Path: rt.Path.String(), Note: "expected prefix (or a more-specific) announced by another origin"}
				})
				return
			}
		}
	})
	set(r, zeroIsPass(n), float64(n), "%d announcements of the %d expected prefixes (or more-specifics) come from %d other origin(s).", n, len(t.Expected), len(others))
}

// upstreamsOf returns the ASes seen directly upstream of asn on the paths of routes it
// originates. With AS relationships, neighbours known to be its peers or customers are left out.
func upstreamsOf(d *Data, asn uint32) ([]uint32, int) {
	routes := d.Routes.Originated(asn)
	seen := map[uint32]bool{}
	for _, rt := range routes {
		p := rt.Path.Dedup()
		if len(p) < 2 {
			continue
		}
		n := p[len(p)-2]
		if d.ASRel != nil {
			if rel := d.ASRel.Rel(asn, n); rel == asrel.P2P || rel == asrel.P2C {
				continue
			}
		}
		seen[n] = true
	}
	out := make([]uint32, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, len(routes)
}

func aspaPublished(d *Data, t Target, r *rw.CheckResult) {
	if d.ASPACount == 0 {
		unknown(r, "The VRP snapshot holds no ASPA objects at all (the export may predate ASPA); publication cannot be judged.")
		return
	}
	ps, ok := d.VRPs.ASPA()[t.ASN]
	if !ok {
		set(r, rw.StatusFail, 0, "No ASPA object for AS%d among the %d in the VRP snapshot.", t.ASN, d.ASPACount)
		return
	}
	set(r, rw.StatusPass, 1, "AS%d publishes an ASPA with %d provider(s): %s.", t.ASN, len(ps), asList(ps))
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
	ups, n := upstreamsOf(d, t.ASN)
	if n > 0 && len(ups) == 0 && len(ps) == 1 && ps[0] == 0 {
		set(r, rw.StatusPass, 1, "AS%d attests to having no providers (ASPA with AS0), and no provider is observed in the data.", t.ASN)
		return
	}
	if n == 0 || len(ups) == 0 {
		unknown(r, fmt.Sprintf("No upstream provider of AS%d is observed in the routes snapshot.", t.ASN))
		return
	}
	in := 0
	for _, u := range ups {
		if contains(ps, u) {
			in++
		} else {
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "object", Note: fmt.Sprintf("observed upstream AS%d is not in the ASPA provider set", u)}
			})
		}
	}
	ratio := float64(in) / float64(len(ups))
	set(r, grade(ratio, 1, 0.5), ratio, "%d of %d observed upstreams (%s) are in the ASPA provider set (%s).", in, len(ups), asList(ups), asList(ps))
}

func aspaPaths(d *Data, t Target, r *rw.CheckResult) {
	if d.ASPACount == 0 {
		unknown(r, "The VRP snapshot holds no ASPA objects; path verification would say unknown for every path.")
		return
	}
	routes := append(d.Routes.Originated(t.ASN), d.Routes.Transit(t.ASN)...)
	if len(routes) == 0 {
		unknown(r, fmt.Sprintf("AS%d appears on no path in the routes snapshot.", t.ASN))
		return
	}
	idx := d.VRPs.ASPA()
	var valid, invalid, unk int
	verified := map[*Path]rpki.ASPAState{}
	for _, rt := range routes {
		st, ok := verified[rt.Path]
		switch {
		case ok:
		case rt.Path.HasSet:
			st = rpki.ASPAInvalid
		default:
			// Collector feeds are full tables, as a provider sends them: downstream verification.
			st = idx.VerifySequence(rt.Path.Dedup(), rpki.Downstream)
		}
		verified[rt.Path] = st
		switch st {
		case rpki.ASPAValid:
			valid++
		case rpki.ASPAInvalid:
			invalid++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "path", Prefix: rt.Prefix.String(), Origin: rt.Path.Origin, Path: rt.Path.String(), Note: "ASPA-invalid (downstream verification)"}
			})
		default:
			unk++
		}
	}
	if valid+invalid == 0 {
		unknown(r, fmt.Sprintf("None of the %d paths through AS%d can be verified: the ASes on them publish no ASPA.", len(routes), t.ASN))
		return
	}
	set(r, zeroIsPass(invalid), float64(invalid), "Of %d paths through AS%d, %d are ASPA-valid, %d invalid and %d unknown (downstream verification of collector paths, draft-ietf-sidrops-aspa-verification).", len(routes), t.ASN, valid, invalid, unk)
}

func pdbContacts(d *Data, t Target, r *rw.CheckResult) {
	n, ok := d.PeeringDB.Network(t.ASN)
	if !ok {
		unknown(r, fmt.Sprintf("AS%d is not in the PeeringDB snapshot (%s).", t.ASN, d.Snapshots["peeringdb"].Source))
		return
	}
	if len(n.Contacts) == 0 && d.PeeringDB.Stats().Contacts == 0 {
		unknown(r, fmt.Sprintf("The PeeringDB snapshot holds no contact (poc) records at all, so the contacts of %q cannot be judged; import a dump or poc data.", n.Name))
		return
	}
	noc := n.HasContact("NOC", "Technical")
	abuse := n.HasContact("Abuse")
	switch {
	case noc && abuse:
		set(r, rw.StatusPass, 1, "PeeringDB record %q lists NOC/technical and abuse contacts.", n.Name)
	case noc || abuse:
		set(r, rw.StatusWarn, 0.5, "PeeringDB record %q lists a %s contact but no %s contact.", n.Name, pick(noc, "NOC/technical", "abuse"), pick(noc, "abuse", "NOC/technical"))
	default:
		set(r, rw.StatusFail, 0, "PeeringDB record %q lists no NOC, technical or abuse contact (or they are not visible).", n.Name)
	}
	for _, c := range n.Contacts {
		addDetail(r, func() rw.Detail { return rw.Detail{Kind: "contact", Note: fmt.Sprintf("%s (%s)", c.Role, c.Visible)} })
	}
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func pdbPolicyURL(d *Data, t Target, r *rw.CheckResult) {
	n, ok := d.PeeringDB.Network(t.ASN)
	if !ok {
		unknown(r, fmt.Sprintf("AS%d is not in the PeeringDB snapshot.", t.ASN))
		return
	}
	if n.PolicyURL == "" {
		set(r, rw.StatusWarn, 0, "PeeringDB record %q has no routing-policy URL (general policy: %q).", n.Name, n.PolicyGeneral)
		return
	}
	set(r, rw.StatusPass, 1, "PeeringDB record %q publishes its policy at %s (general policy: %s).", n.Name, n.PolicyURL, n.PolicyGeneral)
}

func abuseContact(d *Data, t Target, r *rw.CheckResult) {
	if _, ok := d.IRR.AutNum(t.ASN); !ok {
		unknown(r, fmt.Sprintf("No aut-num for AS%d in the IRR snapshot, so its abuse-c cannot be read.", t.ASN))
		return
	}
	handle, mailbox, ok := d.IRR.AbuseContact(t.ASN)
	if !ok {
		set(r, rw.StatusFail, 0, "aut-num AS%d has no abuse-c.", t.ASN)
		return
	}
	set(r, rw.StatusPass, 1, "abuse-c %s (%s).", handle, mailbox)
}

func manrsParticipation(d *Data, t Target, r *rw.CheckResult) {
	p, ok := d.MANRS.Participant(t.ASN)
	if !ok {
		set(r, rw.StatusFail, 0, "AS%d is not listed as a MANRS participant in the Observatory snapshot.", t.ASN)
		return
	}
	prog := ""
	if p.Program != "" {
		prog = ", programme " + p.Program
	}
	set(r, rw.StatusPass, 1, "AS%d participates in MANRS (%s%s).", t.ASN, p.Name, prog)
}

func manrsConformance(d *Data, t Target, r *rw.CheckResult) {
	p, ok := d.MANRS.Participant(t.ASN)
	if !ok {
		unknown(r, fmt.Sprintf("AS%d is not a MANRS participant; there is no conformance to read.", t.ASN))
		return
	}
	conf, assessed := p.Conformance()
	if assessed == 0 {
		unknown(r, fmt.Sprintf("The Observatory snapshot has no conformance data for %s.", p.Name))
		return
	}
	ratio := float64(conf) / float64(assessed)
	set(r, grade(ratio, 1, 0.5), ratio, "%d of %d MANRS actions conformant for %s.", conf, assessed, p.Name)
}

func spoofSAV(d *Data, t Target, r *rw.CheckResult) {
	o, ok := d.Spoofer.Latest(t.ASN)
	if !ok {
		unknown(r, fmt.Sprintf("No CAIDA Spoofer test from AS%d in the snapshot.", t.ASN))
		return
	}
	note := fmt.Sprintf("session %d on %s from %s", o.Session, o.Time.Format("2006-01-02"), o.Client)
	addDetail(r, func() rw.Detail { return rw.Detail{Kind: "object", Note: note} })
	if o.Routed == spoofer.Blocked {
		set(r, rw.StatusPass, 1, "Latest Spoofer test (%s): spoofed packets were blocked.", note)
		return
	}
	set(r, rw.StatusFail, 0, "Latest Spoofer test (%s): spoofed packets were %s.", note, o.Routed)
}

func upstreams(d *Data, t Target, r *rw.CheckResult) {
	ups, n := upstreamsOf(d, t.ASN)
	if n == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	neighbours := neighboursOf(d, t.ASN)
	switch {
	case len(ups) >= 2:
		set(r, rw.StatusPass, float64(len(ups)), "%d upstream providers observed for AS%d's routes: %s%s.", len(ups), t.ASN, asList(ups), relNote(d))
	case len(ups) == 1:
		set(r, rw.StatusWarn, 1, "A single upstream provider carries AS%d's routes: %s%s; its failure or misbehaviour affects all of them.", t.ASN, asList(ups), relNote(d))
	case len(neighbours) >= 2:
		set(r, rw.StatusPass, 0, "AS%d is transit-free in the data: its routes reach the collectors through %d peers (%s), no provider.", t.ASN, len(neighbours), asList(neighbours))
	default:
		set(r, rw.StatusWarn, float64(len(neighbours)), "AS%d's routes reach the collectors through %s only.", t.ASN, asList(neighbours))
	}
	for _, u := range ups {
		addDetail(r, func() rw.Detail { return rw.Detail{Kind: "object", Note: fmt.Sprintf("upstream AS%d", u)} })
	}
}

// neighboursOf returns every AS seen next to asn on the paths of routes it originates.
func neighboursOf(d *Data, asn uint32) []uint32 {
	seen := map[uint32]bool{}
	for _, rt := range d.Routes.Originated(asn) {
		if p := rt.Path.Dedup(); len(p) >= 2 {
			seen[p[len(p)-2]] = true
		}
	}
	out := make([]uint32, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func relNote(d *Data) string {
	if d.ASRel == nil {
		return " (without AS relationships, peers cannot be told from providers)"
	}
	return " (peers and customers left out using AS relationships)"
}
