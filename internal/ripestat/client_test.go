package ripestat

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"routewarden/internal/fetch"
)

// recorded maps "call?resource[&prefix]" to the testdata file replayed for it.
var recorded = map[string]string{
	"announced-prefixes?AS3333":                 "announced-prefixes_AS3333.json",
	"rpki-validation?134768&240e:108:1140::/48": "rpki-validation_valid.json",
	"rpki-validation?30502&0.0.0.0/0":           "rpki-validation_unknown.json",
	"routing-status?AS3333":                     "routing-status_AS3333.json",
	"routing-status?193.0.0.0/21":               "routing-status_193.0.0.0-21.json",
	"as-routing-consistency?AS3333":             "as-routing-consistency_AS3333.json",
	"abuse-contact-finder?AS3333":               "abuse-contact-finder_AS3333.json",
}

// server replays recorded responses. The first len(fail) requests get the listed status
// (0 = hang until the client times out); body, if set, replaces every recorded body.
func server(t *testing.T, fail []int, body string) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1))
		if i <= len(fail) {
			if fail[i-1] == 0 {
				<-r.Context().Done()
				return
			}
			w.Header().Set("Retry-After", "0")
			http.Error(w, "rate limited", fail[i-1])
			return
		}
		q := r.URL.Query()
		if q.Get("sourceapp") != "routewarden-test" {
			http.Error(w, "missing sourceapp", 400)
			return
		}
		call := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/data/"), "/data.json")
		key := call + "?" + q.Get("resource")
		if p := q.Get("prefix"); p != "" {
			key += "&" + p
		}
		file, ok := recorded[key]
		if !ok {
			http.Error(w, `{"status":"error","status_code":404}`, 404)
			return
		}
		if body != "" {
			_, _ = w.Write([]byte(body))
			return
		}
		_, _ = w.Write(load(t, file))
	}))
	t.Cleanup(srv.Close)
	return &Client{BaseURL: srv.URL + "/data/", SourceApp: "routewarden-test", HTTP: fetch.New(fetch.Config{
		MaxAttempts: 3, BaseDelay: time.Millisecond, Timeout: 100 * time.Millisecond})}, &n
}

func TestClientCalls(t *testing.T) {
	c, _ := server(t, nil, "")
	ctx := context.Background()
	ap, err := c.AnnouncedPrefixes(ctx, 3333)
	if err != nil || len(ap.Prefixes) != 2 {
		t.Fatalf("AnnouncedPrefixes: %v %+v", err, ap)
	}
	v, err := c.RPKIValidation(ctx, 134768, netip.MustParsePrefix("240e:108:1140::/48"))
	if err != nil || v.Status != RPKIValid {
		t.Fatalf("RPKIValidation: %v %+v", err, v)
	}
	u, err := c.RPKIValidation(ctx, 30502, netip.MustParsePrefix("0.0.0.0/0"))
	if err != nil || u.Status != RPKIUnknown {
		t.Fatalf("RPKIValidation: %v %+v", err, u)
	}
	rs, err := c.RoutingStatus(ctx, "AS3333")
	if err != nil || rs.ObservedNeighbours != 42 {
		t.Fatalf("RoutingStatus: %v %+v", err, rs)
	}
	rc, err := c.ASRoutingConsistency(ctx, 3333)
	if err != nil || rc.Authority != "ripe" {
		t.Fatalf("ASRoutingConsistency: %v %+v", err, rc)
	}
	ab, err := c.AbuseContacts(ctx, "AS3333")
	if err != nil || len(ab.Contacts) != 1 {
		t.Fatalf("AbuseContacts: %v %+v", err, ab)
	}
	if _, err := c.AbuseContacts(ctx, "AS64496"); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("unknown resource: err = %v", err)
	}
}

func TestClientFailures(t *testing.T) {
	tests := []struct {
		name      string
		fail      []int
		body      string
		wantErr   string
		wantCalls int32
	}{
		{"429 then 200", []int{429}, "", "", 2},
		{"500 exhausts retries", []int{500, 500, 500}, "", "HTTP 500 Internal Server Error: rate limited (after 3 attempts)", 3},
		{"timeout", []int{0, 0, 0}, "", "timeout after 100ms (after 3 attempts)", 3},
		{"malformed body", nil, `{"status":"ok","data_call_name":"rpki-validation","data":{"status":"valid","prefix":"240e::/16","resource":"x"}}`,
			`field data.resource: "x" is not an AS number`, 1},
		{"truncated body", nil, `{"status":"ok","data":{`, "invalid JSON", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, calls := server(t, tt.fail, tt.body)
			v, err := c.RPKIValidation(context.Background(), 134768, netip.MustParsePrefix("240e:108:1140::/48"))
			if calls.Load() != tt.wantCalls {
				t.Errorf("requests = %d, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantErr == "" {
				if err != nil || v.Status != RPKIValid {
					t.Fatalf("err = %v, v = %+v", err, v)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "/data/rpki-validation/data.json?") {
				t.Fatalf("err = %v, want %q naming the URL", err, tt.wantErr)
			}
		})
	}
}
