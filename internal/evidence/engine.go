package evidence

import (
	"fmt"
	"net/netip"
	"time"

	"routewarden/internal/asrel"
	"routewarden/internal/bogon"
	"routewarden/internal/irr"
	"routewarden/internal/manrs"
	"routewarden/internal/peeringdb"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/rpki"
	"routewarden/internal/spoofer"
)

// Data is the routing data the checks run over: the latest snapshot of each kind, parsed.
// Kinds without a snapshot are nil, and the checks that need them report unknown.
type Data struct {
	Snapshots map[string]*rw.Snapshot

	VRPs      *rpki.Table
	ASPACount int
	Routes    *RouteSet
	IRR       *irr.DB
	ASRel     *asrel.Graph
	PeeringDB *peeringdb.DB
	Bogons    *bogon.Set // never nil: the IANA registries are built in
	Delegated *bogon.Delegated
	MANRS     *manrs.DB
	Spoofer   *spoofer.DB

	// Bands grade the checks' figures; set it from the control library (LibraryBands) before
	// running checks. Checks no band names are graded by the engine's documented defaults.
	Bands Bands
	// SpooferMaxAge is how old a Spoofer test may be and still count; older is unknown.
	// Zero means DefaultSpooferMaxAge.
	SpooferMaxAge time.Duration

	// routeServers is RouteServerASNs of ASRel and PeeringDB, computed by Use when either
	// changes (rsReady); Data built by hand computes it on each call instead.
	routeServers map[uint32]bool
	rsReady      bool
}

// routeServerSet returns the IXP route-server ASNs of the data's as-rel and PeeringDB.
func (d *Data) routeServerSet() map[uint32]bool {
	if d.rsReady {
		return d.routeServers
	}
	return RouteServerASNs(d.ASRel, d.PeeringDB)
}

// NewData returns data with only the built-in bogon registries.
func NewData() *Data {
	return &Data{Snapshots: map[string]*rw.Snapshot{}, Bogons: bogon.Default()}
}

// Use adds a parsed snapshot to the data, replacing any earlier one of its kind.
func (d *Data) Use(s *rw.Snapshot, p *Parsed) {
	d.Snapshots[p.Kind] = s
	switch p.Kind {
	case "vrps":
		d.VRPs, d.ASPACount = rpki.NewTable(p.VRPs), len(p.VRPs.ASPAs)
	case "routes":
		d.Routes = p.Routes
	case "irr":
		d.IRR = p.IRR
	case "asrel":
		d.ASRel = p.ASRel
		d.routeServers, d.rsReady = RouteServerASNs(d.ASRel, d.PeeringDB), true
	case "peeringdb":
		d.PeeringDB = p.PeeringDB
		d.routeServers, d.rsReady = RouteServerASNs(d.ASRel, d.PeeringDB), true
	case "bogons":
		d.Bogons, d.Delegated = p.Bogons, p.Delegated
	case "manrs":
		d.MANRS = p.MANRS
	case "spoofer":
		d.Spoofer = p.Spoofer
	}
}

// Target is one network to check: its ASN and what the organisation expects of it.
type Target struct {
	ASN      uint32
	Expected []netip.Prefix // prefixes the vendor should originate (optional)
	ASSet    string         // the as-set recorded for the network (optional)
	Siblings []uint32       // other ASNs of the same vendor: their announcements are not "other origins"
	// AllowedOrigins are other networks declared as authorised to originate the expected
	// prefixes (for example a DDoS scrubbing provider, from the questionnaire answers).
	AllowedOrigins []uint32
}

// check is one evaluation: it fills a result for the target.
type check struct {
	needs []string // snapshot kinds without which the result is unknown
	run   func(d *Data, t Target, r *rw.CheckResult)
}

// Run evaluates every check of routewarden.Checks for the target, in catalogue order.
func Run(d *Data, t Target, now time.Time) []rw.CheckResult { return run(d, t, now, rw.Checks) }

func run(d *Data, t Target, now time.Time, defs []rw.CheckDef) []rw.CheckResult {
	out := make([]rw.CheckResult, 0, len(defs))
	for _, def := range defs {
		r := rw.CheckResult{ASN: t.ASN, Check: def.ID, ComputedAt: now}
		c, ok := registry[def.ID]
		if !ok {
			unknown(&r, "This check has no implementation in this version.")
			out = append(out, r)
			continue
		}
		missing := ""
		for _, k := range c.needs {
			if s := d.Snapshots[k]; s != nil {
				r.Snapshots = append(r.Snapshots, s.ID)
			} else if missing == "" {
				missing = k
			}
		}
		if missing != "" {
			unknown(&r, fmt.Sprintf("No %s data has been imported (routewarden import %s FILE).", kindLabel[missing], missing))
		} else {
			c.run(d, t, &r)
			if r.Status == "" && r.Figure != nil {
				// The check measured a figure; the library's thresholds grade it.
				b := d.band(def.ID)
				r.Status = b.Grade(*r.Figure)
				r.Summary += " Graded " + b.String() + "."
			}
		}
		out = append(out, r)
	}
	return out
}

var kindLabel = map[string]string{"vrps": "RPKI (VRP/ASPA)", "routes": "BGP route", "irr": "IRR", "asrel": "AS-relationship",
	"peeringdb": "PeeringDB", "bogons": "bogon", "manrs": "MANRS Observatory", "spoofer": "CAIDA Spoofer"}

func unknown(r *rw.CheckResult, why string) {
	r.Status, r.Figure, r.Summary = rw.StatusUnknown, nil, why
}

// measure records a figure and what it rests on; Run grades the figure with the check's band
// (the control library's thresholds).
func measure(r *rw.CheckResult, fig float64, format string, args ...any) {
	r.Status, r.Figure, r.Summary = "", &fig, fmt.Sprintf(format, args...)
}

// set records a status the figure alone cannot express (for example a transit-free network
// with no upstream at all); Run does not regrade it.
func set(r *rw.CheckResult, st rw.CheckStatus, fig float64, format string, args ...any) {
	r.Status, r.Figure, r.Summary = st, &fig, fmt.Sprintf(format, args...)
}

const maxDetails = 100

// addDetail records an offending object; d is only called while there is room, so that checks
// over large tables do not format strings nobody will see.
func addDetail(r *rw.CheckResult, d func() rw.Detail) {
	if len(r.Details) < maxDetails {
		r.Details = append(r.Details, d())
	}
}

// TargetOf describes a vendor network for the checks: its expected prefixes, as-set and the
// vendor's other ASNs.
func TargetOf(v *rw.Vendor, n *rw.Network) Target {
	t := Target{ASN: n.ASN, Expected: n.ExpectedPrefixes, ASSet: n.ASSet}
	for _, o := range v.Networks {
		if o.ASN != n.ASN {
			t.Siblings = append(t.Siblings, o.ASN)
		}
	}
	return t
}
