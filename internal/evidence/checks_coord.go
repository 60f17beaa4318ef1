package evidence

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"routewarden/internal/irr"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/spoofer"
)

// irrASSet expands the vendor's as-set in the one IRR source it names (SOURCE::NAME, as
// PeeringDB and IRRd write it) and measures it against RS-POL-03's objective: it contains the
// network, expands without loops or missing members, and holds no unrelated networks. The
// figure is 1 when all hold, 0.5 when the set expands and contains the ASN but has cycles,
// missing members, shadowed same-named sets or networks outside the customer cone, and 0 when
// it is absent, does not expand or does not contain the ASN.
func irrASSet(d *Data, t Target, r *rw.CheckResult) {
	name, from := t.ASSet, "the vendor record"
	if name == "" && d.PeeringDB != nil {
		if n, ok := d.PeeringDB.Network(t.ASN); ok && len(n.ASSets()) > 0 {
			name, from = n.ASSets()[0].String(), "PeeringDB"
		}
	}
	if name == "" {
		measure(r, 0, "No as-set is recorded for AS%d (neither in the vendor record nor in PeeringDB); customers' routes cannot be filtered by it.", t.ASN)
		return
	}
	e, err := d.IRR.Expand(name, irr.DefaultMaxDepth)
	if err != nil {
		measure(r, 0, "as-set %s (from %s) cannot be expanded in the IRR snapshot: %v.", name, from, err)
		return
	}
	var problems []string
	if len(e.Cycles) > 0 {
		var cs []string
		for _, c := range e.Cycles {
			cs = append(cs, strings.Join(c, " > "))
		}
		problems = append(problems, fmt.Sprintf("%d cycle(s): %s", len(e.Cycles), strings.Join(cs, "; ")))
	}
	if len(e.Missing) > 0 {
		problems = append(problems, fmt.Sprintf("%d member set(s) not found: %s", len(e.Missing), strings.Join(e.Missing, ", ")))
	}
	if len(e.Shadowed) > 0 {
		problems = append(problems, fmt.Sprintf("same-named sets in other sources not used: %s", strings.Join(e.Shadowed, ", ")))
	}
	size := fmt.Sprintf("%d ASNs in %d set(s), nested %d deep", len(e.ASNs), len(e.Sets), e.Depth)
	if d.ASRel != nil {
		cone := map[uint32]bool{t.ASN: true}
		for _, a := range d.ASRel.CustomerCone(t.ASN) {
			cone[a] = true
		}
		var outside []uint32
		for _, a := range e.ASNs {
			if !cone[a] && !slices.Contains(t.Siblings, a) && !d.siblings(t, t.ASN, a) {
				outside = append(outside, a)
			}
		}
		size += fmt.Sprintf("; the CAIDA customer cone of AS%d holds %d ASNs", t.ASN, len(cone))
		if len(outside) > 0 {
			problems = append(problems, fmt.Sprintf("%d member ASN(s) outside the inferred customer cone (possibly unrelated networks)", len(outside)))
			for _, a := range outside {
				addDetail(r, func() rw.Detail {
					return rw.Detail{Kind: "object", Origin: a, Note: fmt.Sprintf("AS%d is in the set but not in AS%d's inferred customer cone", a, t.ASN)}
				})
			}
		}
	}
	src := e.Sources[e.Name]
	if !slices.Contains(e.ASNs, t.ASN) {
		measure(r, 0, "as-set %s (from %s, source %s) expands to %s but does not contain AS%d itself.", name, from, src, size, t.ASN)
		return
	}
	if len(problems) > 0 {
		measure(r, 0.5, "as-set %s (from %s, source %s) expands to %s, including AS%d; but %s.", name, from, src, size, t.ASN, strings.Join(problems, "; "))
		return
	}
	measure(r, 1, "as-set %s (from %s, source %s) expands to %s, including AS%d, without cycles or missing members.", name, from, src, size, t.ASN)
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
		measure(r, 1, "PeeringDB record %q lists NOC/technical and abuse contacts.", n.Name)
	case noc || abuse:
		measure(r, 0.5, "PeeringDB record %q lists a %s contact but no %s contact.", n.Name, pick(noc, "NOC/technical", "abuse"), pick(noc, "abuse", "NOC/technical"))
	default:
		measure(r, 0, "PeeringDB record %q lists no NOC, technical or abuse contact (or they are not visible).", n.Name)
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
		measure(r, 0, "PeeringDB record %q has no routing-policy URL (general policy: %q).", n.Name, n.PolicyGeneral)
		return
	}
	measure(r, 1, "PeeringDB record %q publishes its policy at %s (general policy: %s).", n.Name, n.PolicyURL, n.PolicyGeneral)
}

// rpslAbuseSources are the registries whose RPSL objects carry abuse-c: there, no abuse-c
// means no abuse contact. ARIN, LACNIC and the routing registries (RADB and others) keep
// abuse contacts elsewhere (ARIN's POCs in its own whois), so their RPSL cannot tell.
var rpslAbuseSources = []string{"RIPE", "APNIC", "AFRINIC"}

