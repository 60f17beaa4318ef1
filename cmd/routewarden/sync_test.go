package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSync replays recorded responses of a VRP endpoint and the PeeringDB API, and checks that a
// failing source is reported and stores nothing.
func TestSync(t *testing.T) {
	vrps, _ := os.ReadFile("testdata/sync/vrps.json")
	pdb, _ := os.ReadFile("testdata/sync/peeringdb-net.json")
	var pdbQuery atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/json":
			w.Header().Set("Content-Type", "application/json")
			w.Write(vrps)
		case r.URL.Path == "/api/net":
			pdbQuery.Store(r.URL.RawQuery)
			w.Header().Set("Content-Type", "application/json")
			w.Write(pdb)
		case r.URL.Path == "/html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>login</html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "seed", "--demo"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCmd(t, env, "", "sync", "vrps", "peeringdb", "--vrp-url", srv.URL+"/json", "--peeringdb-url", srv.URL+"/api")
	if code != 0 || strings.Count(out, "snapshot ") != 2 {
		t.Fatalf("sync: %d\n%s\n%s", code, out, errs)
	}
	if q, _ := pdbQuery.Load().(string); !strings.Contains(q, "asn__in=64496%2C64497") || !strings.Contains(q, "depth=2") {
		t.Errorf("PeeringDB query %q does not ask for the register's ASNs with contacts", q)
	}
	code, _, errs = runCmd(t, env, "", "sync", "vrps", "--vrp-url", srv.URL+"/html")
	if code != 1 || !strings.Contains(errs, "sync vrps") {
		t.Fatalf("HTML instead of VRPs: %d %q", code, errs)
	}
	code, _, errs = runCmd(t, env, "", "sync", "ris", "--ris-url", srv.URL+"/missing.gz")
	if code != 1 || !strings.Contains(errs, "404") {
		t.Fatalf("missing RIB: %d %q", code, errs)
	}
	code, _, errs = runCmd(t, env, "", "sync", "manrs")
	if code != 1 || !strings.Contains(errs, "ROUTEWARDEN_MANRS_KEY") {
		t.Fatalf("manrs without key: %d %q", code, errs)
	}
	if code, _, _ := runCmd(t, env, "", "sync", "everything"); code != 2 {
		t.Errorf("unknown source: %d, want 2", code)
	}
	// The demo had one VRP snapshot; the failed syncs added none.
	code, out, _ = runCmd(t, env, "", "check", "--format", "json", "AS3333")
	if code != 0 || !strings.Contains(out, `"source": "`+srv.URL+`/json"`) {
		t.Fatalf("check after sync does not use the synced VRPs:\n%s", out[:min(len(out), 600)])
	}
}
