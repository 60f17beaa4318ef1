package fetch

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder replaces the client's sleep so that tests run instantly and can assert the waits.
type recorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	return ctx.Err()
}

func newTestClient(cfg Config) (*Client, *recorder) {
	c := New(cfg)
	rec := &recorder{}
	c.sleep = rec.sleep
	c.jitter = func(d time.Duration) time.Duration { return d } // deterministic: the cap itself
	return c, rec
}

// sequence serves the given handlers in order, one per request, repeating the last.
func sequence(t *testing.T, hs ...http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		hs[min(i, len(hs)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, body string, hdr ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	}
}

func TestGetRetries(t *testing.T) {
	recorded, err := os.ReadFile("testdata/rpki-client.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		handlers  []http.HandlerFunc
		wantErr   string // substring; "" means success
		wantCalls int32
		wantWaits []time.Duration
	}{
		{"429 then 200 honours Retry-After",
			[]http.HandlerFunc{status(429, "slow down", "Retry-After", "3"), status(200, string(recorded))},
			"", 2, []time.Duration{3 * time.Second}},
		{"503 then 200 backs off",
			[]http.HandlerFunc{status(503, "busy"), status(200, string(recorded))},
			"", 2, []time.Duration{100 * time.Millisecond}},
		{"500 exhausts retries",
			[]http.HandlerFunc{status(500, "<html>internal\nerror</html>")},
			"HTTP 500 Internal Server Error: <html>internal error</html> (after 4 attempts)", 4,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond}},
		{"404 is not retried",
			[]http.HandlerFunc{status(404, "no such ASN")},
			"HTTP 404 Not Found: no such ASN", 1, nil},
		{"Retry-After beyond the limit stops",
			[]http.HandlerFunc{status(429, "", "Retry-After", "3600")},
			"server asked to retry after 1h0m0s, more than the 10s limit", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, calls := sequence(t, tt.handlers...)
			c, rec := newTestClient(Config{BaseDelay: 100 * time.Millisecond, MaxDelay: 10 * time.Second})
			body, err := c.Get(context.Background(), srv.URL+"/json")
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if !bytes.Equal(body, recorded) {
					t.Errorf("body differs from the recorded response (%d vs %d bytes)", len(body), len(recorded))
				}
			} else {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), srv.URL+"/json") {
					t.Errorf("error %q does not name the URL", err)
				}
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", got, tt.wantCalls)
			}
			if len(rec.waits) != len(tt.wantWaits) {
				t.Fatalf("waits = %v, want %v", rec.waits, tt.wantWaits)
			}
			for i := range rec.waits {
				if rec.waits[i] != tt.wantWaits[i] {
					t.Errorf("wait %d = %v, want %v", i, rec.waits[i], tt.wantWaits[i])
				}
			}
		})
	}
}

func TestGetTimeout(t *testing.T) {
	release := make(chan struct{})
	srv, calls := sequence(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c, _ := newTestClient(Config{Timeout: 50 * time.Millisecond, MaxAttempts: 2})
	start := time.Now()
	_, err := c.Get(context.Background(), srv.URL+"/slow")
	if err == nil || !strings.Contains(err.Error(), "timeout after 50ms (after 2 attempts)") {
		t.Fatalf("err = %v, want a timeout after 2 attempts", err)
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Status != 0 || fe.Attempts != 2 {
		t.Errorf("err = %#v, want *Error with status 0 and 2 attempts", err)
	}
	if calls.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", calls.Load())
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("timeout not enforced: took %v", time.Since(start))
	}
}

func TestGetCancelledContextStops(t *testing.T) {
	srv, calls := sequence(t, status(503, ""))
	c := New(Config{BaseDelay: time.Hour, MaxDelay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, srv.URL)
	if err == nil || !strings.Contains(err.Error(), "context deadline exceeded") {
		t.Fatalf("err = %v, want the context error", err)
	}
	if calls.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", calls.Load())
	}
}

func TestGetSizeLimit(t *testing.T) {
	srv, _ := sequence(t, status(200, strings.Repeat("x", 2048)))
	c, _ := newTestClient(Config{MaxBytes: 1024})
	_, err := c.Get(context.Background(), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "exceeds the 1024-byte limit") {
		t.Fatalf("err = %v, want size-limit error", err)
	}
	c2, _ := newTestClient(Config{MaxBytes: 2048})
	if _, err := c2.Get(context.Background(), srv.URL); err != nil {
		t.Fatalf("body of exactly MaxBytes refused: %v", err)
	}
}

func TestAPIKeySentNeverShown(t *testing.T) {
	const key = "s3cr3t-KEY-value"
	var gotAuth, gotAccept string
	srv, _ := sequence(t, func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotAccept = r.Header.Get("Authorization"), r.Header.Get("Accept")
		w.WriteHeader(403)
	})
	for _, scheme := range []string{"", "Api-Key"} {
		c, _ := newTestClient(Config{APIKey: key, AuthScheme: scheme})
		_, err := c.Get(context.Background(), srv.URL+"/api/v2/asns?token="+key, Header{"Accept", "application/json"})
		want := "Bearer " + key
		if scheme != "" {
			want = scheme + " " + key
		}
		if gotAuth != want || gotAccept != "application/json" {
			t.Errorf("Authorization = %q, Accept = %q; want %q and application/json", gotAuth, gotAccept, want)
		}
		if err == nil || strings.Contains(err.Error(), key) {
			t.Errorf("error %v must exist and must not contain the key", err)
		}
		if !strings.Contains(err.Error(), "token=REDACTED") {
			t.Errorf("error %q should show the redacted query", err)
		}
	}
}

