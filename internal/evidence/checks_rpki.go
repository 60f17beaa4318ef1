package evidence

import (
	"fmt"

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
}

// originStats validates every route the ASN originates.
type originStats struct {
	total, valid, invalid, notFound [2]int // [IPv4, IPv6]
	invalidRoutes                   []Route
	invalidResults                  []rpki.Result
	notFoundRoutes                  []Route
}

func family(r Route) int {
	if r.Prefix.Addr().Is4() {
		return 0
	}
	return 1
}

func validateOrigins(d *Data, asn uint32) (*originStats, bool) {
	routes := d.Routes.Originated(asn)
	if len(routes) == 0 {
		return nil, false
	}
	s := &originStats{}
	for _, r := range routes {
		f := family(r)
		s.total[f]++
		res := d.VRPs.ValidateDetail(r.Prefix, asn, true)
		switch res.State {
		case rpki.Valid:
			s.valid[f]++
		case rpki.Invalid:
			s.invalid[f]++
			s.invalidRoutes, s.invalidResults = append(s.invalidRoutes, r), append(s.invalidResults, res)
		default:
			s.notFound[f]++
			s.notFoundRoutes = append(s.notFoundRoutes, r)
		}
	}
	return s, true
}

func sum(a [2]int) int { return a[0] + a[1] }

func noOriginated(r *rw.CheckResult, d *Data, asn uint32) {
	unknown(r, fmt.Sprintf("AS%d originates no route in the routes snapshot (%s); nothing to measure.", asn, d.Snapshots["routes"].Source))
}

func roaCoverage(d *Data, t Target, r *rw.CheckResult) {
	s, ok := validateOrigins(d, t.ASN)
	if !ok {
		noOriginated(r, d, t.ASN)
		return
	}
	v, n := sum(s.valid), sum(s.total)
	ratio := float64(v) / float64(n)
	set(r, grade(ratio, 0.98, 0.5), ratio, "%d of %d originated routes (%.1f %%) are RPKI-valid: IPv4 %d/%d, IPv6 %d/%d; %d not found, %d invalid.",
		v, n, 100*ratio, s.valid[0], s.total[0], s.valid[1], s.total[1], sum(s.notFound), sum(s.invalid))
	for _, rt := range s.notFoundRoutes {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: rt.Prefix.String(), Origin: t.ASN, Note: "no ROA covers this route (not-found)"}
		})
	}
	for _, rt := range s.invalidRoutes {
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: rt.Prefix.String(), Origin: t.ASN, Note: "covered, but RPKI-invalid"}
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
	set(r, grade(score, 0.9, 0.5), score, "Score %.3f = share valid %.3f − 10 × share invalid %.3f (MANRS Observatory M7RPKI formula; pass ≥ 0.9, warn ≥ 0.5).",
		score, valid, invalid)
}

func invalidOriginations(d *Data, t Target, r *rw.CheckResult) {
	s, ok := validateOrigins(d, t.ASN)
	if !ok {
		noOriginated(r, d, t.ASN)
		return
	}
	n := sum(s.invalid)
	set(r, zeroIsPass(n), float64(n), "%d of %d originated routes are RPKI-invalid (RFC 6811).", n, sum(s.total))
	for i, rt := range s.invalidRoutes {
		res := s.invalidResults[i]
		addDetail(r, func() rw.Detail {
			return rw.Detail{Kind: "route", Prefix: rt.Prefix.String(), Origin: t.ASN, Path: rt.Path.String(),
				Note: fmt.Sprintf("invalid (%s); covering VRPs: %s", reasonWord(res), vrpList(res))}
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

func invalidPropagation(d *Data, t Target, r *rw.CheckResult) {
	transit := d.Routes.Transit(t.ASN)
	if len(transit) == 0 {
		unknown(r, fmt.Sprintf("AS%d is not seen propagating other networks' routes in the routes snapshot; enforcement cannot be observed.", t.ASN))
		return
	}
	n := 0
	for _, rt := range transit {
		p := rt.Path
		if d.VRPs.Validate(rt.Prefix, p.Origin, p.OriginKnown) == rpki.Invalid {
			n++
			addDetail(r, func() rw.Detail {
				return rw.Detail{Kind: "path", Prefix: rt.Prefix.String(), Origin: p.Origin, Path: p.String(), Note: "RPKI-invalid route propagated through this AS"}
			})
		}
	}
	set(r, zeroIsPass(n), float64(n), "AS%d propagates %d RPKI-invalid of %d observed transit routes; a network that drops invalids propagates none.", t.ASN, n, len(transit))
}
