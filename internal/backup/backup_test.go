package backup_test

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"routewarden/internal/backup"
	"routewarden/internal/control"
	"routewarden/internal/demo"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/migrations"
)

// seeded returns a SQLite database with the demo portfolio and a row in every table the demo
// leaves empty, and its data directory holding secrets.
func seeded(t *testing.T) (*store.DB, string) {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	db.SetAuditKey([]byte("0123456789abcdef0123456789abcdef"), "audit.key") // the chain is keyed (table audit_chain)
	if _, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now, History: db},
		func(p string) (string, error) { return "hash:" + p, nil }); err != nil {
		t.Fatal(err)
	}
	now := db.Now()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("session", db.CreateSession(ctx, &rw.Session{TokenHash: "s1", UserID: 1, CSRFToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	must("token", db.CreateAPIToken(ctx, &rw.APIToken{UserID: 1, Name: "ci", TokenHash: "t1", CreatedAt: now}))
	must("library", db.RegisterLibraries(ctx, []control.Version{{Name: "lib", Version: "1.0", Digest: "d"}}))
	must("comment", db.AddComment(ctx, &rw.Comment{AssessmentID: 1, Author: "risk@demo.example", Body: "Looks fine <b>&</b> ünïcode 🙂"}))
	must("waiver", db.AddWaiver(ctx, &rw.Waiver{AssessmentID: 1, ControlID: "RW-1", Justification: "accepted for one year", ExpiresAt: now.AddDate(0, 6, 0), CreatedBy: "risk@demo.example"}))
	_, _, _, keyErr := db.EnsureSigningKey(ctx, "development", func() ([]byte, []byte, error) { return []byte("cert"), []byte("key"), nil })
	must("signing key", keyErr)
	must("mail", db.EnqueueMail(ctx, &rw.Mail{To: "noc@vendor.example", Subject: "Hello", Body: "body", NextAttemptAt: now}))
	_, err := db.HitRateLimit(ctx, "login|ip:192.0.2.1", time.Minute, now)
	must("rate limit", err)
	must("attestation", db.CreateAttestation(ctx, &rw.Attestation{DocumentID: "RW-2026-1A2B3C4D5E6F", SHA256: strings.Repeat("ab", 32),
		AssessmentID: 1, VendorID: 1, VendorName: "Meridian", IssuedBy: "cli", PDF: []byte("%PDF-1.7\x00\xff binary")}))
	must("board report", db.CreateBoardReport(ctx, &rw.BoardReport{DocumentID: "RW-BOARD-2026-1A2B3C4D5E6F", SHA256: strings.Repeat("cd", 32),
		SignerFingerprint: strings.Repeat("ef", 32), IssuedBy: "risk@demo.example", PDF: []byte("%PDF-1.7\x00\xfe board")}))
	hook := &rw.Webhook{URL: "https://hooks.example.com/rw", Secret: "0123456789abcdef", Events: []string{"test"}, Enabled: true}
	must("webhook", db.CreateWebhook(ctx, hook))
	_, err = db.CreateDeliveries(ctx, hook.ID, "test", []byte(`{"schema":"routewarden.webhook/v1"}`))
	must("webhook delivery", err)
	answers, err := db.FindAnswers(ctx, 2)
	must("answers", err)
	for _, a := range answers {
		if !a.Measured {
			a.Comment = "changed after a crash drill"
			must("answer update", db.SaveAnswer(ctx, a, "vendor:noc@vendor.example"))
			break
		}
	}
	invs, err := db.FindInvitations(ctx, 2)
	must("invitations", err)
	if len(invs) == 0 {
		t.Fatal("the demo has no invitation on assessment 2")
	}
	must("portal session", db.CreatePortalSession(ctx, &rw.PortalSession{TokenHash: "p1", InvitationID: invs[0].ID, AssessmentID: 2,
		Email: invs[0].Email, CSRFToken: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	dir := t.TempDir()
	for name, body := range map[string]string{"audit.key": "0123456789abcdef0123456789abcdef", "attest-dev-cert.pem": "cert", "attest-dev-key.pem": "key"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return db, dir
}

var secrets = []string{"audit.key", "attest-dev-cert.pem", "attest-dev-key.pem"}

// makeBackup writes a backup of db to a file and returns its path and manifest.
func makeBackup(t *testing.T, db *store.DB, dataDir string, progress *strings.Builder) (string, *backup.Manifest) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rw.backup")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	opt := backup.Options{DataDir: dataDir, Secrets: secrets, Version: "test"}
	if progress != nil {
		opt.Progress = progress
	}
	m, err := backup.Create(context.Background(), db, f, t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, m
}

// restore loads the backup at path into db with dataDir as the target data directory.
func restore(db *store.DB, path, dataDir string) error {
	a, err := backup.Open(path, "", dataDir)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.CheckSecrets(dataDir); err != nil {
		return err
	}
	if err := a.Restore(context.Background(), db, nil); err != nil {
		return err
	}
	_, err = a.InstallSecrets(dataDir)
	return err
}

// contents dumps db without writing anything and returns each table's row count and digest.
func contents(t *testing.T, db *store.DB) map[string]store.Table {
	t.Helper()
	out := map[string]store.Table{}
	_, err := db.Dump(context.Background(), func(tb *store.Table, rows store.DumpRows) error {
		if err := rows(discard{}, nil); err != nil {
			return err
		}
		out[tb.Name] = *tb
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func emptySQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "restored.db"), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestRoundTrip(t *testing.T) {
	src, srcDir := seeded(t)
	var progress strings.Builder
	path, m := makeBackup(t, src, srcDir, &progress)
	if !strings.Contains(progress.String(), "backup: table vendors: 10 rows") {
		t.Errorf("progress on stderr: %q", progress.String())
	}
	want := contents(t, src)
	for name, tb := range want {
		if tb.Rows == 0 {
			t.Errorf("table %s is empty in the source; the round trip would not cover it", name)
		}
	}
	if m.SignedWith != "audit.key" || len(m.Secrets) != 3 {
		t.Errorf("manifest signed with %q, secrets %v", m.SignedWith, m.Secrets)
	}
	targets := []struct {
		name string
		open func(t testing.TB) *store.DB
	}{{"sqlite", emptySQLite}, {"postgres", storetest.Postgres}}
	for _, tc := range targets {
		t.Run("sqlite to "+tc.name, func(t *testing.T) {
			ctx := context.Background()
			dst, dataDir := tc.open(t), t.TempDir()
			if err := restore(dst, path, dataDir); err != nil {
				t.Fatal(err)
			}
			got := contents(t, dst)
			for name, w := range want {
				if g := got[name]; g.Rows != w.Rows || g.Digest != w.Digest {
					t.Errorf("table %s: %d rows digest %.12s, source %d rows digest %.12s", name, g.Rows, g.Digest, w.Rows, w.Digest)
				}
			}
			if rep, err := dst.VerifyAudit(ctx); err != nil || !rep.Intact() || rep.Events != int(want["audit_events"].Rows) {
				t.Errorf("audit verify after restore: %+v, %v", rep, err)
			}
			if n, err := dst.Pending(ctx); err != nil || n != 0 {
				t.Errorf("pending migrations after restore: %d %v", n, err)
			}
			ev, err := src.FindEvidence(ctx, 1)
			if err != nil || len(ev) == 0 {
				t.Fatalf("source evidence: %v", err)
			}
			f, err := dst.OpenEvidence(ctx, 1, ev[0].ID)
			if err != nil || sha256.Sum256(f.Data) != sha256.Sum256(mustOpen(t, src, ev[0].ID).Data) {
				t.Errorf("evidence bytes differ after restore: %v", err)
			}
			// The sequences continue after the restored IDs.
			v := &rw.Vendor{LegalName: "After Restore AG", Country: "DE"}
			if err := dst.CreateVendor(ctx, v); err != nil || v.ID <= want["vendors"].Rows {
				t.Errorf("new vendor after restore: id %d, %v", v.ID, err)
			}
			if tc.name == "postgres" { // and back: a PostgreSQL backup loads into SQLite
				back, _ := makeBackup(t, dst, dataDir, nil)
				again := emptySQLite(t)
				if err := restore(again, back, dataDir); err != nil {
					t.Fatalf("postgres to sqlite: %v", err)
				}
				got := contents(t, again)
				for name, w := range contents(t, dst) {
					if g := got[name]; g.Rows != w.Rows || g.Digest != w.Digest {
						t.Errorf("postgres to sqlite: table %s: %d rows digest %.12s, want %d rows %.12s", name, g.Rows, g.Digest, w.Rows, w.Digest)
					}
				}
			}
			for _, s := range secrets {
				b, err := os.ReadFile(filepath.Join(dataDir, s))
				orig, _ := os.ReadFile(filepath.Join(srcDir, s))
				if err != nil || string(b) != string(orig) {
					t.Errorf("secret %s not restored: %v", s, err)
				}
			}
		})
	}
}

func mustOpen(t *testing.T, db *store.DB, id int64) *rw.EvidenceFile {
	t.Helper()
	f, err := db.OpenEvidence(context.Background(), 1, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRestoreRefuses(t *testing.T) {
	src, srcDir := seeded(t)
	path, _ := makeBackup(t, src, srcDir, nil)
	t.Run("non-empty target", func(t *testing.T) {
		for _, b := range storetest.Backends() {
			t.Run(b.Name, func(t *testing.T) {
				ctx := context.Background()
				dst := b.Open(t)
				v := &rw.Vendor{LegalName: "Already Here GmbH", Country: "DE"}
				if err := dst.CreateVendor(ctx, v); err != nil {
					t.Fatal(err)
				}
				err := restore(dst, path, t.TempDir())
				if rw.ErrorCode(err) != rw.ECONFLICT || !strings.Contains(rw.ErrorMessage(err), "not empty (table vendors has rows)") {
					t.Fatalf("restore into a non-empty database: %v", err)
				}
				if _, n, _ := dst.FindVendors(ctx, rw.VendorFilter{}); n != 1 {
					t.Errorf("the target changed: %d vendors", n)
				}
			})
		}
	})
	t.Run("different secret in the data directory", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "audit.key"), []byte("another key"), 0o600)
		err := restore(emptySQLite(t), path, dir)
		if err == nil || !strings.Contains(err.Error(), "signed with the audit.key") {
			t.Fatalf("restore with a foreign audit.key: %v", err)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		newer := rewrite(t, path, filepath.Join(srcDir, "audit.key"), func(name string, b []byte) []byte {
			if name != "manifest.json" {
				return b
			}
			return []byte(strings.Replace(string(b), `"schema": [`, `"schema": [{"version": 9999, "name": "from_the_future"}, `, 1))
		})
		dst := emptySQLite(t)
		err := restore(dst, newer, t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "newer than this Routewarden (migration 9999_from_the_future") {
			t.Fatalf("newer schema: %v", err)
		}
		if st, _ := dst.MigrationStatus(context.Background()); len(st) > 0 && st[0].AppliedAt != nil {
			t.Error("the refused restore migrated the target")
		}
	})
}

func TestDamagedArchiveRefused(t *testing.T) {
	src, srcDir := seeded(t)
	path, _ := makeBackup(t, src, srcDir, nil)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	flipped := filepath.Join(t.TempDir(), "flipped.backup")
	b := append([]byte(nil), orig...)
	b[len(b)/2] ^= 0x40
	os.WriteFile(flipped, b, 0o600)
	cut := filepath.Join(t.TempDir(), "cut.backup")
	os.WriteFile(cut, orig[:len(orig)*2/3], 0o600)
	edited := func(name string, b []byte) []byte {
		if name == "tables/vendors.jsonl" {
			return []byte(strings.Replace(string(b), "Meridian", "Mallory", 1))
		}
		return b
	}
	cases := []struct {
		name, path, want string
	}{
		{"byte flipped", flipped, "damaged"},
		{"cut short", cut, "damaged"},
		{"table edited", rewrite(t, path, "", edited), "member tables/vendors.jsonl does not match its checksum"},
		{"manifest edited, not re-signed", rewrite(t, path, "", func(name string, b []byte) []byte {
			if name == "manifest.json" {
				return []byte(strings.Replace(string(b), `"rows": 10`, `"rows": 11`, 1))
			}
			return b
		}), "signature does not match"},
		{"table and checksum edited, re-signed with the wrong key", rewrite(t, path, "", edited, true), "damaged"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := emptySQLite(t)
			dir := t.TempDir()
			err := restore(dst, tc.path, dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
			if st, _ := dst.MigrationStatus(context.Background()); len(st) > 0 && st[0].AppliedAt != nil {
				t.Error("a refused archive migrated the target")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("a refused archive left files in the data directory: %v", entries)
			}
		})
	}
}

// slowWriter delays every progress line, so writers get in between the tables of a backup.
type slowWriter struct{}

func (slowWriter) Write(p []byte) (int, error) { time.Sleep(3 * time.Millisecond); return len(p), nil }

func TestBackupDuringWritesIsConsistent(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, dir := b.Open(t), t.TempDir()
			stop, done := make(chan struct{}), make(chan int)
			go func() { // each vendor comes with its three networks in one transaction
				n := 0
				defer func() { done <- n }()
				for {
					select {
					case <-stop:
						return
					default:
					}
					v := &rw.Vendor{LegalName: "Concurrent Carrier " + time.Now().Format("150405.000000"), Country: "DE",
						Networks: []*rw.Network{{ASN: 64496}, {ASN: 64497}, {ASN: 64498}}}
					if err := db.CreateVendor(ctx, v); err != nil {
						t.Error(err)
						return
					}
					n++
				}
			}()
			var paths []string
			for range 3 {
				path := filepath.Join(t.TempDir(), "rw.backup")
				f, _ := os.Create(path)
				if _, err := backup.Create(ctx, db, f, t.TempDir(), backup.Options{DataDir: dir, Progress: slowWriter{}}); err != nil {
					t.Fatal(err)
				}
				f.Close()
				paths = append(paths, path)
			}
			close(stop)
			if n := <-done; n < 10 {
				t.Fatalf("only %d vendors written during the backups; the test proves nothing", n)
			}
			seen := map[int]bool{}
			for i, path := range paths {
				dst := emptySQLite(t)
				if err := restore(dst, path, t.TempDir()); err != nil {
					t.Fatalf("backup %d: %v", i, err)
				}
				vs, n, err := dst.FindVendors(ctx, rw.VendorFilter{Limit: 100000})
				if err != nil {
					t.Fatal(err)
				}
				seen[n] = true
				for _, v := range vs {
					full, err := dst.FindVendorByID(ctx, v.ID)
					if err != nil || len(full.Networks) != 3 {
						t.Fatalf("backup %d: vendor %d has %d networks, want 3 (%v)", i, v.ID, len(full.Networks), err)
					}
				}
			}
			if len(seen) < 2 {
				t.Errorf("every backup saw the same number of vendors %v; the writer did not run during them", seen)
			}
		})
	}
}

func TestProgressOnLargeTables(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	rs := make([]rw.CheckResult, 10001)
	for i := range rs {
		fig := float64(i) / 3
		rs[i] = rw.CheckResult{ASN: uint32(i + 1), Check: "rpki-coverage", Status: rw.CheckStatus("pass"), Figure: &fig, ComputedAt: db.Now()}
	}
	if err := db.SaveCheckResults(ctx, rs); err != nil {
		t.Fatal(err)
	}
	var progress strings.Builder
	path, _ := makeBackup(t, db, t.TempDir(), &progress)
	for _, want := range []string{"backup: table check_results: 10000 rows so far", "backup: table check_results: 10001 rows"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("backup progress lacks %q:\n%s", want, progress.String())
		}
	}
	a, err := backup.Open(path, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	progress.Reset()
	if err := a.Restore(ctx, emptySQLite(t), &progress); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"restore: table check_results: 10000 of 10001 rows", "restore: table check_results: 10001 rows, content verified"} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("restore progress lacks %q:\n%s", want, progress.String())
		}
	}
}