// abuseContact reads abuse-c from the aut-num (or its organisation) and from the inetnum and
// inet6num objects covering the vendor's prefixes.
func abuseContact(d *Data, t Target, r *rw.CheckResult) {
	if handle, mailbox, ok := d.IRR.AbuseContact(t.ASN); ok {
		measure(r, 1, "abuse-c %s (%s) on aut-num AS%d.", handle, orNone(mailbox), t.ASN)
		return
	}
	var prefixes []netip.Prefix
	prefixes = append(prefixes, t.Expected...)
	if d.Routes != nil {
		eachPrefix(d.Routes.Originated(t.ASN), func(p netip.Prefix, _ []Route) { prefixes = append(prefixes, p) })
	}
	for _, p := range prefixes {
		if handle, mailbox, obj, ok := d.IRR.AbuseForPrefix(p); ok {
			measure(r, 1, "abuse-c %s (%s) on %s %s (source %s), covering %s.", handle, orNone(mailbox), obj.Class, obj.Key, obj.Source, p)
			return
		}
	}
	an, hasAutNum := d.IRR.AutNum(t.ASN)
	switch {
	case !hasAutNum && len(prefixes) == 0:
		unknown(r, fmt.Sprintf("No aut-num for AS%d and no prefix of it to look up inetnum/inet6num objects in the IRR snapshot; its abuse contact cannot be read.", t.ASN))
	case hasAutNum && (slices.Contains(rpslAbuseSources, an.Source) || d.demoIRR()):
		measure(r, 0, "aut-num AS%d (source %s) has no abuse-c, nor has its organisation or any inetnum/inet6num covering its %d prefix(es).", t.ASN, an.Source, len(prefixes))
	case hasAutNum:
		unknown(r, fmt.Sprintf("aut-num AS%d comes from %s, whose RPSL does not carry abuse contacts (ARIN and others keep them in their own whois); the IRR snapshot cannot tell.", t.ASN, orNone(an.Source)))
	default:
		unknown(r, fmt.Sprintf("No aut-num for AS%d in the IRR snapshot and no inetnum/inet6num with an abuse-c covers its %d prefix(es); the snapshot cannot tell.", t.ASN, len(prefixes)))
	}
}

// demoIRR reports whether the IRR snapshot is the synthetic demo's, whose objects are written
// as a registry that carries abuse-c would write them.
func (d *Data) demoIRR() bool {
	s := d.Snapshots["irr"]
	return s != nil && s.Demo
}

func orNone(s string) string {
	if s == "" {
		return "no mailbox read"
	}
	return s
}

func manrsParticipation(d *Data, t Target, r *rw.CheckResult) {
	p, ok := d.MANRS.Participant(t.ASN)
	if !ok {
		measure(r, 0, "AS%d is not listed as a MANRS participant in the Observatory snapshot.", t.ASN)
		return
	}
	prog := ""
	if p.Program != "" {
		prog = ", programme " + p.Program
	}
	measure(r, 1, "AS%d participates in MANRS (%s%s).", t.ASN, p.Name, prog)
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
	measure(r, ratio, "%d of %d MANRS actions conformant for %s.", conf, assessed, p.Name)
}

// DefaultSpooferMaxAge is how old a CAIDA Spoofer test may be and still count.
const DefaultSpooferMaxAge = 365 * 24 * time.Hour

// spoofSAV judges IPv4 and IPv6 apart, each on its latest test that says something about SAV:
// spoofed packets blocked (pass) or received (fail). A NAT rewriting the source says nothing
// about the network's filtering, and a test older than the freshness limit is unknown. The
// figure is 0 when any family let spoofed packets out, 1 when every family with a current test
// blocked them.
func spoofSAV(d *Data, t Target, r *rw.CheckResult) {
	maxAge := d.SpooferMaxAge
	if maxAge == 0 {
		maxAge = DefaultSpooferMaxAge
	}
	now := r.ComputedAt
	var parts []string
	blocked, received := 0, 0
	for _, f := range []spoofer.Family{spoofer.IPv4, spoofer.IPv6} {
		v := d.Spoofer.LatestVerdict(t.ASN, f)
		fam := fmt.Sprintf("IPv%d", f)
		nat := ""
		if v.Rewritten > 0 {
			nat = fmt.Sprintf(", %d later test(s) rewritten by a NAT (no verdict)", v.Rewritten)
		}
		switch {
		case !v.OK:
			parts = append(parts, fmt.Sprintf("%s unknown (no blocked or received test%s)", fam, nat))
		case now.Sub(v.Outcome.Time) > maxAge:
			parts = append(parts, fmt.Sprintf("%s unknown (latest verdict, %s on %s, is older than %d days%s)", fam, v.Outcome.Routed, v.Outcome.Time.Format("2006-01-02"), int(maxAge.Hours()/24), nat))
		default:
			o := v.Outcome
			if o.Routed == spoofer.Blocked {
				blocked++
			} else {
				received++
			}
			parts = append(parts, fmt.Sprintf("%s %s (session %d on %s from %s%s)", fam, o.Routed, o.Session, o.Time.Format("2006-01-02"), o.Client, nat))
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "object", Prefix: o.Client.String(), Note: fmt.Sprintf("%s: session %d on %s, spoofed packets %s", fam, o.Session, o.Time.Format("2006-01-02"), o.Routed)}
			})
		}
	}
	switch {
	case received > 0:
		measure(r, 0, "CAIDA Spoofer: %s.", strings.Join(parts, "; "))
	case blocked > 0:
		measure(r, 1, "CAIDA Spoofer: %s.", strings.Join(parts, "; "))
	default:
		unknown(r, fmt.Sprintf("No current CAIDA Spoofer verdict for AS%d: %s.", t.ASN, strings.Join(parts, "; ")))
	}
}
