package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
)

// The synthetic routing world of the demo. Vendors' ASNs and prefixes come from the
// documentation ranges; AS64510 and AS64511 play two large carriers that feed the route
// collector. Each vendor has a posture of its own:
//
//   - Northwind (AS64496/64497): full ROA coverage, drops invalids, ASPA, IRR, MANRS, SAV.
//   - Bluefjord (AS64498): good, but its scrubbing provider Aegis announces a /25 of its space
//     without a ROA — an "other origin" and an RPKI-invalid origination for Aegis.
//   - Meridian (AS64499): partial coverage, two routes invalid by length, incomplete ASPA.
//   - Société Générale des Réseaux (AS64502): no ROAs, propagates a customer's invalid route.
//   - Zürich Fibre (AS65536/65537): covered, but propagates a customer's invalid route.
//   - Łódź DC (AS65538): a more-specific beyond its ROA's max-length; single upstream.
//   - Atlantic (AS65539/65540): leaks a peer's route to its provider.
//   - Hanseatic (AS65541): announces a /48 of Northwind's space (possible hijack), single-homed.
type demoRoute struct {
	prefix string
	paths  []string // collector paths, neighbour first, origin last
}

var demoRoutes = []demoRoute{
	{"192.0.2.0/24", []string{"64510 64496", "64511 64496", "64496"}},
	{"2001:db8:100::/40", []string{"64510 64496", "64511 64496", "64496"}},
	{"2001:db8:101::/48", []string{"64510 64496", "64511 64496", "64496"}},
	{"2001:db8:180::/44", []string{"64510 64496 64497", "64511 64496 64497", "64496 64497"}},
	{"198.51.100.0/24", []string{"64510 64498", "64511 64496 64498", "64496 64498", "64511 65539 64510 64498"}},
	{"2001:db8:500::/40", []string{"64510 64498", "64511 64496 64498", "64496 64498"}},
	{"203.0.113.0/24", []string{"64510 64499", "64511 64499", "64496 64510 64499"}},
	{"203.0.113.0/25", []string{"64510 64499", "64511 64499"}},
	{"203.0.113.128/25", []string{"64510 64499", "64511 64499"}},
	{"2001:db8:200::/40", []string{"64510 64499", "64511 64499", "64496 64510 64499"}},
	{"2001:db8:600::/40", []string{"64510 64496 64500", "64511 64500", "64496 64500"}},
	{"198.51.100.0/25", []string{"64511 64500", "64510 64511 64500"}}, // Aegis scrubbing Bluefjord's space
	{"2001:db8:700::/48", []string{"64510 64501"}},
	{"2001:db8:300::/40", []string{"64510 64502", "64511 64510 64502", "64496 64510 64502"}},
	{"2001:db8:301::/48", []string{"64510 64502", "64511 64510 64502", "64496 64510 64502"}},
	{"2001:db8:b00::/40", []string{"64510 64502 65541", "64511 64510 64502 65541", "64496 64510 64502 65541"}},
	{"2001:db8:100::/48", []string{"64510 64502 65541", "64511 64510 64502 65541"}}, // Hanseatic in Northwind's space
	{"2001:db8:800::/40", []string{"64510 64496 65536", "64511 65536", "64496 65536"}},
	{"2001:db8:880::/44", []string{"64510 64496 65536 65537", "64511 65536 65537", "64496 65536 65537"}},
	{"2001:db8:900::/40", []string{"64510 64496 65536 65538", "64511 65536 65538", "64496 65536 65538"}},
	{"2001:db8:901::/48", []string{"64511 65536 65538"}}, // invalid by length; Northwind drops it
	{"2001:db8:a00::/40", []string{"64510 65539", "64511 65539", "64496 64511 65539"}},
	{"2001:db8:a80::/44", []string{"64510 65539 65540", "64511 65539 65540", "64496 64511 65539 65540"}},
}