func TestClientRateLimited(t *testing.T) {
	srv, calls := sequence(t, status(200, "{}"))
	c, _ := newTestClient(Config{Rate: 1000, Burst: 1})
	start := time.Now()
	for i := 0; i < 20; i++ {
		if _, err := c.Get(context.Background(), srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 20 {
		t.Errorf("calls = %d", calls.Load())
	}
	// 19 waits of 1 ms each at least.
	if el := time.Since(start); el < 15*time.Millisecond {
		t.Errorf("20 requests at 1000/s with burst 1 took only %v", el)
	}
}

func TestVRPs(t *testing.T) {
	recorded, _ := os.ReadFile("testdata/rpki-client.json")
	tests := []struct {
		name    string
		h       http.HandlerFunc
		wantErr string
	}{
		{"recorded rpki-client export", status(200, string(recorded)), ""},
		{"HTML error page with 200", status(200, "\n<html>maintenance</html>"), `byte offset 1: expected a JSON object (VRP export), found "<html>maintenance</html>"`},
		{"empty body", status(200, "  "), "empty response body"},
		{"server error", status(502, "bad gateway"), "HTTP 502 Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := sequence(t, tt.h)
			c, _ := newTestClient(Config{MaxAttempts: 2})
			body, err := VRPs(context.Background(), c, srv.URL+"/json")
			if tt.wantErr == "" {
				if err != nil || !bytes.Equal(body, recorded) {
					t.Fatalf("VRPs: err %v, %d bytes", err, len(body))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), srv.URL) {
				t.Fatalf("err = %v, want %q naming the URL", err, tt.wantErr)
			}
		})
	}
}

func TestInvalidURL(t *testing.T) {
	c := New(Config{})
	if _, err := c.Get(context.Background(), "not a url"); err == nil || !strings.Contains(err.Error(), "invalid URL") {
		t.Fatalf("err = %v", err)
	}
}

func TestGetConnectionRefusedIsRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c, rec := newTestClient(Config{MaxAttempts: 3, BaseDelay: time.Millisecond})
	_, err := c.Get(context.Background(), addr+"/x")
	if err == nil || !strings.Contains(err.Error(), "network error") || !strings.Contains(err.Error(), "(after 3 attempts)") {
		t.Fatalf("err = %v, want a network error after 3 attempts", err)
	}
	if len(rec.waits) != 2 {
		t.Errorf("waits = %v, want 2", rec.waits)
	}
}

func TestRetryLogNeverShowsKey(t *testing.T) {
	const key = "very-secret-key"
	srv, _ := sequence(t, status(503, "down"), status(200, "{}"))
	var buf bytes.Buffer
	c, _ := newTestClient(Config{APIKey: key, Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if _, err := c.Get(context.Background(), srv.URL+"/x?api_key="+key); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "fetch: retrying") || !strings.Contains(out, "status=503") || !strings.Contains(out, "api_key=REDACTED") {
		t.Errorf("log = %q", out)
	}
	if strings.Contains(out, key) {
		t.Errorf("log leaks the key: %q", out)
	}
}
