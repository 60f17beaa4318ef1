// Package report computes the portfolio reports of journey 8 ("Report"): the concentration of
// critical services on shared upstream networks as observed in BGP paths, and the dashboard's
// headline figures. The computations are pure functions over domain types and loaded data sets;
// the web, API and CLI faces only load their inputs and render the results.
//
// Upstream inference is evidence.HopWalker, the same walk as the upstream.concentration check
// (so the report and the check read the same upstreams from the same paths): prepending
// removed, AS_SET paths left out, the vendor's own ASNs passed over (the walk goes on from
// them), private-use and reserved ASNs and IXP route servers (as-rel "# IXP ASes:" header,
// PeeringDB "Route Server" networks) passed over as transparent, and the first remaining
// neighbour classified with CAIDA as-rel: a provider of the hop before it is an observed
// upstream; a peer means the path enters over peering (no upstream on that path); no known
// relation is "unknown", never an upstream; a customer there means the path reaches the
// collector through the vendor's customer — a leak by that customer only when it passed the
// route on to its own provider or peer (reported as "leaked_by").
//
// Portfolio figures: each service inherits the observed upstreams of its vendor's ASNs. The
// Herfindahl–Hirschman index is Σ s² × 10,000 over upstreams, where s is the share of the
// critical services' upstream dependencies (a critical service with k upstreams gives 1/k to
// each); 10,000 means every critical service hangs off one network. The what-if for an upstream X
// looks at every observed upstream path of each service: a service loses all when X is on every
// one of them (anywhere between the vendor and the collector), some when X is on some. Services
// are listed in vendor order.
package report

import (
	"cmp"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"routewarden/internal/asrel"
	"routewarden/internal/evidence"
	"routewarden/internal/peeringdb"
	rw "routewarden/internal/routewarden"
)

// Declared is what a vendor said about its upstreams in its latest assessment: the answers to
// RS-RES-01 (upstream diversity) and RS-GOV-08 (subcontractor and upstream transparency).
type Declared struct {
	AssessmentID int64
	Count        *int     // RS-RES-01.Q1: number of upstream transit providers
	ASNs         []uint32 // AS numbers named in RS-RES-01.Q2 and RS-GOV-08.Q1
	Text         string   // the answers' text, for display
}

// ConcentrationInput holds what the concentration report is computed from.
type ConcentrationInput struct {
	Vendors   []*rw.Vendor // with Services and Networks loaded
	Routes    *evidence.RouteSet
	ASRel     *asrel.Graph
	PeeringDB *peeringdb.DB           // optional: names and route-server ASNs
	Declared  map[int64]Declared      // by vendor ID; optional
	Snapshots map[string]*rw.Snapshot // optional: provenance
}

// ServiceRef names one service of one vendor.
type ServiceRef struct {
	VendorID  int64  `json:"vendor_id"`
	Vendor    string `json:"vendor"`
	ServiceID int64  `json:"service_id"`
	Name      string `json:"name"`
	Critical  bool   `json:"critical"`
}

// Upstream is one network observed as an upstream of at least one vendor ASN.
type Upstream struct {
	ASN              uint32       `json:"asn"`
	Name             string       `json:"name,omitempty"`
	VendorASNs       []uint32     `json:"vendor_asns"`
	Services         []ServiceRef `json:"services"`
	CriticalServices int          `json:"critical_services"`
	// CriticalShare is the share of critical services with an observed upstream that have this one.
	CriticalShare float64      `json:"critical_share"`
	Shared        bool         `json:"shared"` // two or more services depend on it
	LoseAll       []ServiceRef `json:"if_lost_lose_all"`
	LoseSome      []ServiceRef `json:"if_lost_lose_some"`
}

// VendorASN is the inference for one ASN of a vendor.
type VendorASN struct {
	ASN       uint32   `json:"asn"`
	VendorID  int64    `json:"vendor_id"`
	Vendor    string   `json:"vendor"`
	Routes    int      `json:"routes"`    // originated routes seen
	Upstreams []uint32 `json:"upstreams"` // observed providers
	Peers     []uint32 `json:"peers"`     // neighbours over peering links
	Unknown   []uint32 `json:"unknown"`   // neighbours with no known relation
	Customers []uint32 `json:"customers"` // customers seen as the next hop (no upstream on those paths)
	// Leaks are those customers that passed the vendor's route on to their own provider or
	// peer: a valley-free violation by the customer (CAIDA relations, so inferred), not by
	// the vendor. A customer that is itself the collector's neighbour only gave its feed.
	Leaks      []uint32 `json:"leaked_by"`
	SkippedSet int      `json:"skipped_set"` // paths with an AS_SET, not used
	Direct     int      `json:"direct"`      // paths where the vendor ASN is the collector's neighbour
}

