package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/migrations"
)

// migrationsBefore returns the migrations older than version (file name prefix), as a database
// written by an earlier release has them.
func migrationsBefore(t *testing.T, prefix string) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Compare(filepath.Base(p), prefix) >= 0 {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMigration0011DoubleIssues: a database from before 0011 that holds a double-issued
// attestation migrates; the earlier of the two becomes superseded by the later, revoked ones
// stay as they were, and the assessment has one current attestation.
func TestMigration0011DoubleIssues(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dsn := oldDSN(t, backend)
			old, err := store.Open(ctx, dsn, migrationsBefore(t, "0011"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := old.MigrateUp(ctx); err != nil {
				t.Fatal(err)
			}
			for i, row := range []struct {
				assessment int
				revoked    bool
			}{{5, false}, {5, false}, {5, true}, {6, false}} {
				var rev *time.Time
				issued := time.Date(2026, 11, 1+i, 10, 0, 0, 0, time.UTC)
				if row.revoked {
					rev = &issued
				}
				doc := rw.NewDocumentID(old.Now())
				q := `INSERT INTO attestations (document_id, sha256, signer_fingerprint, assessment_id, vendor_id, vendor_name, issued_at, issued_by, revoked_at, size, pdf)
					VALUES ($1, $2, 'fp', $3, 1, 'V', $4, 'risk@example.net', $5, 1, $6)`
				if err := old.Exec(ctx, q, doc, strings.Repeat(string(rune('a'+i)), 64), row.assessment, issued, rev, []byte("x")); err != nil {
					t.Fatal(err)
				}
			}
			old.Close()
			db, err := store.Open(ctx, dsn, migrations.FS)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.MigrateUp(ctx); err != nil {
				t.Fatalf("migrate a database with double issues: %v", err)
			}
			list, _, err := db.FindAttestations(ctx, rw.AttestationFilter{})
			if err != nil || len(list) != 4 {
				t.Fatal(list, err)
			}
			byID := map[int64]*rw.Attestation{}
			for _, a := range list {
				byID[a.ID] = a
			}
			if a := byID[1]; !a.Superseded() || a.SupersededBy != 2 || a.SupersededAt.Day() != 2 {
				t.Errorf("earlier double issue: %+v", a)
			}
			if !byID[2].Current() || !byID[3].Revoked() || byID[3].Superseded() || !byID[4].Current() {
				t.Errorf("after migration: %+v %+v %+v", byID[2], byID[3], byID[4])
			}
		})
	}
}

// oldDSN is a fresh, empty database of the backend.
func oldDSN(t *testing.T, backend string) string {
	t.Helper()
	if backend == "sqlite" {
		return filepath.Join(t.TempDir(), "old.db")
	}
	dsn := os.Getenv("ROUTEWARDEN_TEST_POSTGRES")
	if dsn == "" {
		if storetest.RequireAll() {
			t.Fatal("ROUTEWARDEN_REQUIRE_ALL=1 but ROUTEWARDEN_TEST_POSTGRES is not set")
		}
		t.Skip("ROUTEWARDEN_TEST_POSTGRES not set")
	}
	admin, err := store.Open(context.Background(), dsn, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rwtest_" + hex.EncodeToString(b)
	if err := admin.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
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
