package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/internal/web"
	"routewarden/migrations"
)

func fastHash(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }

// serveVariant starts another server on the env's database with other settings.
func (e *env) serveVariant(cfg web.Config, mod func(*web.Deps)) *httptest.Server {
	e.t.Helper()
	deps := fullDeps(e.t, e.db, fastHash)
	if mod != nil {
		mod(&deps)
	}
	srv, err := web.New(cfg, deps)
	if err != nil {
		e.t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	e.t.Cleanup(ts.Close)
	return ts
}

// tryLogin posts a (wrong) password to base's login form with the given extra headers and
// returns the status.
func tryLogin(t *testing.T, base, email string, hdr map[string]string) int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(req *http.Request) (int, string) {
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	req, _ := http.NewRequest("GET", base+"/login", nil)
	_, page := do(req)
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("login page has no CSRF field")
	}
	form := url.Values{"email": {email}, "password": {"wrong password"}, "_csrf": {m[1]}}
	req, _ = http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, _ := do(req)
	return code
}

// TestForgedForwardedForIgnored: without configured proxies, X-Forwarded-For does not change
// the address a client's attempts are counted under; with a configured proxy it does.
func TestForgedForwardedForIgnored(t *testing.T) {
	e := newEnv(t, false)
	for _, tt := range []struct {
		name    string
		proxies []string
		limited bool
	}{
		{"no trusted proxies", nil, true},
		{"loopback proxy trusted", []string{"127.0.0.0/8", "::1"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := e.serveVariant(web.Config{TrustedProxies: tt.proxies}, nil)
			last := 0
			for i := range 22 { // the per-address limit is 20 a minute
				// A fresh e-mail and a fresh forwarded address each time: only the per-address
				// limit can refuse, and only if the forged header is ignored.
				email := fmt.Sprintf("%s-%d@example.com", strings.ReplaceAll(tt.name, " ", "-"), i)
				last = tryLogin(t, ts.URL, email, map[string]string{"X-Forwarded-For": fmt.Sprintf("198.51.100.%d", i+1)})
			}
			if limited := last == http.StatusTooManyRequests; limited != tt.limited {
				t.Errorf("22nd attempt: %d, limited %v, want %v", last, limited, tt.limited)
			}
		})
	}
	if _, err := web.New(web.Config{TrustedProxies: []string{"not-a-cidr"}}, fullDeps(t, e.db, fastHash)); err == nil {
		t.Error("a bad trusted proxy was accepted")
	}
}

// TestLoginLimitSharedByInstances: two servers, each with its own connection pool on one
// database, enforce one login limit (the old limiter counted per process).
func TestLoginLimitSharedByInstances(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			db := b.Open(t)
			db2, err := store.Open(context.Background(), db.DSN, migrations.FS)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db2.Close() })
			var urls []string
			for _, h := range []*store.DB{db, db2} {
				deps := fullDeps(t, h, fastHash)
				srv, err := web.New(web.Config{}, deps)
				if err != nil {
					t.Fatal(err)
				}
				ts := httptest.NewServer(srv.Handler())
				t.Cleanup(ts.Close)
				urls = append(urls, ts.URL)
			}
			var codes []int
			for i := range 6 {
				codes = append(codes, tryLogin(t, urls[i%2], "victim@example.com", nil))
			}
			want := []int{401, 401, 401, 401, 401, 429}
			if fmt.Sprint(codes) != fmt.Sprint(want) {
				t.Errorf("attempts alternating between two instances: %v, want %v", codes, want)
			}
			if n, err := db.CountRateLimits(context.Background()); err != nil || n != 2 {
				t.Errorf("counters in the database: %d (%v), want 2 (address and e-mail)", n, err)
			}
		})
	}
}

// TestMetricsExposure: who may read /metrics in each mode.
func TestMetricsExposure(t *testing.T) {
	e := newEnv(t, false)
	const mtok = "metrics-token-0123456789abcdef"
	servers := map[string]string{}
	for _, mode := range []string{"", web.MetricsOn, web.MetricsOff, web.MetricsToken} {
		servers[mode] = e.serveVariant(web.Config{Metrics: mode, MetricsToken: mtok}, nil).URL
	}
	get := func(base string, hdr map[string]string) int {
		req, _ := http.NewRequest("GET", base+"/metrics", nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 && !strings.Contains(string(b), "# HELP") {
			t.Errorf("200 without metrics: %.100s", b)
		}
		return resp.StatusCode
	}
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	proxied := map[string]string{"X-Forwarded-For": "203.0.113.9"}
	for _, tt := range []struct {
		name, mode string
		hdr        map[string]string
		want       int
	}{
		{"default: loopback client", "", nil, 200},
		{"default: relayed by a local proxy", "", proxied, 401},
		{"default: metrics token", "", bearer(mtok), 200},
		{"default: wrong token", "", bearer("nope"), 401},
		{"on: anyone", web.MetricsOn, proxied, 200},
		{"off: nobody", web.MetricsOff, bearer(mtok), 404},
		{"token: none", web.MetricsToken, nil, 401},
		{"token: metrics token", web.MetricsToken, bearer(mtok), 200},
		{"token: admin API token", web.MetricsToken, bearer(e.tokens[rw.RoleAdmin]), 200},
		{"token: auditor API token", web.MetricsToken, bearer(e.tokens[rw.RoleAuditor]), 401},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := get(servers[tt.mode], tt.hdr); got != tt.want {
				t.Errorf("GET /metrics: %d, want %d", got, tt.want)
			}
		})
	}
	if _, err := web.New(web.Config{Metrics: "public"}, fullDeps(t, e.db, fastHash)); err == nil {
		t.Error("an unknown metrics mode was accepted")
	}
}

// TestAPITokenExpiryAndPasswordReset: an expired token gets 401, and a password set by an
// administrator revokes the user's tokens.
func TestAPITokenExpiryAndPasswordReset(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	u, _ := e.db.FindUserByEmail(ctx, "risk@demo.example")
	short := secret.NewToken("rw_")
	if err := e.db.CreateAPIToken(ctx, &rw.APIToken{UserID: u.ID, Name: "short", TokenHash: secret.HashToken(short), ExpiresAt: e.db.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.tokens["short"] = short
	if code, _ := e.api("GET", "/api/v1/me", "short", ""); code != 200 {
		t.Fatalf("fresh token: %d", code)
	}
	real := e.db.Now
	e.db.Now = func() time.Time { return real().Add(2 * time.Hour) }
	code, _ := e.api("GET", "/api/v1/me", "short", "")
	e.db.Now = real
	if code != 401 {
		t.Errorf("expired token: %d, want 401", code)
	}
	if code, _ := e.api("GET", "/api/v1/me", rw.RoleRiskOfficer, ""); code != 200 {
		t.Fatalf("risk officer's token before the reset: %d", code)
	}
	admin, _ := e.login("admin@demo.example", demo.Password)
	form := admin.form(url.Values{"name": {"Risk"}, "role": {"risk_officer"}, "password": {"a brand new password 42"}})
	if code, body := admin.post(fmt.Sprintf("/admin/users/%d", u.ID), form); code != http.StatusSeeOther {
		t.Fatalf("password reset: %d %.300s", code, body)
	}
	if code, _ := e.api("GET", "/api/v1/me", rw.RoleRiskOfficer, ""); code != 401 {
		t.Errorf("token after the password reset: %d, want 401", code)
	}
	if code, _ := e.api("GET", "/api/v1/me", rw.RoleAuditor, ""); code != 200 {
		t.Errorf("another user's token after the reset: %d", code)
	}
}