// ServiceUpstreams is one service with its observed upstreams.
type ServiceUpstreams struct {
	ServiceRef
	Upstreams []uint32 `json:"upstreams"`
	Reason    string   `json:"reason,omitempty"` // why none were observed
}

// Discrepancy is a difference between what a vendor declared and what the paths show.
type Discrepancy struct {
	VendorID     int64  `json:"vendor_id"`
	Vendor       string `json:"vendor"`
	AssessmentID int64  `json:"assessment_id"`
	Control      string `json:"control"`
	Declared     string `json:"declared"`
	Observed     string `json:"observed"`
	Message      string `json:"message"`
}

// Concentration is the concentration-risk report.
type Concentration struct {
	Upstreams              []Upstream         `json:"upstreams"`
	SingleUpstreamServices []ServiceUpstreams `json:"single_upstream_services"`
	NoUpstreamServices     []ServiceUpstreams `json:"no_upstream_services"`
	Services               []ServiceUpstreams `json:"services"`
	VendorASNs             []VendorASN        `json:"vendor_asns"`
	Discrepancies          []Discrepancy      `json:"discrepancies"`
	// HHI is the Herfindahl–Hirschman index over the critical services' upstream dependencies
	// (0–10,000); nil when no critical service has an observed upstream.
	HHI              *float64 `json:"hhi"`
	CriticalServices int      `json:"critical_services_total"`
	RouteServerASNs  []uint32 `json:"route_server_asns"`
	Unknown          string   `json:"unknown,omitempty"` // why nothing could be computed
	RoutesSnapshot   int64    `json:"routes_snapshot,omitempty"`
	ASRelSnapshot    int64    `json:"asrel_snapshot,omitempty"`
}

// upstreamPath is the part of one observed upstream path beyond the vendor: the upstream and
// every hop after it toward the collector.
type upstreamPath []uint32

