package evidence

import (
	"fmt"
	"net/netip"
	"strings"

	"routewarden/internal/asrel"
	rw "routewarden/internal/routewarden"
)

// maxLengthHygiene applies RFC 9319: a VRP whose maxLength exceeds its prefix length should be
// used only when every more-specific it authorises is announced; otherwise a forged-origin
// hijack of an unannounced more-specific is RPKI-valid. The figure is the number of such
// loose VRPs of the ASN.
func maxLengthHygiene(d *Data, t Target, r *rw.CheckResult) {
	vrps := d.VRPs.OfASN(t.ASN)
	if len(vrps) == 0 {
		unknown(r, fmt.Sprintf("No VRP authorises AS%d in the VRP snapshot; there is no maxLength to judge.", t.ASN))
		return
	}
	var own []netip.Prefix
	eachPrefix(d.Routes.Originated(t.ASN), func(p netip.Prefix, _ []Route) { own = append(own, p) })
	loose, withML := 0, 0
	for _, v := range vrps {
		bits := v.Prefix.Bits()
		if int(v.MaxLength) <= bits {
			continue
		}
		withML++
		announced := 0
		for _, p := range own {
			if p.Bits() > bits && p.Bits() <= int(v.MaxLength) && v.Prefix.Contains(p.Addr()) {
				announced++
			}
		}
		// A /n with maxLength m authorises 2^(m-n+1) - 2 more-specifics.
		span := int(v.MaxLength) - bits
		if span < 40 && announced >= 1<<(span+1)-2 {
			continue
		}
		loose++
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "vrp", Prefix: v.Prefix.String(), Origin: t.ASN,
				Note: fmt.Sprintf("%s authorises more-specifics up to /%d, of which AS%d announces %d", v, v.MaxLength, t.ASN, announced)}
		})
	}
	measure(r, float64(loose), "%d of AS%d's %d VRPs have a maxLength beyond the prefix length that covers unannounced more-specifics (RFC 9319); %d use maxLength at all.", loose, t.ASN, len(vrps), withML)
}

// as0Coverage measures how much of the address space delegated to the ASN's holder (by the RIR
// statistics' opaque-id) and announced by nobody is protected by an AS0 ROA (RFC 6483 §4), so
// that a hijack of it is RPKI-invalid. The figure is the share of such CIDR blocks covered.
func as0Coverage(d *Data, t Target, r *rw.CheckResult) {
	if d.Delegated == nil {
		unknown(r, "No RIR delegated-extended statistics have been imported (routewarden import bogons FILE); the holder's space is not known.")
		return
	}
	id, ok := d.Delegated.HolderOfASN(t.ASN)
	if !ok {
		unknown(r, fmt.Sprintf("The RIR statistics name no holder (opaque-id) for AS%d; its delegated space is not known.", t.ASN))
		return
	}
	var unannounced, covered, total int
	for _, h := range d.Delegated.Holdings(id) {
		for _, p := range h.Prefixes() {
			total++
			if d.Routes.Overlaps(p) {
				continue
			}
			unannounced++
			as0 := false
			for _, v := range d.VRPs.Covering(p) {
				if v.ASN == 0 {
					as0 = true
					break
				}
			}
			if as0 {
				covered++
				continue
			}
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "route", Prefix: p.String(), Note: fmt.Sprintf("delegated (%s line %d), announced by nobody, no AS0 ROA", h.Registry, h.Line)}
			})
		}
	}
	if total == 0 {
		unknown(r, fmt.Sprintf("The RIR statistics list no address space for AS%d's holder.", t.ASN))
		return
	}
	if unannounced == 0 {
		measure(r, 1, "All %d delegated block(s) of AS%d's holder are announced; no space needs an AS0 ROA.", total, t.ASN)
		return
	}
	share := float64(covered) / float64(unannounced)
	measure(r, share, "%d of %d delegated but unannounced block(s) of AS%d's holder are covered by an AS0 ROA (%d block(s) delegated in all).", covered, unannounced, t.ASN, total)
}

// propagatedBogons counts the bogon prefixes (special-purpose or unallocated) the ASN passed on
// from other networks: what its inbound filters let through.
func propagatedBogons(d *Data, t Target, r *rw.CheckResult) {
	routes := d.Routes.Transit(t.ASN)
	if len(routes) == 0 {
		unknown(r, fmt.Sprintf("AS%d is not seen passing on other networks' routes in the routes snapshot; its filters cannot be observed.", t.ASN))
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
				return rw.Detail{Kind: "path", Prefix: p.String(), Origin: rs[0].Path.Origin, Path: rs[0].Path.String(), Note: reason + "; " + seenBy(rs)}
			})
		}
	})
	measure(r, float64(n), "AS%d passed on %d bogon prefix(es) of %d distinct prefixes received from other networks (IANA special-purpose registries%s).%s",
		t.ASN, n, total, delegatedNote(d), demoNote(exempt))
}

