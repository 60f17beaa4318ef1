package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"routewarden/internal/attest"
	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/migrations"
)

// instance is one `serve` wired exactly as cmdServe does, on its own connection pool and data
// directory, sharing only the database with its twin.
type instance struct {
	db  *store.DB
	ts  *httptest.Server
	tok string
}

// startInstance does what cmdServe does before listening: migrate, load the library, seed the
// demo, build the server.
func startInstance(t *testing.T, dsn, dataDir, auditKey string) (*instance, error) {
	ctx := context.Background()
	cfg := config{DB: dsn, DataDir: dataDir, Demo: true, CookieSecure: "false", Addr: "127.0.0.1:0", AuditKey: auditKey}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := openDB(ctx, &cfg, true, log)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { db.Close() })
	lib, err := loadLibrary(ctx, db, log)
	if err != nil {
		return nil, err
	}
	if err := seedDemo(ctx, db, log); err != nil {
		return nil, err
	}
	srv, stop, err := newServerAsServe(ctx, &cfg, db, lib, log)
	if err != nil {
		return nil, err
	}
	t.Cleanup(stop)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &instance{db: db, ts: ts}, nil
}

// freshPostgres returns the DSN of a new, empty (unmigrated) schema, dropped after the test.
func freshPostgres(t *testing.T) string {
	dsn := os.Getenv("ROUTEWARDEN_TEST_POSTGRES")
	if dsn == "" {
		if storetest.RequireAll() {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but ROUTEWARDEN_TEST_POSTGRES is not set")
		}
		t.Skip("ROUTEWARDEN_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, dsn, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	admin.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public") // see storetest.Postgres
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rwinst_" + hex.EncodeToString(b)
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestTwoInstancesShareOneDatabase starts two instances with --demo at the same moment on one
// empty database: they migrate and seed once between them, sign with one shared development
// key, and each sees what the other wrote — a vendor created on A is on B, an attestation
// issued on A verifies on B.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "shared.db")
			if backend == "postgres" {
				dsn = freshPostgres(t)
			}
			// Instances of one installation share the audit chain's key (ROUTEWARDEN_AUDIT_KEY).
			key := make([]byte, 32)
			rand.Read(key)
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				inst  [2]*instance
				errs  [2]error
			)
			for i := range inst {
				dir := t.TempDir() // separate data directories, as on two hosts
				wg.Go(func() {
					<-start
					inst[i], errs[i] = startInstance(t, dsn, dir, hex.EncodeToString(key))
				})
			}
			close(start)
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatalf("starting two instances together: %v / %v", errs[0], errs[1])
			}
			a, b := inst[0], inst[1]
			assertSeededOnce(t, a.db)
			for _, in := range inst {
				in.tok = apiToken(t, in.db, "admin@demo.example")
			}

			var made struct{ ID int64 }
			a.call(t, "POST", "/api/v1/vendors", `{"legal_name":"Seen On Both Ltd","country":"GB"}`, http.StatusCreated, &made)
			var seen struct {
				LegalName string `json:"legal_name"`
			}
			b.call(t, "GET", fmt.Sprintf("/api/v1/vendors/%d", made.ID), "", http.StatusOK, &seen)
			if seen.LegalName != "Seen On Both Ltd" {
				t.Errorf("instance B sees vendor %d as %q", made.ID, seen.LegalName)
			}

			approved := approvedIn(t, a.db)
			var att struct {
				ID             int64 `json:"id"`
				DevCertificate bool  `json:"dev_certificate"`
			}
			a.call(t, "POST", fmt.Sprintf("/api/v1/assessments/%d/attestations", approved), "", http.StatusCreated, &att)
			pdf := a.call(t, "GET", fmt.Sprintf("/api/v1/attestations/%d/pdf", att.ID), "", http.StatusOK, nil)
			if page := b.verify(t, pdf); !strings.Contains(page, "<h2>Valid</h2>") {
				t.Errorf("instance B does not find instance A's attestation valid:\n%s", verdictOf(page))
			}
		})
	}
}

func assertSeededOnce(t *testing.T, db *store.DB) {
	t.Helper()
	_, total, err := db.FindVendors(context.Background(), rw.VendorFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(demo.Portfolio()); total != want {
		t.Errorf("after two seeding instances the database holds %d vendors, want the %d demo vendors once", total, want)
	}
	for _, u := range demo.Users {
		if _, err := db.FindUserByEmail(context.Background(), u.Email); err != nil {
			t.Errorf("demo user %s: %v", u.Email, err)
		}
	}
}

func apiToken(t *testing.T, db *store.DB, email string) string {
	t.Helper()
	u, err := db.FindUserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	raw := secret.NewToken("rw_")
	if err := db.CreateAPIToken(context.Background(), &rw.APIToken{UserID: u.ID, Name: "test", TokenHash: secret.HashToken(raw)}); err != nil {
		t.Fatal(err)
	}
	return raw
}

func approvedIn(t *testing.T, db *store.DB) int64 {
	t.Helper()
	list, _, err := db.FindAssessments(context.Background(), rw.AssessmentFilter{States: []rw.AssessmentState{rw.StateApproved}})
	if err != nil || len(list) == 0 {
		t.Fatalf("no approved demo assessment (%v)", err)
	}
	return list[0].ID
}

// call sends an API request with the instance's token and decodes the JSON answer into out
// (when not nil); it returns the raw body.
func (in *instance) call(t *testing.T, method, path, body string, want int, out any) []byte {
	t.Helper()
	req, _ := http.NewRequest(method, in.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+in.tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %.300s", method, path, resp.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// verify uploads a PDF to the public /verify page and returns the page.
func (in *instance) verify(t *testing.T, pdf []byte) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("pdf", "attestation.pdf")
	fw.Write(pdf)
	mw.Close()
	resp, err := http.Post(in.ts.URL+"/verify", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return string(page)
}

func verdictOf(page string) string {
	if i := strings.Index(page, `<section class="verdict`); i >= 0 {
		return page[i:min(len(page), i+1500)]
	}
	return page
}

// TestDevSignerMovesIntoDatabase: an installation that made its development certificate in the
// data directory (earlier versions) keeps signing with it once the key lives in the database, so
// the attestations it issued stay valid; a second data directory on the same database then gets
// that same key.
func TestDevSignerMovesIntoDatabase(t *testing.T) {
	legacyDir := t.TempDir()
	legacy, _, err := attest.EnsureDevSigner(legacyDir)
	if err != nil {
		t.Fatal(err)
	}
	dsn := filepath.Join(t.TempDir(), "rw.db")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, dir := range []string{legacyDir, t.TempDir()} {
		db, err := openDB(context.Background(), &config{DB: dsn, DataDir: dir}, true, log)
		if err != nil {
			t.Fatal(err)
		}
		s, err := loadAttestSigner(&config{DataDir: dir}, db, log)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !s.Dev || s.Fingerprint() != legacy.Fingerprint() {
			t.Errorf("data dir %s signs with %s (dev %v), want the earlier development certificate %s", dir, s.Fingerprint(), s.Dev, legacy.Fingerprint())
		}
	}
}
