package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/migrations"
)

// tokenRE is how the acceptance checks pick a token out of `token create` output.
var tokenRE = regexp.MustCompile(`[A-Za-z0-9_.~+/=-]{20,}`)

// TestTokenLifecycleCLI: create with an expiry, list without secrets, revoke one and all.
func TestTokenLifecycleCLI(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"ROUTEWARDEN_DATA_DIR": dir}
	if code, _, errs := runCmd(t, env, "", "migrate", "up"); code != 0 {
		t.Fatal(errs)
	}
	for _, email := range []string{"a@example.com", "b@example.com"} {
		if code, _, errs := runCmd(t, env, "", "user", "add", "--email", email, "--role", "admin"); code != 0 {
			t.Fatal(errs)
		}
	}
	var toks []string
	for _, args := range [][]string{
		{"token", "create", "--user", "a@example.com", "--name", "ci"},
		{"token", "create", "--user", "a@example.com", "--expires", "7d"},
		{"token", "create", "--user", "b@example.com", "--expires", "36h"},
	} {
		code, out, errs := runCmd(t, env, "", args...)
		lines := tokenRE.FindAllString(out, -1)
		if code != 0 || len(lines) != 1 || !strings.HasPrefix(lines[0], "rw_") || !strings.Contains(errs, "expires") {
			t.Fatalf("%q: %d %q %q", args, code, out, errs)
		}
		toks = append(toks, lines[0])
	}
	code, out, _ := runCmd(t, env, "", "token", "list")
	if code != 0 || !strings.Contains(out, "ci") || !strings.Contains(out, "b@example.com") || !strings.Contains(out, "3 token(s)") ||
		!strings.Contains(out, time.Now().UTC().AddDate(0, 0, 90).Format(time.DateOnly)) {
		t.Fatalf("token list: %d\n%s", code, out)
	}
	for _, tok := range toks {
		if strings.Contains(out, tok) || strings.Contains(out, tok[3:15]) {
			t.Errorf("token list shows a secret:\n%s", out)
		}
	}
	if code, out, _ := runCmd(t, env, "", "token", "list", "--user", "b@example.com"); code != 0 || strings.Contains(out, "a@example.com") || !strings.Contains(out, "1 token(s)") {
		t.Errorf("token list --user: %d\n%s", code, out)
	}
	if code, out, _ := runCmd(t, env, "", "token", "revoke", "1"); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("revoke 1: %d %q", code, out)
	}
	if code, _, errs := runCmd(t, env, "", "token", "revoke", "1"); code != 1 || !strings.Contains(errs, "no API token with ID 1") {
		t.Errorf("revoke 1 again: %d %q", code, errs)
	}
	if code, out, _ := runCmd(t, env, "", "token", "revoke", "--user", "a@example.com"); code != 0 || !strings.Contains(out, "revoked 1 token(s)") {
		t.Errorf("revoke --user: %d %q", code, out)
	}
	if _, out, _ := runCmd(t, env, "", "token", "list"); !strings.Contains(out, "1 token(s)") {
		t.Errorf("after revocations:\n%s", out)
	}
	for _, args := range [][]string{{"token", "create", "--user", "a@example.com", "--expires", "0d"}, {"token", "create", "--user", "a@example.com", "--expires", "forever"},
		{"token", "revoke"}, {"token", "revoke", "x"}, {"token", "revoke", "1", "--user", "a@example.com"}, {"token", "frob"}} {
		if code, _, _ := runCmd(t, env, "", args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// TestServeExposureSettings: serve refuses mail without a public URL and bad exposure settings
// before it touches the database.
func TestServeExposureSettings(t *testing.T) {
	smtp := map[string]string{"ROUTEWARDEN_SMTP_HOST": "smtp.example.org", "ROUTEWARDEN_SMTP_FROM": "rw@example.org"}
	for _, tt := range []struct {
		name string
		env  map[string]string
		says string
	}{
		{"mail without public URL", smtp, "ROUTEWARDEN_PUBLIC_URL"},
		{"public URL with a query", map[string]string{"ROUTEWARDEN_PUBLIC_URL": "https://rw.example/?x=1"}, "ROUTEWARDEN_PUBLIC_URL"},
		{"bad proxy", map[string]string{"ROUTEWARDEN_TRUSTED_PROXIES": "10.0.0.0/8, proxy.example"}, "proxy.example"},
		{"bad metrics mode", map[string]string{"ROUTEWARDEN_METRICS": "public"}, "ROUTEWARDEN_METRICS"},
		{"short metrics token", map[string]string{"ROUTEWARDEN_METRICS_TOKEN": "abc"}, "20 characters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"ROUTEWARDEN_DATA_DIR": t.TempDir()}
			for k, v := range tt.env {
				env[k] = v
			}
			code, _, errs := runCmd(t, env, "", "serve", "--addr", "127.0.0.1:0")
			if code != 2 || !strings.Contains(errs, tt.says) {
				t.Errorf("exit %d, %q; want 2 naming %s", code, errs, tt.says)
			}
		})
	}
	for _, tt := range []struct{ addr, public, want string }{
		{"127.0.0.1:8080", "", "http://127.0.0.1:8080"},
		{"0.0.0.0:8080", "", ""},
		{":8080", "", ""},
		{"127.0.0.1:8080", "https://rw.example", "https://rw.example"},
	} {
		c := config{Addr: tt.addr, Signing: signingConfig{PublicURL: tt.public}}
		if got := c.linkBase(); got != tt.want {
			t.Errorf("linkBase(%q, %q) = %q, want %q", tt.addr, tt.public, got, tt.want)
		}
	}
}

// TestDSNPasswordsNeverPrinted: connection errors, `migrate status` and the serve start line
// show database addresses without their passwords.
func TestDSNPasswordsNeverPrinted(t *testing.T) {
	const pw = "Sup3rSecretPw"
	for _, dsn := range []string{
		"postgres://rw:" + pw + "@127.0.0.1:1/rw?sslmode=disable",
		"postgres://rw@127.0.0.1:1/rw?sslmode=disable&password=" + pw,
		"host=127.0.0.1 port=1 user=rw password=" + pw + " dbname=rw sslmode=disable",
		"host=127.0.0.1 port=1 user=rw password='" + pw + " x' dbname=rw sslmode=disable",
	} {
		code, out, errs := runCmd(t, nil, "", "migrate", "status", "--db", dsn)
		if code != 1 || strings.Contains(out+errs, pw) || !strings.Contains(errs, "postgres") {
			t.Errorf("%s: exit %d, %q", dsn, code, errs)
		}
	}
	base := os.Getenv("ROUTEWARDEN_TEST_POSTGRES")
	if base == "" {
		if storetest.RequireAll() {
			t.Fatal("ROUTEWARDEN_TEST_POSTGRES is not set")
		}
		t.Skip("ROUTEWARDEN_TEST_POSTGRES not set: the live part is skipped")
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, base, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rwdsn_" + hex.EncodeToString(b)
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	u, _ := url.Parse(base)
	u.User = url.UserPassword(u.User.Username(), pw) // trust authentication ignores it
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	code, out, errs := runCmd(t, nil, "", "migrate", "up", "--db", u.String())
	if code != 0 || strings.Contains(out+errs, pw) || !strings.Contains(out, "xxxxx") {
		t.Fatalf("migrate up: %d %q %q", code, out, errs)
	}
	// serve logs its start line with the address; stop it once the line is out.
	sctx, cancel := context.WithCancel(ctx)
	var buf syncBuffer
	done := make(chan int)
	go func() {
		done <- run(sctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", u.String(), "--data-dir", t.TempDir()}, strings.NewReader(""), &buf, &buf,
			func(string) string { return "" })
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(buf.String(), "serving") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if log := buf.String(); !strings.Contains(log, "serving") || strings.Contains(log, pw) || !strings.Contains(log, "xxxxx") {
		t.Errorf("serve log:\n%s", log)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