const demoVRPs = `{"metadata":{"buildtime":"%s","generator":"Routewarden demo (synthetic)"},
"roas":[
 {"asn":"AS64496","prefix":"192.0.2.0/24","maxLength":24,"ta":"demo"},
 {"asn":"AS64496","prefix":"2001:db8:100::/40","maxLength":48,"ta":"demo"},
 {"asn":"AS64497","prefix":"2001:db8:180::/44","maxLength":44,"ta":"demo"},
 {"asn":"AS64498","prefix":"198.51.100.0/24","maxLength":24,"ta":"demo"},
 {"asn":"AS64498","prefix":"2001:db8:500::/40","maxLength":40,"ta":"demo"},
 {"asn":"AS64499","prefix":"203.0.113.0/24","maxLength":24,"ta":"demo"},
 {"asn":"AS64500","prefix":"2001:db8:600::/40","maxLength":40,"ta":"demo"},
 {"asn":"AS65536","prefix":"2001:db8:800::/40","maxLength":40,"ta":"demo"},
 {"asn":"AS65537","prefix":"2001:db8:880::/44","maxLength":44,"ta":"demo"},
 {"asn":"AS65538","prefix":"2001:db8:900::/40","maxLength":40,"ta":"demo"},
 {"asn":"AS65539","prefix":"2001:db8:a00::/40","maxLength":40,"ta":"demo"},
 {"asn":"AS65540","prefix":"2001:db8:a80::/44","maxLength":44,"ta":"demo"}],
"aspas":[
 {"customer":"AS64496","providers":["AS0"],"ta":"demo"},
 {"customer":"AS64497","providers":["AS64496"],"ta":"demo"},
 {"customer":"AS64498","providers":["AS64496","AS64510"],"ta":"demo"},
 {"customer":"AS64499","providers":["AS64510"],"ta":"demo"},
 {"customer":"AS65539","providers":["AS64511"],"ta":"demo"}]}`

const demoASRel = `# source:topology|BGP|%s|demo|synthetic
# input clique: 64510 64511
64510|64511|0
64496|64510|0
64496|64511|0
64510|64501|0
64510|65539|0
64496|64497|-1
64496|64498|-1
64510|64498|-1
64510|64499|-1
64511|64499|-1
64496|64500|-1
64511|64500|-1
64510|64502|-1
64502|65541|-1
64496|65536|-1
64511|65536|-1
65536|65537|-1
65536|65538|-1
64511|65539|-1
65539|65540|-1
`

const demoIRR = `# Synthetic IRR objects for the Routewarden demo.
aut-num: AS64496
as-name: NORTHWIND
import: from AS64510 accept ANY
export: to AS64510 announce AS-NORTHWIND
mp-import: afi ipv6 from AS64511 accept ANY
mp-export: afi ipv6 to AS64511 announce AS-NORTHWIND
abuse-c: NW-ABUSE
source: DEMO

role: Northwind abuse
nic-hdl: NW-ABUSE
abuse-mailbox: abuse@northwind-transit.example
source: DEMO

as-set: AS-NORTHWIND
members: AS64496, AS64497, AS-NORTHWIND-CUST
source: DEMO

as-set: AS-NORTHWIND-CUST
members: AS64498, AS64500, AS65536
source: DEMO

aut-num: AS64498
as-name: BLUEFJORD
import: from AS64496 accept ANY
export: to AS64496 announce AS-BLUEFJORD
abuse-c: BF-ABUSE
source: DEMO

role: Bluefjord abuse
nic-hdl: BF-ABUSE
abuse-mailbox: abuse@bluefjord.example
source: DEMO

as-set: AS-BLUEFJORD
members: AS64498
source: DEMO

aut-num: AS64499
as-name: MERIDIAN
source: DEMO

aut-num: AS64500
as-name: AEGIS
import: from AS64511 accept ANY
export: to AS64511 announce AS-AEGIS
source: DEMO

as-set: AS-AEGIS
members: AS64500
source: DEMO

as-set: AS-MAINPORT-RS
members: AS64496, AS64498, AS64499
source: DEMO

aut-num: AS65536
as-name: ZFN
import: from AS64511 accept ANY
export: to AS64511 announce AS65536 AS65537 AS65538
source: DEMO
`

