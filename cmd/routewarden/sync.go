package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"routewarden/internal/evidence"
	"routewarden/internal/fetch"
	"routewarden/internal/manrs"
	"routewarden/internal/peeringdb"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// syncSources are the live sources `sync` can fetch; each becomes a snapshot of its kind, with
// the fetched bytes kept as the snapshot's file (so provenance is the same as for an import).
var syncSources = map[string]string{"vrps": "vrps", "ris": "routes", "peeringdb": "peeringdb", "manrs": "manrs"}

type syncConfig struct {
	VRPURL, RISURL, PeeringDBURL, PeeringDBKey, MANRSURL, MANRSKey string
	Timeout                                                        time.Duration
}

func cmdSync(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	var sc syncConfig
	fs := newFlags("sync", &cfg, getenv, stderr)
	fs.StringVar(&sc.VRPURL, "vrp-url", envOr(getenv, "VRP_URL", ""), "Routinator or rpki-client JSON endpoint (e.g. http://routinator:8323/json)")
	fs.StringVar(&sc.RISURL, "ris-url", envOr(getenv, "RIS_URL", ""), "URL of an MRT RIB dump (RIS or RouteViews bview, gzip or bzip2)")
	fs.StringVar(&sc.PeeringDBURL, "peeringdb-url", envOr(getenv, "PEERINGDB_URL", peeringdb.DefaultBaseURL), "PeeringDB API root")
	fs.StringVar(&sc.MANRSURL, "manrs-url", envOr(getenv, "MANRS_URL", manrs.DefaultBaseURL), "MANRS Observatory API v2 root")
	fs.DurationVar(&sc.Timeout, "timeout", 5*time.Minute, "timeout per request")
	sc.PeeringDBKey, sc.MANRSKey = getenv("ROUTEWARDEN_PEERINGDB_KEY"), getenv("ROUTEWARDEN_MANRS_KEY")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	for _, p := range pos {
		if _, ok := syncSources[p]; !ok {
			pos = nil
		}
	}
	if len(pos) == 0 {
		return usageErr(stderr, fmt.Errorf("usage: routewarden sync vrps|ris|peeringdb|manrs... (see `routewarden help`)"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	log := cfg.logger(stderr)
	db, err := openDB(ctx, &cfg, true, log)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	failed := 0
	for _, src := range pos {
		s, err := syncOne(ctx, db, src, sc, fetch.Config{Timeout: sc.Timeout, Logger: log, UserAgent: "routewarden/" + version})
		if err != nil {
			fmt.Fprintf(stderr, "routewarden: sync %s: %v\n", src, err)
			failed++
			continue
		}
		fmt.Fprintf(stdout, "snapshot %d: %s from %s, %d records, digest %s\n", s.ID, s.Kind, s.Source, s.Records, s.Digest)
	}
	if failed < len(pos) {
		d, err := evidence.Load(ctx, db)
		if err == nil {
			d.Bands, err = checkBands()
		}
		if err == nil {
			var rs []rw.CheckResult
			if rs, err = evidence.CheckVendors(ctx, d, db, db.Now()); err == nil {
				err = db.SaveCheckResults(ctx, rs)
			}
		}
		if err != nil {
			return fail(stderr, err)
		}
	}
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}

// syncOne fetches one source and imports it; nothing is stored when the fetch or the parse fails.
func syncOne(ctx context.Context, db *store.DB, src string, sc syncConfig, fc fetch.Config) (*rw.Snapshot, error) {
	var u, name string
	var data []byte
	var err error
	switch src {
	case "vrps":
		if sc.VRPURL == "" {
			return nil, fmt.Errorf("set --vrp-url or ROUTEWARDEN_VRP_URL to a Routinator or rpki-client JSON endpoint")
		}
		fc.MaxBytes = fetch.VRPMaxBytes
		u, name = sc.VRPURL, "vrps.json"
		data, err = fetch.VRPs(ctx, fetch.New(fc), u)
	case "ris":
		if sc.RISURL == "" {
			return nil, fmt.Errorf("set --ris-url or ROUTEWARDEN_RIS_URL to an MRT RIB dump, e.g. https://data.ris.ripe.net/rrc00/latest-bview.gz")
		}
		fc.MaxBytes = 2 << 30
		u = sc.RISURL
		name = u[strings.LastIndexByte(u, '/')+1:]
		data, err = fetch.New(fc).Get(ctx, u)
	case "peeringdb":
		u, err = peeringDBURL(ctx, db, sc.PeeringDBURL)
		if err != nil {
			return nil, err
		}
		fc.APIKey, fc.AuthScheme, name = sc.PeeringDBKey, "Api-Key", "peeringdb-net.json"
		data, err = fetch.New(fc).Get(ctx, u, fetch.Header{Name: "Accept", Value: "application/json"})
	case "manrs":
		if sc.MANRSKey == "" {
			return nil, fmt.Errorf("set ROUTEWARDEN_MANRS_KEY to a MANRS Observatory API key")
		}
		fc.APIKey, name = sc.MANRSKey, "manrs-net-ops.json"
		u = strings.TrimSuffix(sc.MANRSURL, "/") + "/conformance/net-ops"
		data, err = fetch.New(fc).Get(ctx, u, fetch.Header{Name: "Accept", Value: "application/json"})
	}
	if err != nil {
		return nil, err
	}
	s, _, err := evidence.Import(ctx, db, syncSources[src], fetch.Redact(u), []evidence.File{{Name: name, Data: data}}, false)
	if err != nil {
		return nil, fmt.Errorf("%s", rw.ErrorMessage(err))
	}
	return s, nil
}

// peeringDBURL asks for the net records (with their contacts, depth=2) of every ASN in the
// vendor register.
func peeringDBURL(ctx context.Context, db *store.DB, base string) (string, error) {
	nets, err := db.FindNetworks(ctx)
	if err != nil {
		return "", err
	}
	seen := map[uint32]bool{}
	for _, n := range nets {
		seen[n.ASN] = true
	}
	if len(seen) == 0 {
		return "", fmt.Errorf("the vendor register has no networks to look up in PeeringDB")
	}
	asns := make([]string, 0, len(seen))
	for a := range seen {
		asns = append(asns, strconv.FormatUint(uint64(a), 10))
	}
	sort.Strings(asns)
	q := url.Values{"asn__in": {strings.Join(asns, ",")}, "depth": {"2"}}
	return strings.TrimSuffix(base, "/") + "/net?" + q.Encode(), nil
}