// tooSpecific counts distinct prefixes longer than /24 (IPv4) or /48 (IPv6) that the ASN
// originates or passes on: the community's filtering limits.
func tooSpecific(d *Data, t Target, r *rw.CheckResult) {
	orig, trans := d.Routes.Originated(t.ASN), d.Routes.Transit(t.ASN)
	if len(orig)+len(trans) == 0 {
		unknown(r, fmt.Sprintf("AS%d appears on no path in the routes snapshot.", t.ASN))
		return
	}
	count := func(routes []Route, what string) (n, total int) {
		eachPrefix(routes, func(p netip.Prefix, rs []Route) {
			total++
			if (p.Addr().Is4() && p.Bits() > 24) || (!p.Addr().Is4() && p.Bits() > 48) {
				n++
				addDetail(r, func() rw.Detail {
					return rw.Detail{Kind: "route", Prefix: p.String(), Origin: rs[0].Path.Origin, Path: rs[0].Path.String(), Note: what + "; " + seenBy(rs)}
				})
			}
		})
		return n, total
	}
	no, to := count(orig, "originated")
	np, tp := count(trans, "propagated")
	measure(r, float64(no+np), "%d too-specific prefixes (longer than /24 IPv4 or /48 IPv6): %d of %d originated, %d of %d passed on by AS%d.", no+np, no, to, np, tp, t.ASN)
}

// maxPrefix compares the PeeringDB info_prefixes4/6 (what peers configure as max-prefix) with
// what the ASN announces to peers: its own prefixes and, with AS relationships, those it passes
// on from customers and siblings. The figure is, for the worse family, the share of the
// announced count the limit accommodates (1 when the limit is at least the count).
func maxPrefix(d *Data, t Target, r *rw.CheckResult) {
	n, ok := d.PeeringDB.Network(t.ASN)
	if !ok {
		unknown(r, fmt.Sprintf("AS%d is not in the PeeringDB snapshot.", t.ASN))
		return
	}
	var count [2]int
	seen := map[netip.Prefix]bool{}
	add := func(p netip.Prefix) {
		if !seen[p] {
			seen[p] = true
			count[family(p)]++
		}
	}
	eachPrefix(d.Routes.Originated(t.ASN), func(p netip.Prefix, _ []Route) { add(p) })
	scope := "its own prefixes only (no AS relationships imported: a lower bound)"
	if d.ASRel != nil {
		scope = "its own prefixes and those passed on from customers and siblings"
		eachPrefix(d.Routes.Transit(t.ASN), func(p netip.Prefix, rs []Route) {
			for _, rt := range rs {
				seg, ok := receivedSegment(rt.Path, t.ASN)
				if !ok {
					continue
				}
				if rel := d.ASRel.Rel(t.ASN, seg[0]); rel == asrel.P2C || d.siblings(t, t.ASN, seg[0]) {
					add(p)
					return
				}
			}
		})
	}
	if count[0]+count[1] == 0 {
		unknown(r, fmt.Sprintf("AS%d announces nothing observable in the routes snapshot; its max-prefix values cannot be compared.", t.ASN))
		return
	}
	limit := [2]int{n.InfoPrefixes4, n.InfoPrefixes6}
	fig := 1.0
	var parts []string
	for f := range 2 {
		if count[f] == 0 {
			parts = append(parts, fmt.Sprintf("%s: nothing announced, limit %d", familyName[f], limit[f]))
			continue
		}
		share := min(1, float64(limit[f])/float64(count[f]))
		fig = min(fig, share)
		if limit[f] == 0 {
			parts = append(parts, fmt.Sprintf("%s: no limit published (0) for %d announced", familyName[f], count[f]))
		} else {
			parts = append(parts, fmt.Sprintf("%s: limit %d for %d announced", familyName[f], limit[f], count[f]))
		}
		if share < 1 {
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "object", Note: fmt.Sprintf("info_prefixes%d = %d is below the %d %s prefixes observed: peers using it would drop the session", 4+2*f, limit[f], count[f], familyName[f])}
			})
		}
	}
	measure(r, fig, "PeeringDB record %q against the prefixes observed from AS%d, counting %s: %s.", n.Name, t.ASN, scope, strings.Join(parts, "; "))
}