func demoRouteObjects() string {
	objs := []struct {
		prefix string
		origin int
	}{{"192.0.2.0/24", 64496}, {"2001:db8:100::/40", 64496}, {"2001:db8:180::/44", 64497}, {"198.51.100.0/24", 64498},
		{"2001:db8:500::/40", 64498}, {"203.0.113.0/24", 64499}, {"2001:db8:600::/40", 64500}, {"198.51.100.0/24", 64500},
		{"2001:db8:800::/40", 65536}, {"2001:db8:880::/44", 65537}, {"2001:db8:a00::/40", 65539}}
	var b strings.Builder
	for _, o := range objs {
		kind := "route"
		if strings.Contains(o.prefix, ":") {
			kind = "route6"
		}
		fmt.Fprintf(&b, "\n%s: %s\norigin: AS%d\nsource: DEMO\n", kind, o.prefix, o.origin)
	}
	return b.String()
}

// demoPeeringDB is a synthetic PeeringDB dump. The info_prefixes4/6 values (what peers set as
// max-prefix) are invented for the demo: Northwind, Bluefjord, Aegis and Mainport leave
// headroom; Meridian registered 2 IPv4 prefixes but announces 3 (its /24 split into /25s);
// Atlantic's stale record still says 1 IPv6 prefix while it passes on its customer's as well.
const demoPeeringDB = `{"data":[
{"id":9001,"org_id":9101,"name":"Northwind Transit (demo)","asn":64496,"irr_as_set":"AS-NORTHWIND","info_prefixes4":20,"info_prefixes6":50,"info_type":"NSP","policy_url":"https://northwind-transit.example/peering","policy_general":"Selective","status":"ok","created":"2020-01-01T00:00:00Z","updated":"2026-10-01T00:00:00Z",
 "poc_set":[{"id":1,"role":"NOC","visible":"Public","name":"NOC","email":"noc@northwind-transit.example","status":"ok","updated":"2026-10-01T00:00:00Z"},
            {"id":2,"role":"Abuse","visible":"Public","name":"Abuse","email":"abuse@northwind-transit.example","status":"ok","updated":"2026-10-01T00:00:00Z"}]},
{"id":9002,"org_id":9102,"name":"Bluefjord Cloud (demo)","asn":64498,"irr_as_set":"AS-BLUEFJORD","info_prefixes4":10,"info_prefixes6":10,"info_type":"Content","policy_url":"https://bluefjord.example/peering","policy_general":"Open","status":"ok","created":"2021-01-01T00:00:00Z","updated":"2026-09-01T00:00:00Z",
 "poc_set":[{"id":3,"role":"Technical","visible":"Public","name":"Network team","email":"net@bluefjord.example","status":"ok","updated":"2026-09-01T00:00:00Z"}]},
{"id":9003,"org_id":9103,"name":"Meridian Edge CDN (demo)","asn":64499,"irr_as_set":"","info_prefixes4":2,"info_prefixes6":5,"info_type":"Content","policy_url":"","policy_general":"Open","status":"ok","created":"2021-01-01T00:00:00Z","updated":"2025-01-01T00:00:00Z",
 "poc_set":[{"id":4,"role":"Policy","visible":"Users","name":"Peering","email":"peering@meridian-cdn.example","status":"ok","updated":"2025-01-01T00:00:00Z"}]},
{"id":9004,"org_id":9104,"name":"Aegis Scrubbing (demo)","asn":64500,"irr_as_set":"AS-AEGIS","info_prefixes4":5,"info_prefixes6":5,"info_type":"NSP","policy_url":"https://aegis-scrubbing.example/policy","policy_general":"Restrictive","status":"ok","created":"2019-01-01T00:00:00Z","updated":"2026-08-01T00:00:00Z",
 "poc_set":[{"id":5,"role":"NOC","visible":"Public","name":"SOC","email":"soc@aegis-scrubbing.example","status":"ok","updated":"2026-08-01T00:00:00Z"},
            {"id":6,"role":"Abuse","visible":"Public","name":"Abuse","email":"abuse@aegis-scrubbing.example","status":"ok","updated":"2026-08-01T00:00:00Z"}]},
{"id":9005,"org_id":9105,"name":"Mainport IX route servers (demo)","asn":64501,"irr_as_set":"AS-MAINPORT-RS","info_prefixes4":10,"info_prefixes6":10,"info_type":"Route Server","policy_url":"https://mainport-ix.example/rs","policy_general":"Open","status":"ok","created":"2018-01-01T00:00:00Z","updated":"2026-10-01T00:00:00Z",
 "poc_set":[{"id":7,"role":"NOC","visible":"Public","name":"IX NOC","email":"noc@mainport-ix.example","status":"ok","updated":"2026-10-01T00:00:00Z"},
            {"id":8,"role":"Abuse","visible":"Public","name":"Abuse","email":"abuse@mainport-ix.example","status":"ok","updated":"2026-10-01T00:00:00Z"}]},
{"id":9006,"org_id":9106,"name":"Atlantic Subsea (demo)","asn":65539,"irr_as_set":"AS-ATLANTIC","info_prefixes4":0,"info_prefixes6":1,"info_type":"NSP","policy_url":"","policy_general":"Selective","status":"ok","created":"2017-01-01T00:00:00Z","updated":"2024-01-01T00:00:00Z",
 "poc_set":[{"id":9,"role":"NOC","visible":"Public","name":"NOC","email":"noc@atlantic-subsea.example","status":"ok","updated":"2024-01-01T00:00:00Z"}]}
]}`