// ComputeConcentration builds the report. Without routes or as-rel data the report is empty with
// Unknown saying why.
func ComputeConcentration(in ConcentrationInput) *Concentration {
	out := &Concentration{}
	if in.Snapshots != nil {
		if s := in.Snapshots["routes"]; s != nil {
			out.RoutesSnapshot = s.ID
		}
		if s := in.Snapshots["asrel"]; s != nil {
			out.ASRelSnapshot = s.ID
		}
	}
	switch {
	case in.Routes == nil && in.ASRel == nil:
		out.Unknown = "No routes snapshot and no AS-relationship data imported: upstreams cannot be observed."
	case in.Routes == nil:
		out.Unknown = "No routes snapshot imported: upstreams cannot be observed."
	case in.ASRel == nil:
		out.Unknown = "No AS-relationship (CAIDA as-rel) data imported: providers cannot be told from peers."
	}
	rs := evidence.RouteServerASNs(in.ASRel, in.PeeringDB)
	for a := range rs {
		out.RouteServerASNs = append(out.RouteServerASNs, a)
	}
	slices.Sort(out.RouteServerASNs)

	names := map[uint32]string{}
	for _, v := range in.Vendors {
		for _, n := range v.Networks {
			if n.Name != "" {
				names[n.ASN] = v.LegalName + " — " + n.Name
			}
		}
	}
	name := func(a uint32) string {
		if in.PeeringDB != nil {
			if n, ok := in.PeeringDB.Network(a); ok && n.Name != "" {
				return n.Name
			}
		}
		return names[a]
	}

	// Per vendor: observed upstream paths and upstream set.
	type vendorObs struct {
		ups   map[uint32]bool
		paths []upstreamPath
	}
	obs := map[int64]*vendorObs{}
	upVendorASNs := map[uint32]map[uint32]bool{}
	var buf []uint32
	for _, v := range in.Vendors {
		vo := &vendorObs{ups: map[uint32]bool{}}
		obs[v.ID] = vo
		if out.Unknown != "" {
			continue
		}
		own := map[uint32]bool{}
		for _, n := range v.Networks {
			own[n.ASN] = true
		}
		c := &evidence.HopWalker{Rel: in.ASRel, RouteServers: rs, Own: func(a uint32) bool { return own[a] }}
		for _, n := range v.Networks {
			va := VendorASN{ASN: n.ASN, VendorID: v.ID, Vendor: v.LegalName}
			sets := [4]map[uint32]bool{{}, {}, {}, {}}
			leaks := map[uint32]bool{}
			seen := map[string]bool{}
			for _, r := range in.Routes.Originated(n.ASN) {
				va.Routes++
				buf = evidence.DedupInto(buf, r.Path.ASNs)
				kind, nb, at := c.FirstHop(r.Path, buf)
				switch kind {
				case evidence.HopSet:
					va.SkippedSet++
					continue
				case evidence.HopDirect:
					va.Direct++
					continue
				}
				sets[kind][nb] = true
				if kind == evidence.HopCustomer && at > 0 {
					if rel := in.ASRel.Rel(buf[at-1], nb); rel == asrel.P2C || rel == asrel.P2P {
						leaks[nb] = true
					}
				}
				if kind != evidence.HopUpstream {
					continue
				}
				vo.ups[nb] = true
				if upVendorASNs[nb] == nil {
					upVendorASNs[nb] = map[uint32]bool{}
				}
				upVendorASNs[nb][n.ASN] = true
				up := make(upstreamPath, 0, at+1)
				for i := at; i >= 0; i-- {
					up = append(up, buf[i])
				}
				key := pathKey(up)
				if !seen[key] {
					seen[key] = true
					vo.paths = append(vo.paths, up)
				}
			}
			va.Upstreams, va.Peers, va.Unknown = sortedKeys(sets[evidence.HopUpstream]), sortedKeys(sets[evidence.HopPeer]), sortedKeys(sets[evidence.HopUnknown])
			va.Customers, va.Leaks = sortedKeys(sets[evidence.HopCustomer]), sortedKeys(leaks)
			out.VendorASNs = append(out.VendorASNs, va)
		}
	}

	// Per service.
	byUp := map[uint32]*Upstream{}
	weights := map[uint32]float64{}
	critWithUp := 0
	for _, v := range in.Vendors {
		vo := obs[v.ID]
		ups := sortedKeys(vo.ups)
		for _, s := range v.Services {
			ref := ServiceRef{VendorID: v.ID, Vendor: v.LegalName, ServiceID: s.ID, Name: s.Name, Critical: s.Critical}
			su := ServiceUpstreams{ServiceRef: ref, Upstreams: ups}
			if s.Critical {
				out.CriticalServices++
			}
			switch {
			case out.Unknown != "":
				su.Reason = out.Unknown
			case len(v.Networks) == 0:
				su.Reason = "The vendor has no networks (ASNs) recorded."
			case len(ups) == 0:
				su.Reason = noUpstreamReason(out.VendorASNs, v.ID)
			}
			out.Services = append(out.Services, su)
			if len(ups) == 0 {
				out.NoUpstreamServices = append(out.NoUpstreamServices, su)
				continue
			}
			if len(ups) == 1 {
				out.SingleUpstreamServices = append(out.SingleUpstreamServices, su)
			}
			if s.Critical {
				critWithUp++
			}
			for _, a := range ups {
				u := byUp[a]
				if u == nil {
					u = &Upstream{ASN: a, Name: name(a), VendorASNs: sortedKeys(upVendorASNs[a])}
					byUp[a] = u
				}
				u.Services = append(u.Services, ref)
				if s.Critical {
					u.CriticalServices++
					weights[a] += 1 / float64(len(ups))
				}
			}
		}
	}
	// What-if per upstream: every service whose observed upstream paths cross it, at the first
	// hop or further toward the core.
	for _, v := range in.Vendors {
		vo := obs[v.ID]
		if len(vo.paths) == 0 {
			continue
		}
		on := map[uint32]int{}
		for _, p := range vo.paths {
			for i, a := range p {
				if byUp[a] != nil && !slices.Contains(p[:i], a) {
					on[a]++
				}
			}
		}
		for a, n := range on {
			u := byUp[a]
			for _, s := range v.Services {
				ref := ServiceRef{VendorID: v.ID, Vendor: v.LegalName, ServiceID: s.ID, Name: s.Name, Critical: s.Critical}
				if n == len(vo.paths) {
					u.LoseAll = append(u.LoseAll, ref)
				} else {
					u.LoseSome = append(u.LoseSome, ref)
				}
			}
		}
	}
	for _, u := range byUp {
		if critWithUp > 0 {
			u.CriticalShare = math.Round(float64(u.CriticalServices)/float64(critWithUp)*1000) / 1000
		}
		u.Shared = len(u.Services) >= 2
		out.Upstreams = append(out.Upstreams, *u)
	}
	slices.SortFunc(out.Upstreams, func(x, y Upstream) int {
		if c := cmp.Compare(y.CriticalServices, x.CriticalServices); c != 0 {
			return c
		}
		if c := cmp.Compare(len(y.Services), len(x.Services)); c != 0 {
			return c
		}
		return cmp.Compare(x.ASN, y.ASN)
	})
	if critWithUp > 0 {
		var h float64
		for _, w := range weights {
			s := w / float64(critWithUp)
			h += s * s
		}
		h = math.Round(h*10000*10) / 10
		out.HHI = &h
	}
	observed := map[int64][]uint32{}
	for id, vo := range obs {
		observed[id] = sortedKeys(vo.ups)
	}
	out.Discrepancies = discrepancies(in, observed)
	if out.Upstreams == nil {
		out.Upstreams = []Upstream{}
	}
	if out.SingleUpstreamServices == nil {
		out.SingleUpstreamServices = []ServiceUpstreams{}
	}
	return out
}

