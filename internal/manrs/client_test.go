package manrs

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"routewarden/internal/fetch"
)

const testKey = "manrs-secret-key"

// observatory replays recorded responses behind bearer authentication; the first len(fail)
// requests get the listed status (0 = hang until the client times out).
func observatory(t *testing.T, fail []int, body string) (*Client, *atomic.Int32, *string) {
	t.Helper()
	var n atomic.Int32
	var month string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		i := int(n.Add(1))
		if i <= len(fail) {
			if fail[i-1] == 0 {
				<-r.Context().Done()
				return
			}
			w.Header().Set("Retry-After", "0")
			http.Error(w, "try later", fail[i-1])
			return
		}
		if body != "" {
			_, _ = w.Write([]byte(body))
			return
		}
		switch r.URL.Path {
		case "/api/v2/asns":
			_, _ = w.Write(file(t, "asns.json"))
		case "/api/v2/conformance/net-ops":
			month = r.URL.Query().Get("month")
			_, _ = w.Write(file(t, "conformance_net-ops_v2.json"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(testKey)
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = srv.URL + "/api/v2"
	c.HTTP = fetch.New(fetch.Config{APIKey: testKey, MaxAttempts: 3, BaseDelay: time.Millisecond, Timeout: 100 * time.Millisecond})
	return c, &n, &month
}

func TestClient(t *testing.T) {
	c, _, month := observatory(t, nil, "")
	db, err := c.ASNs(context.Background())
	if err != nil || !db.IsParticipant(13335) {
		t.Fatalf("ASNs: %v", err)
	}
	conf, err := c.Conformance(context.Background(), "net-ops", time.Date(2026, 10, 17, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if *month != "2026-10-01T00:00:00Z" {
		t.Errorf("month param = %q", *month)
	}
	if p, ok := conf.Participant(4200000001); !ok || p.Program != "net-ops" {
		t.Errorf("participant = %+v %v", p, ok)
	}
	if _, err := c.Conformance(context.Background(), "nope", time.Time{}); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("unknown programme: err = %v", err)
	}
	if _, err := NewClient(" "); err == nil {
		t.Error("NewClient accepted an empty key")
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
		{"500 exhausts retries", []int{500, 500, 500}, "", "HTTP 500 Internal Server Error: try later (after 3 attempts)", 3},
		{"timeout", []int{0, 0, 0}, "", "timeout after 100ms (after 3 attempts)", 3},
		{"malformed body", nil, `{"asns":[1,"x"]}`, `byte offset 11: "asns": "x" is not an AS number`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, calls, _ := observatory(t, tt.fail, tt.body)
			db, err := c.ASNs(context.Background())
			if calls.Load() != tt.wantCalls {
				t.Errorf("requests = %d, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantErr == "" {
				if err != nil || !db.IsParticipant(3333) {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "/api/v2/asns") {
				t.Fatalf("err = %v, want %q naming the URL", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error leaks the key: %v", err)
			}
		})
	}
}