const demoMANRS = `{"month":"%s","participants":[
 {"id":"00000000-0000-4000-8000-000000000001","name":"Northwind Transit (demo)","areasServed":["Europe"],"asns":[64496,64497],"memberSince":"2020-05-01T00:00:00Z",
  "filtering":{"conformance":"conformant"},"antiSpoofing":{"conformance":"conformant","score":{"value":1,"severity":"ready"}},
  "coordination":{"conformance":"conformant","score":{"value":1,"severity":"ready"}},
  "routingInformation":{"conformance":"conformant","scoreIrr":{"value":1,"severity":"ready"},"scoreRpki":{"value":1,"severity":"ready"}}},
 {"id":"00000000-0000-4000-8000-000000000002","name":"Bluefjord Cloud (demo)","areasServed":["Europe"],"asns":[64498],"memberSince":"2022-02-01T00:00:00Z",
  "filtering":{"conformance":"conformant"},"antiSpoofing":{"conformance":"conformant","score":{"value":1,"severity":"ready"}},
  "coordination":{"conformance":"non-conformant","score":{"value":0.5,"severity":"aspiring"}},
  "routingInformation":{"conformance":"conformant","scoreIrr":{"value":1,"severity":"ready"},"scoreRpki":{"value":0.95,"severity":"ready"}}},
 {"id":"00000000-0000-4000-8000-000000000003","name":"Zürich Fibre Networks (demo)","areasServed":["Europe"],"asns":[65536,65537],"memberSince":"2023-06-01T00:00:00Z",
  "filtering":{"conformance":"non-conformant"},"antiSpoofing":{"conformance":"conformant","score":{"value":1,"severity":"ready"}},
  "coordination":{"conformance":"conformant","score":{"value":1,"severity":"ready"}},
  "routingInformation":{"conformance":"conformant","scoreIrr":{"value":0.8,"severity":"aspiring"},"scoreRpki":{"value":1,"severity":"ready"}}}
]}`

