package evidence

import (
	"fmt"
	"net/netip"
	"strings"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/rpki"
)

var registry = map[string]check{
	"rpki.roa-coverage":              {[]string{"vrps", "routes"}, roaCoverage},
	"rpki.score":                     {[]string{"vrps", "routes"}, rpkiScore},
	"rpki.invalid-originations":      {[]string{"vrps", "routes"}, invalidOriginations},
	"rov.invalid-propagation":        {[]string{"vrps", "routes"}, invalidPropagation},
	"irr.route-coverage":             {[]string{"irr", "routes"}, irrCoverage},
	"irr.policy-published":           {[]string{"irr"}, irrPolicy},
	"irr.as-set":                     {[]string{"irr"}, irrASSet},
	"bogon.prefixes":                 {[]string{"routes"}, bogonPrefixes},
	"bogon.asns":                     {[]string{"routes"}, bogonASNs},
	"leak.valley-free":               {[]string{"asrel", "routes"}, valleyFree},
	"hijack.suspicious-originations": {[]string{"vrps", "irr", "routes"}, suspiciousOriginations},
	"hijack.other-origins":           {[]string{"routes"}, otherOrigins},
	"aspa.published":                 {[]string{"vrps"}, aspaPublished},
	"aspa.providers-complete":        {[]string{"vrps", "routes"}, aspaProviders},
	"aspa.path-verification":         {[]string{"vrps", "routes"}, aspaPaths},
	"coord.peeringdb-contacts":       {[]string{"peeringdb"}, pdbContacts},
	"coord.policy-url":               {[]string{"peeringdb"}, pdbPolicyURL},
	"coord.abuse-contact":            {[]string{"irr"}, abuseContact},
	"manrs.participation":            {[]string{"manrs"}, manrsParticipation},
	"manrs.conformance":              {[]string{"manrs"}, manrsConformance},
	"spoof.sav":                      {[]string{"spoofer"}, spoofSAV},
	"upstream.concentration":         {[]string{"routes"}, upstreams},
	"rpki.maxlength-hygiene":         {[]string{"vrps", "routes"}, maxLengthHygiene},
	"rpki.as0-coverage":              {[]string{"vrps", "routes", "bogons"}, as0Coverage},
	"routes.propagated-bogons":       {[]string{"routes"}, propagatedBogons},
	"routes.too-specific":            {[]string{"routes"}, tooSpecific},
	"peeringdb.max-prefix":           {[]string{"peeringdb", "routes"}, maxPrefix},
}

// originStats validates every prefix the ASN originates. Counts are of distinct prefixes (as
// the MANRS Observatory counts), whatever the number of collector peers that saw each one.
type originStats struct {
	total, valid, invalid, notFound [2]int // distinct prefixes, [IPv4, IPv6]
	routes                          int    // distinct (prefix, path) announcements
	invalidP                        []prefixResult
	notFoundP                       []prefixResult
}

// prefixResult is one originated prefix with its validation and the routes that carried it.
type prefixResult struct {
	Prefix netip.Prefix
	Res    rpki.Result
	Routes []Route
}

func family(p netip.Prefix) int {
	if p.Addr().Is4() {
		return 0
	}
	return 1
}

var familyName = [2]string{"IPv4", "IPv6"}

func validateOrigins(d *Data, asn uint32) (*originStats, bool) {
	routes := d.Routes.Originated(asn)
	if len(routes) == 0 {
		return nil, false
	}
	s := &originStats{routes: len(routes)}
	eachPrefix(routes, func(p netip.Prefix, rs []Route) {
		f := family(p)
		s.total[f]++
		res := d.VRPs.ValidateDetail(p, asn, true)
		switch res.State {
		case rpki.Valid:
			s.valid[f]++
		case rpki.Invalid:
			s.invalid[f]++
			s.invalidP = append(s.invalidP, prefixResult{p, res, rs})
		default:
			s.notFound[f]++
			s.notFoundP = append(s.notFoundP, prefixResult{p, res, rs})
		}
	})
	return s, true
}

func sum(a [2]int) int { return a[0] + a[1] }

func noOriginated(r *rw.CheckResult, d *Data, asn uint32) {
	unknown(r, fmt.Sprintf("AS%d originates no route in the routes snapshot (%s); nothing to measure.", asn, d.Snapshots["routes"].Source))
}

