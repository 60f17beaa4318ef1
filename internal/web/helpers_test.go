package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"routewarden/controls"
	"routewarden/internal/attest"
	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	"routewarden/internal/job"
	"routewarden/internal/monitor"
	"routewarden/internal/report"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/internal/web"
	"routewarden/internal/webhook"
	"routewarden/static"
	"routewarden/templates"
)

// env is a running server over a real, demo-seeded SQLite database.
type env struct {
	t      *testing.T
	db     *store.DB
	srv    *web.Server
	ts     *httptest.Server
	tokens map[rw.Role]string
}

func newEnv(t *testing.T, demoMode bool) *env {
	t.Helper()
	ctx := context.Background()
	hash := func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) }
	// The demo is seeded once per test binary; each test gets its own copy of the file.
	db := storetest.SQLiteSeeded(t, "web-demo", func(ctx context.Context, db *store.DB) error {
		_, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now, History: db}, hash)
		return err
	})
	srv, err := web.New(web.Config{Demo: demoMode, Version: "test"}, fullDeps(t, db, hash))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e := &env{t: t, db: db, srv: srv, ts: ts, tokens: map[rw.Role]string{}}
	for _, u := range demo.Users {
		user, err := db.FindUserByEmail(ctx, u.Email)
		if err != nil {
			t.Fatal(err)
		}
		tok := secret.NewToken("rw_")
		if err := db.CreateAPIToken(ctx, &rw.APIToken{UserID: user.ID, Name: "test", TokenHash: secret.HashToken(tok)}); err != nil {
			t.Fatal(err)
		}
		e.tokens[u.Role] = tok
	}
	return e
}

// fullDeps wires every store and service the way serve does: routing evidence, the control
// library, assessments and the vendor portal, and attestations signed with a development
// certificate and checked by the registry-aware verifier.
func fullDeps(t testing.TB, db *store.DB, hash func(string) (string, error)) web.Deps {
	t.Helper()
	set, err := controls.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	signer, _, err := attest.EnsureDevSigner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rules, err := monitor.LoadRules(controls.AlertRules, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := job.Migrate(context.Background(), db.SQL(), string(db.Dialect)); err != nil {
		t.Fatal(err)
	}
	queue, err := job.New(db.SQL(), job.Config{Dialect: string(db.Dialect)}, job.NewWorkers(job.Deps{}))
	if err != nil {
		t.Fatal(err)
	}
	db.Enqueue = queue.EnqueueDeliveries
	regular, _ := static.FS.ReadFile("fonts/DejaVuSans.ttf")
	bold, _ := static.FS.ReadFile("fonts/DejaVuSans-Bold.ttf")
	issuer := &attest.Issuer{Assessments: db, Vendors: db, Snapshots: db, Registry: db, Controls: set, Signer: signer,
		Fonts: attest.Options{Font: regular, BoldFont: bold}, VerifyURL: "https://rw.example/verify", Now: db.Now}
	ev := evidence.NewService(db, db.Now)
	board := &report.BoardIssuer{Sources: report.BoardSources{
		Dashboard: report.DashboardSources{Vendors: db, Assessments: db, Attestations: db, Snapshots: db, Monitor: db},
		Answers:   db, Findings: db, Attestations: db, Evidence: ev.Data,
		Coverage: &report.CoverageSources{Vendors: db, Assessments: db, Libraries: set, Catalogue: set.Catalogue, Current: set.Latest()[0]}},
		Registry: db, Signer: signer, Font: regular, BoldFont: bold, VerifyURL: "https://rw.example/verify", Now: db.Now}
	return web.Deps{Users: db, Auth: db, Vendors: db, Ready: db.Ping, Snapshots: db, Evidence: ev,
		Attestations: db, Attester: issuer, Verifier: &attest.Checker{Trust: signer.TrustPool(), Registry: db, Boards: db},
		BoardReports: db, BoardIssuer: board,
		AttestWarning: "Signed with a development certificate.",
		HashPassword:  hash, CheckPassword: secret.CheckPassword, Logger: testLogger(),
		Templates: templates.FS, Static: static.FS, Now: db.Now, Library: set, Assessments: db, Invitations: db, Audit: db,
		Monitor: db, Jobs: queue, WebhookPolicy: webhook.Policy{}, AlertRules: rules,
		RateLimits: db}
}

// api sends a JSON request with the role's bearer token ("" role: no token).
func (e *env) api(method, path string, role rw.Role, body string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	e    *env
	c    *http.Client
	csrf string
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (e *env) login(email, password string) (*browser, int) {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, page := b.get("/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		e.t.Fatal("login page has no CSRF field")
	}
	code, _ := b.post("/login", url.Values{"email": {email}, "password": {password}, "_csrf": {m[1]}})
	if code == http.StatusSeeOther {
		_, page := b.get("/vendors")
		if m := csrfRE.FindStringSubmatch(page); m != nil {
			b.csrf = m[1]
		}
	}
	return b, code
}

func (b *browser) get(path string) (int, string) {
	b.e.t.Helper()
	resp, err := b.c.Get(b.e.ts.URL + path)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (int, string) {
	b.e.t.Helper()
	resp, err := b.c.PostForm(b.e.ts.URL+path, form)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) form(vals url.Values) url.Values {
	if vals == nil {
		vals = url.Values{}
	}
	vals.Set("_csrf", b.csrf)
	return vals
}

func (e *env) countVendors() int {
	e.t.Helper()
	_, n, err := e.db.FindVendors(context.Background(), rw.VendorFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// testLogger discards logs unless ROUTEWARDEN_TEST_LOG=1 (then they go to stderr).
func testLogger() *slog.Logger {
	if os.Getenv("ROUTEWARDEN_TEST_LOG") == "1" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