func demoSpoofer(now time.Time) string {
	sessions := []struct {
		asn    int
		client string
		routed string
		ago    int
	}{{64496, "192.0.2.0/24", "blocked", 12}, {64502, "198.51.100.0/24", "received", 30}, {65536, "203.0.113.0/24", "blocked", 45}, {65538, "203.0.113.0/24", "received", 20}}
	var b strings.Builder
	for i, s := range sessions {
		fmt.Fprintf(&b, `{"@id":"/sessions/%d","@type":"Session","asn4":"%d","client4":"%s","nat4":false,"privatespoof":"%s","routedspoof":"%s","session":%d,"timestamp":"%s"}`+"\n",
			900000+i, s.asn, s.client, s.routed, s.routed, 900000+i, now.AddDate(0, 0, -s.ago).Format(time.RFC3339))
	}
	return b.String()
}

func demoBGPDump(now time.Time) string { return bgpDumpOf(demoRoutes, now) }

// bgpDumpOf renders routes as a bgpdump -m table dump taken six hours before now.
func bgpDumpOf(routes []demoRoute, now time.Time) string {
	var b strings.Builder
	ts := now.Add(-6 * time.Hour).Unix()
	peers := map[string]string{"64510": "10.10.0.1", "64511": "10.11.0.1", "64496": "10.96.0.1"}
	for _, r := range routes {
		for _, p := range r.paths {
			peer := strings.Fields(p)[0]
			fmt.Fprintf(&b, "TABLE_DUMP2|%d|B|%s|%s|%s|%s|IGP|%s|0|0||NAG||\n", ts, peers[peer], peer, r.prefix, p, peers[peer])
		}
	}
	return b.String()
}

// EvidenceFiles returns the synthetic data sets of the demo, by kind.
func EvidenceFiles(now time.Time) map[string][]evidence.File {
	day := now.Add(-24 * time.Hour)
	return map[string][]evidence.File{
		"vrps":      {{Name: "demo-vrps.json", Data: []byte(fmt.Sprintf(demoVRPs, day.Format(time.RFC3339)))}},
		"routes":    {{Name: "demo-rib.bgpdump.txt", Data: []byte(demoBGPDump(now))}},
		"irr":       {{Name: "demo.db", Data: []byte(demoIRR + demoRouteObjects())}},
		"asrel":     {{Name: "demo.as-rel.txt", Data: []byte(fmt.Sprintf(demoASRel, day.Format("20060102")))}},
		"peeringdb": {{Name: "demo-peeringdb.json", Data: []byte(demoPeeringDB)}},
		"manrs":     {{Name: "demo-manrs-conformance.json", Data: []byte(fmt.Sprintf(demoMANRS, time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)))}},
		"spoofer":   {{Name: "demo-spoofer.ndjson", Data: []byte(demoSpoofer(now))}},
	}
}

// SeedEvidence imports the synthetic data sets as demo snapshots (once: kinds that already
// have a snapshot are left alone), then runs every check for the demo vendors' networks and
// stores the results.
func SeedEvidence(ctx context.Context, snaps rw.SnapshotStore, vendors rw.VendorStore, now time.Time) (int, error) {
	created := 0
	for kind, files := range EvidenceFiles(now) {
		// An earlier generation made for the monitoring history is not the current data.
		if s, err := snaps.LatestSnapshot(ctx, kind); err == nil && !strings.Contains(s.Source, historySource) {
			continue
		} else if err != nil && rw.ErrorCode(err) != rw.ENOTFOUND {
			return created, err
		}
		if _, _, err := evidence.Import(ctx, snaps, kind, "demo (synthetic)", files, true); err != nil {
			return created, fmt.Errorf("demo %s data: %w", kind, err)
		}
		created++
	}
	data, err := evidence.Load(ctx, snaps)
	if err != nil {
		return created, err
	}
	lib, err := Library()
	if err != nil {
		return created, err
	}
	data.Bands = evidence.BandsOf(lib)
	results, err := evidence.CheckVendors(ctx, data, vendors, now)
	if err != nil {
		return created, err
	}
	return created, snaps.SaveCheckResults(ctx, results)
}