// roaCoverage reports per address family, as the library's objective is per family; the
// figure is the lower of the families the ASN announces in.
func roaCoverage(d *Data, t Target, r *rw.CheckResult) {
	s, ok := validateOrigins(d, t.ASN)
	if !ok {
		noOriginated(r, d, t.ASN)
		return
	}
	fig, parts := 2.0, []string{}
	for f := range 2 {
		if s.total[f] == 0 {
			parts = append(parts, familyName[f]+" none announced")
			continue
		}
		ratio := float64(s.valid[f]) / float64(s.total[f])
		fig = min(fig, ratio)
		parts = append(parts, fmt.Sprintf("%s %d of %d prefixes (%.1f %%)", familyName[f], s.valid[f], s.total[f], 100*ratio))
	}
	measure(r, fig, "RPKI-valid originated prefixes per address family: %s; %d not found, %d invalid. The figure is the lower family (%.3f). Distinct prefixes are counted; they were seen in %d announcements (prefix, path).",
		strings.Join(parts, ", "), sum(s.notFound), sum(s.invalid), fig, s.routes)
	for _, pr := range s.notFoundP {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: pr.Prefix.String(), Origin: t.ASN, Note: "no ROA covers this prefix (not-found); " + seenBy(pr.Routes)}
		})
	}
	for _, pr := range s.invalidP {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: pr.Prefix.String(), Origin: t.ASN, Note: "covered, but RPKI-invalid; " + seenBy(pr.Routes)}
		})
	}
}

func rpkiScore(d *Data, t Target, r *rw.CheckResult) {
	s, ok := validateOrigins(d, t.ASN)
	if !ok {
		noOriginated(r, d, t.ASN)
		return
	}
	n := float64(sum(s.total))
	valid, invalid := float64(sum(s.valid))/n, float64(sum(s.invalid))/n
	score := valid - 10*invalid
	measure(r, score, "Score %.3f = share valid %.3f − 10 × share invalid %.3f over %d distinct originated prefixes (Routewarden's own weighting: one invalid costs ten valid).",
		score, valid, invalid, sum(s.total))
}

func invalidOriginations(d *Data, t Target, r *rw.CheckResult) {
	s, ok := validateOrigins(d, t.ASN)
	if !ok {
		noOriginated(r, d, t.ASN)
		return
	}
	n := sum(s.invalid)
	measure(r, float64(n), "%d of %d distinct originated prefixes are RPKI-invalid (RFC 6811).", n, sum(s.total))
	for _, pr := range s.invalidP {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: pr.Prefix.String(), Origin: t.ASN, Path: pr.Routes[0].Path.String(),
				Note: fmt.Sprintf("invalid (%s); covering VRPs: %s; %s", reasonWord(pr.Res), vrpList(pr.Res), seenBy(pr.Routes))}
		})
	}
}

func reasonWord(res rpki.Result) string {
	if len(res.UnmatchedAS) > 0 && len(res.UnmatchedLength) == 0 {
		return "origin AS not authorised"
	}
	if len(res.UnmatchedLength) > 0 {
		return "more specific than max-length allows"
	}
	return "no matching VRP"
}

func vrpList(res rpki.Result) string {
	var out []string
	for _, v := range append(append([]rpki.VRP{}, res.UnmatchedAS...), res.UnmatchedLength...) {
		out = append(out, v.String())
		if len(out) == 5 {
			out = append(out, "…")
			break
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return fmt.Sprint(out)
}

// invalidPropagation counts the distinct (prefix, origin) pairs that are RPKI-invalid and that
// the ASN passed on: it received them from a neighbour and they left it towards the collector.
func invalidPropagation(d *Data, t Target, r *rw.CheckResult) {
	transit := d.Routes.Transit(t.ASN)
	if len(transit) == 0 {
		unknown(r, fmt.Sprintf("AS%d is not seen propagating other networks' routes in the routes snapshot; enforcement cannot be observed.", t.ASN))
		return
	}
	type key struct {
		p      netip.Prefix
		origin uint32
	}
	bad := map[key][]Route{}
	var order []key
	prefixes := 0
	eachPrefix(transit, func(p netip.Prefix, rs []Route) {
		prefixes++
		for _, rt := range rs {
			if d.VRPs.Validate(p, rt.Path.Origin, rt.Path.OriginKnown) != rpki.Invalid {
				continue
			}
			k := key{p, rt.Path.Origin}
			if _, ok := bad[k]; !ok {
				order = append(order, k)
			}
			bad[k] = append(bad[k], rt)
		}
	})
	for _, k := range order {
		rs := bad[k]
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "path", Prefix: k.p.String(), Origin: k.origin, Path: rs[0].Path.String(),
				Note: fmt.Sprintf("RPKI-invalid route propagated through this AS; %s", seenBy(rs))}
		})
	}
	measure(r, float64(len(order)), "AS%d propagates %d RPKI-invalid prefixes (distinct prefix and origin) of %d distinct transit prefixes (%d announcements); a network that drops invalids propagates none.",
		t.ASN, len(order), prefixes, len(transit))
}
