package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store/storetest"
	"routewarden/internal/web"
)

// argonParams returns the cost part of an encoded argon2id hash ("m=..,t=..,p=..").
func argonParams(h string) string {
	parts := strings.Split(h, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return ""
	}
	return parts[2] + "$" + parts[3]
}

// TestLoginUnknownAccountHashes: a login with an unknown e-mail address, or a disabled account,
// does the same argon2id work as a wrong password for a real account (a check against a dummy
// hash with the same parameters), so the answer time does not reveal which addresses have
// accounts. The password check is counted through the injectable CheckPassword.
func TestLoginUnknownAccountHashes(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now}, hash); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var checked []string
	deps := fullDeps(t, db, hash)
	deps.CheckPassword = func(h, p string) bool {
		mu.Lock()
		checked = append(checked, h)
		mu.Unlock()
		return secret.CheckPassword(h, p)
	}
	srv, err := web.New(web.Config{Version: "test"}, deps)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e := &env{t: t, db: db, srv: srv, ts: ts}
	real, err := db.FindUserByEmail(ctx, "auditor@demo.example")
	if err != nil {
		t.Fatal(err)
	}
	disabled, err := db.FindUserByEmail(ctx, "risk@demo.example")
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := db.UpdateUser(ctx, disabled.ID, rw.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	want := argonParams(real.PasswordHash)
	if want == "" {
		t.Fatalf("the demo user's hash is not argon2id: %q", real.PasswordHash)
	}
	for _, tt := range []struct {
		name, email, password string
		status                int
	}{
		{"unknown account", "nobody@example.net", "a wrong password", http.StatusUnauthorized},
		{"disabled account, right password", "risk@demo.example", demo.Password, http.StatusUnauthorized},
		{"real account, wrong password", "auditor@demo.example", "a wrong password", http.StatusUnauthorized},
		{"real account, right password", "auditor@demo.example", demo.Password, http.StatusSeeOther},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			checked = nil
			mu.Unlock()
			if _, code := e.login(tt.email, tt.password); code != tt.status {
				t.Fatalf("login: %d, want %d", code, tt.status)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(checked) != 1 {
				t.Fatalf("%d password checks, want exactly 1", len(checked))
			}
			if got := argonParams(checked[0]); got != want {
				t.Errorf("checked a hash with %q, real accounts use %q", got, want)
			}
		})
	}
}

// TestLoginRedirect: after signing in, next= leads only to a path on this site, however the
// value is disguised for the browser. (Logins are limited to 5 a minute per address, so the
// sign-in form is tried with four values and the signed-in redirect of /login with all.)
func TestLoginRedirect(t *testing.T) {
	e := newEnv(t, false)
	cases := []struct {
		next, want string
		post       bool
	}{
		{"/vendors/1", "/vendors/1", true},
		{"/\t/evil.example", "/vendors", true},
		{`/\evil.example`, "/vendors", true},
		{"/\r\n/evil.example", "/vendors", true},
		{"//evil.example", "/vendors", false},
		{"%2F%2Fevil.example", "/vendors", false},
		{"https://evil.example/", "/vendors", false},
	}
	var signedIn *browser
	for _, tt := range cases {
		if !tt.post {
			continue
		}
		t.Run("sign-in/"+url.QueryEscape(tt.next), func(t *testing.T) {
			b := e.anonymous()
			_, page := b.get("/login?next=" + url.QueryEscape(tt.next))
			m := csrfRE.FindStringSubmatch(page)
			if m == nil {
				t.Fatal("no login form")
			}
			resp, err := b.c.PostForm(e.ts.URL+"/login", url.Values{"email": {"auditor@demo.example"}, "password": {demo.Password}, "_csrf": {m[1]}, "next": {tt.next}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != tt.want {
				t.Errorf("next=%q: %d to %q, want %q", tt.next, resp.StatusCode, loc, tt.want)
			}
			signedIn = b
		})
	}
	if signedIn == nil {
		t.Fatal("no sign-in succeeded")
	}
	for _, tt := range cases {
		t.Run("signed-in/"+url.QueryEscape(tt.next), func(t *testing.T) {
			resp, err := signedIn.c.Get(e.ts.URL + "/login?next=" + url.QueryEscape(tt.next))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != tt.want {
				t.Errorf("signed in, next=%q: %d to %q, want %q", tt.next, resp.StatusCode, loc, tt.want)
			}
		})
	}
}

// anonymous is a cookie-keeping browser that has not signed in and does not follow redirects.
func (e *env) anonymous() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}
