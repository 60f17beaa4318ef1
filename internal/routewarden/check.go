package routewarden

// CheckStatus is the outcome of one routing-evidence check for one ASN.
type CheckStatus string

// Check statuses. A check without the data it needs reports StatusUnknown with the reason,
// never StatusPass.
const (
	StatusPass    CheckStatus = "pass"
	StatusWarn    CheckStatus = "warn"
	StatusFail    CheckStatus = "fail"
	StatusUnknown CheckStatus = "unknown"
)

// CheckDef describes a named routing-evidence check. IDs are durable: the control library refers
// to them and stored results carry them.
type CheckDef struct {
	ID    string // e.g. "rpki.roa-coverage"
	Title string
	// Figure names the unit of the figure the check reports: "ratio" (0..1), "count", "score",
	// "bool" (1 or 0), "grade" (1 met, 0.5 met with problems, 0 not met).
	Figure string
	// Data lists the snapshot kinds the check reads (vrps, routes, irr, asrel, peeringdb, bogons,
	// manrs, spoofer).
	Data []string
}

// Checks is the catalogue of routing-evidence checks, in display order.
var Checks = []CheckDef{
	{"rpki.roa-coverage", "ROA coverage of announced prefixes (the worse address family)", "ratio", []string{"vrps", "routes"}},
	{"rpki.score", "Observatory-style RPKI score (share valid − 10 × share invalid)", "score", []string{"vrps", "routes"}},
	{"rpki.invalid-originations", "RPKI-invalid originations (RFC 6811)", "count", []string{"vrps", "routes"}},
	{"rpki.maxlength-hygiene", "VRPs whose maxLength covers unannounced more-specifics (RFC 9319)", "count", []string{"vrps", "routes"}},
	{"rpki.as0-coverage", "AS0 ROA coverage of delegated but unannounced space", "ratio", []string{"vrps", "routes", "bogons"}},
	{"rov.invalid-propagation", "RPKI-invalid routes propagated (origin-validation enforcement)", "count", []string{"vrps", "routes"}},
	{"irr.route-coverage", "IRR route/route6 coverage of announced routes", "ratio", []string{"irr", "routes"}},
	{"irr.policy-published", "Routing policy published (aut-num with import and export)", "bool", []string{"irr"}},
	{"irr.as-set", "AS-SET published and expandable", "grade", []string{"irr", "peeringdb"}},
	{"bogon.prefixes", "Bogon prefixes originated (originations only)", "count", []string{"bogons", "routes"}},
	{"bogon.asns", "Bogon ASNs behind the ASN on paths it passed on", "count", []string{"bogons", "routes"}},
	{"routes.propagated-bogons", "Bogon prefixes passed on from other networks", "count", []string{"bogons", "routes"}},
	{"routes.too-specific", "Prefixes longer than /24 (IPv4) or /48 (IPv6) originated or passed on", "count", []string{"routes"}},
	{"leak.valley-free", "Route leaks by the ASN (valley-free violations, inferred from CAIDA relationships)", "count", []string{"asrel", "routes"}},
	{"hijack.suspicious-originations", "Originations both RPKI-invalid and not covered by IRR", "count", []string{"vrps", "irr", "routes"}},
	{"hijack.other-origins", "Third-party origins of the expected prefixes (allow-listed origins left out)", "count", []string{"routes"}},
	{"aspa.published", "ASPA object published", "bool", []string{"vrps"}},
	{"aspa.providers-complete", "Observed providers (by AS relationship) included in the ASPA provider set", "ratio", []string{"vrps", "routes"}},
	{"aspa.path-verification", "Prefixes the ASN passed on whose path, as it received it, fails ASPA verification", "count", []string{"vrps", "routes"}},
	{"coord.peeringdb-contacts", "PeeringDB record with NOC/technical and abuse contacts", "bool", []string{"peeringdb"}},
	{"coord.policy-url", "Routing policy URL published in PeeringDB", "bool", []string{"peeringdb"}},
	{"peeringdb.max-prefix", "PeeringDB max-prefix values (info_prefixes4/6) against announced prefixes", "ratio", []string{"peeringdb", "routes"}},
	{"coord.abuse-contact", "RIR abuse contact (aut-num, organisation, inetnum/inet6num)", "bool", []string{"irr"}},
	{"manrs.participation", "MANRS participation", "bool", []string{"manrs"}},
	{"manrs.conformance", "Published MANRS conformance", "ratio", []string{"manrs"}},
	{"spoof.sav", "Anti-spoofing (latest current CAIDA Spoofer verdict per address family)", "bool", []string{"spoofer"}},
	{"upstream.concentration", "Upstream providers observed in paths (by AS relationship)", "count", []string{"routes", "asrel"}},
}

// ProposedChecks are implemented and tested checks that no released control library grades
// yet. The engine runs only Checks; a check moves there in the change that makes a library
// version map it (every catalogued check must grade a control).
var ProposedChecks = []CheckDef{}

// FindCheck returns the check definition with the given ID, catalogued or proposed.
func FindCheck(id string) (CheckDef, bool) {
	for _, c := range append(Checks[:len(Checks):len(Checks)], ProposedChecks...) {
		if c.ID == id {
			return c, true
		}
	}
	return CheckDef{}, false
}