func pathKey(p []uint32) string {
	var b strings.Builder
	for _, a := range p {
		b.WriteString(strconv.FormatUint(uint64(a), 10))
		b.WriteByte(' ')
	}
	return b.String()
}

func noUpstreamReason(vas []VendorASN, vendorID int64) string {
	routes, peers, unknown, set, direct := 0, 0, 0, 0, 0
	for _, va := range vas {
		if va.VendorID != vendorID {
			continue
		}
		routes += va.Routes
		peers += len(va.Peers)
		unknown += len(va.Unknown)
		set += va.SkippedSet
		direct += va.Direct
	}
	switch {
	case routes == 0:
		return "The routes snapshot holds no route originated by the vendor's ASNs."
	case unknown > 0:
		return "Neighbours seen, but their relationship to the vendor is unknown in the as-rel data."
	case peers > 0:
		return "Only peering neighbours observed (no provider on any path)."
	case set == routes:
		return "Every path carries an AS_SET; none can be read."
	}
	return "Only paths where the vendor is the collector's direct neighbour."
}

func sortedKeys(m map[uint32]bool) []uint32 {
	out := make([]uint32, 0, len(m))
	for a := range m {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

var asnInText = regexp.MustCompile(`(?i)\bAS\s?(\d{1,10})\b`)

// ParseDeclaredASNs returns the AS numbers named in free text ("AS64496", "as 3356").
func ParseDeclaredASNs(text string) []uint32 {
	set := map[uint32]bool{}
	for _, m := range asnInText.FindAllStringSubmatch(text, -1) {
		if n, err := strconv.ParseUint(m[1], 10, 32); err == nil && n > 0 {
			set[uint32(n)] = true
		}
	}
	return sortedKeys(set)
}

func fmtASNs(a []uint32) string {
	if len(a) == 0 {
		return "none"
	}
	parts := make([]string, len(a))
	for i, x := range a {
		parts[i] = "AS" + strconv.FormatUint(uint64(x), 10)
	}
	return strings.Join(parts, ", ")
}

// discrepancies compares declared upstreams with observed ones, for vendors with answers and
// with routes observed.
func discrepancies(in ConcentrationInput, observed map[int64][]uint32) []Discrepancy {
	out := []Discrepancy{}
	for _, v := range in.Vendors {
		d, ok := in.Declared[v.ID]
		if !ok {
			continue
		}
		ups, seen := observed[v.ID]
		if !seen || len(ups) == 0 {
			continue // nothing observed: no basis to contradict the vendor
		}
		base := Discrepancy{VendorID: v.ID, Vendor: v.LegalName, AssessmentID: d.AssessmentID}
		if d.Count != nil && *d.Count != len(ups) {
			x := base
			x.Control, x.Declared, x.Observed = "RS-RES-01", strconv.Itoa(*d.Count)+" upstream(s)", strconv.Itoa(len(ups))+" upstream(s): "+fmtASNs(ups)
			x.Message = "The number of upstream providers declared differs from the number observed in BGP paths."
			if *d.Count >= 2 && len(ups) == 1 {
				x.Message = "Declared as multi-homed, but only one upstream is observed in BGP paths."
			}
			out = append(out, x)
		}
		if len(d.ASNs) > 0 {
			var undeclared, unseen []uint32
			for _, a := range ups {
				if !slices.Contains(d.ASNs, a) {
					undeclared = append(undeclared, a)
				}
			}
			for _, a := range d.ASNs {
				if !slices.Contains(ups, a) && !ownASN(v, a) {
					unseen = append(unseen, a)
				}
			}
			if len(undeclared) > 0 {
				x := base
				x.Control, x.Declared, x.Observed = "RS-GOV-08", fmtASNs(d.ASNs), fmtASNs(ups)
				x.Message = "Upstream observed in BGP paths but not declared: " + fmtASNs(undeclared) + "."
				out = append(out, x)
			}
			if len(unseen) > 0 {
				x := base
				x.Control, x.Declared, x.Observed = "RS-RES-01", fmtASNs(d.ASNs), fmtASNs(ups)
				x.Message = "Declared upstream not observed as a provider in any BGP path: " + fmtASNs(unseen) + "."
				out = append(out, x)
			}
		}
	}
	return out
}

func ownASN(v *rw.Vendor, a uint32) bool {
	for _, n := range v.Networks {
		if n.ASN == a {
			return true
		}
	}
	return false
}
