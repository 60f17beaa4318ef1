package peeringdb

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"routewarden/internal/fetch"
)

// replay serves the recorded PeeringDB responses; failNet makes the first failNet requests to
// /api/net answer with the given status.
func replay(t *testing.T, netStatus []int, netBody string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	netRec, _ := os.ReadFile("testdata/net_3333_10745_197000.json")
	pocRec, _ := os.ReadFile("testdata/poc_net_5104.json")
	if netBody == "" {
		netBody = string(netRec)
	}
	var netCalls atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/api/net", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("asn") != "3333" || r.Header.Get("Authorization") != "Api-Key k3y" {
			http.Error(w, "bad query", 400)
			return
		}
		n := int(netCalls.Add(1))
		if n <= len(netStatus) {
			if netStatus[n-1] == 0 { // hang until the client gives up
				<-r.Context().Done()
				return
			}
			w.Header().Set("Retry-After", "0")
			http.Error(w, "throttled", netStatus[n-1])
			return
		}
		_, _ = w.Write([]byte(netBody))
	})
	mux.HandleFunc("/api/poc", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("net_id") != "5104" {
			_, _ = w.Write([]byte(`{"data":[]}`))
			return
		}
		_, _ = w.Write(pocRec)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &netCalls
}

func TestClientNetwork(t *testing.T) {
	tests := []struct {
		name      string
		statuses  []int
		body      string
		wantErr   string
		wantCalls int32
	}{
		{"recorded responses", nil, "", "", 1},
		{"429 then 200", []int{429}, "", "", 2},
		{"500 exhausts retries", []int{500, 500, 500}, "", "HTTP 500 Internal Server Error: throttled (after 3 attempts)", 3},
		{"timeout", []int{0, 0, 0}, "", "timeout after 100ms (after 3 attempts)", 3},
		{"malformed body", nil, `{"data":[{"id":5104,"asn":"x"}]}`, "byte offset 9", 1},
		{"unknown ASN", nil, `{"data":[]}`, "AS3333 has no PeeringDB network record", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := replay(t, tt.statuses, tt.body)
			c := &Client{BaseURL: srv.URL + "/api", HTTP: fetch.New(fetch.Config{
				APIKey: "k3y", AuthScheme: "Api-Key", MaxAttempts: 3, BaseDelay: time.Millisecond,
				Timeout: 100 * time.Millisecond,
			})}
			db, err := c.Network(context.Background(), 3333)
			if calls.Load() != tt.wantCalls {
				t.Errorf("net requests = %d, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "k3y") {
					t.Errorf("error leaks the API key: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			n, ok := db.Network(3333)
			if !ok || n.Name != "RIPE NCC" || !n.HasContact(RoleNOC) || !n.HasContact(RoleAbuse) {
				t.Errorf("network = %+v", n)
			}
		})
	}
}
