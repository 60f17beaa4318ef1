package evidence

import (
	"fmt"
	"net/netip"

	rw "routewarden/internal/routewarden"
)

func irrCoverage(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Originated(t.ASN)
	if len(routes) == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	covered, total := 0, 0
	eachPrefix(routes, func(p netip.Prefix, rs []Route) {
		total++
		if _, ok := d.IRR.CoversRoute(p, t.ASN); ok {
			covered++
			return
		}
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: p.String(), Origin: t.ASN, Note: "no route/route6 object for this origin covers it; " + seenBy(rs)}
		})
	})
	ratio := float64(covered) / float64(total)
	measure(r, ratio, "%d of %d distinct originated prefixes (%.1f %%) have a matching IRR route object (exact or covering, same origin).", covered, total, 100*ratio)
}

func irrPolicy(d *Data, t Target, r *rw.CheckResult) {
	an, ok := d.IRR.AutNum(t.ASN)
	switch {
	case !ok:
		measure(r, 0, "No aut-num object for AS%d in the IRR snapshot (%s).", t.ASN, d.Snapshots["irr"].Source)
	case !an.HasPolicy():
		measure(r, 0, "aut-num AS%d (%s, source %s) exists but publishes no import and export policy.", t.ASN, an.Name, an.Source)
	default:
		measure(r, 1, "aut-num AS%d (%s, source %s) publishes %d import and %d export policy lines.", t.ASN, an.Name, an.Source, len(an.Imports), len(an.Exports))
	}
	if ok {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "object", Note: fmt.Sprintf("aut-num AS%d in %s line %d", t.ASN, an.File, an.Line)}
		})
	}
}

func bogonPrefixes(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Originated(t.ASN)
	if len(routes) == 0 {
		noOriginated(r, d, t.ASN)
		return
	}
	n, total, exempt := 0, 0, 0
	eachPrefix(routes, func(p netip.Prefix, rs []Route) {
		total++
		if d.demo() && isDocPrefix(p) {
			exempt++
			return
		}
		if reason, bad := d.bogonPrefix(p); bad {
			n++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "route", Prefix: p.String(), Origin: t.ASN, Note: reason + "; " + seenBy(rs)}
			})
		}
	})
	measure(r, float64(n), "%d of %d distinct originated prefixes are bogons (IANA special-purpose registries%s). This measures originations only: whether the network filters bogons it receives is routes.propagated-bogons.%s",
		n, total, delegatedNote(d), demoNote(exempt))
}

// bogonPrefix tells whether p is special-purpose or (with RIR statistics) unallocated space.
func (d *Data) bogonPrefix(p netip.Prefix) (string, bool) {
	reason, bad := d.Bogons.IsBogonPrefix(p)
	if !bad && d.Delegated != nil {
		reason, bad = d.Delegated.IsUnallocatedPrefix(p)
	}
	return reason, bad
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

// bogonASNs judges only what the ASN accepted: the part of each path from its neighbour
// towards the origin. Bogon ASNs added after it (by networks further on) and its own
// originations are not its doing.
func bogonASNs(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Transit(t.ASN)
	if len(routes) == 0 {
		unknown(r, fmt.Sprintf("AS%d is not seen passing on other networks' routes in the routes snapshot; what it accepts cannot be observed.", t.ASN))
		return
	}
	n, total, exempt := 0, 0, 0
	seen := map[*Path]pathBogon{}
	eachPrefix(routes, func(p netip.Prefix, rs []Route) {
		total++
		var hit *Route
		var hv pathBogon
		for i := range rs {
			rt := &rs[i]
			v, ok := seen[rt.Path]
			if !ok {
				if seg, ok := receivedSegment(rt.Path, t.ASN); ok {
					v = bogonInPath(d, seg)
				}
				seen[rt.Path] = v
				exempt += v.exempt
			}
			if v.bad && hit == nil {
				hit, hv = rt, v
			}
		}
		if hit != nil {
			n++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "path", Prefix: p.String(), Path: hit.Path.String(),
					Note: fmt.Sprintf("AS%d accepted this route with AS%d on the path behind it (%s); %s", t.ASN, hv.asn, bogonASNReason(d, hv.asn), seenBy(rs))}
			})
		}
	})
	measure(r, float64(n), "AS%d passed on %d of %d distinct prefixes whose path, from its neighbour to the origin, carries a bogon ASN.%s", t.ASN, n, total, demoNote(exempt))
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

// bogonInPath finds the first bogon ASN on a path segment.
func bogonInPath(d *Data, seg []uint32) (v pathBogon) {
	for _, a := range seg {
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
