package spoofer

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

// api replays two pages for AS3356 built from the recorded sessions; fail lists statuses for
// the first requests (0 = hang until the client times out).
func api(t *testing.T, fail []int, body string) (*Client, *atomic.Int32) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(open(t, "sessions_AS3356.ndjson"))), "\n")
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1))
		if i <= len(fail) {
			if fail[i-1] == 0 {
				<-r.Context().Done()
				return
			}
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", fail[i-1])
			return
		}
		if body != "" {
			_, _ = w.Write([]byte(body))
			return
		}
		q := r.URL.Query()
		if r.URL.Path != "/sessions" || q.Get("asn") != "3356" || q.Get("timestamp[after]") != "2020-05-01" ||
			r.Header.Get("Accept") != "application/ld+json" {
			http.Error(w, "bad request", 400)
			return
		}
		if q.Get("page") == "2" {
			_, _ = w.Write([]byte(`{"hydra:member":[` + lines[1] + `],"hydra:view":{"@id":"/sessions?page=2"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"@context":"/contexts/Session","hydra:member":[` + lines[0] +
			`],"hydra:view":{"hydra:next":"/sessions?asn=3356&timestamp%5Bafter%5D=2020-05-01&page=2"}}`))
	}))
	t.Cleanup(srv.Close)
	return &Client{BaseURL: srv.URL, HTTP: fetch.New(fetch.Config{MaxAttempts: 3, BaseDelay: time.Millisecond,
		Timeout: 100 * time.Millisecond})}, &n
}

func TestClientSessions(t *testing.T) {
	since := time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		fail      []int
		body      string
		wantErr   string
		wantCalls int32
	}{
		{"two pages", nil, "", "", 2},
		{"429 then 200", []int{429}, "", "", 3},
		{"500 exhausts retries", []int{500, 500, 500}, "", "HTTP 500 Internal Server Error: busy (after 3 attempts)", 3},
		{"timeout", []int{0, 0, 0}, "", "timeout after 100ms (after 3 attempts)", 3},
		{"malformed body", nil, `{"hydra:member":[{"session":1,"timestamp":"x"}]}`, `byte offset 17: session 1: field "timestamp"`, 1},
		{"foreign next page", nil, `{"hydra:member":[],"hydra:view":{"hydra:next":"https://evil.example/x"}}`, "is not a path on the same server", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, calls := api(t, tt.fail, tt.body)
			db, err := c.Sessions(context.Background(), 3356, since)
			if calls.Load() != tt.wantCalls {
				t.Errorf("requests = %d, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "/sessions?") {
					t.Fatalf("err = %v, want %q naming the URL", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			o, ok := db.Latest(3356)
			if !ok || o.Session != 894351 || o.Routed != Blocked || db.Stats().Sessions != 2 {
				t.Errorf("Latest = %+v %v, stats %+v", o, ok, db.Stats())
			}
		})
	}
}
