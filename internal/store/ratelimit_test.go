package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/migrations"
)

// secondHandle opens another connection pool on the same database (the same SQLite file or
// PostgreSQL schema), as a second instance of the server would.
func secondHandle(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	other, err := store.Open(context.Background(), db.DSN, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// TestRateLimitSharedAndAtomic: hits from two handles on one database, at the same time, are
// all counted on one key.
func TestRateLimitSharedAndAtomic(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		other := secondHandle(t, db)
		now := time.Date(2026, 12, 4, 10, 0, 30, 0, time.UTC)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h := db
				if i%2 == 1 {
					h = other
				}
				_, err := h.HitRateLimit(ctx, "login|ip:192.0.2.1", time.Minute, now)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		rc, err := other.HitRateLimit(ctx, "login|ip:192.0.2.1", time.Minute, now)
		if err != nil || rc.Hits != 21 || rc.PrevHits != 0 || !rc.WindowStart.Equal(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)) {
			t.Fatalf("after 21 hits from two handles: %+v, %v", rc, err)
		}
	})
}

// TestRateLimitWindows follows one key through its windows, and checks that the sweep removes
// only expired counters and that many other keys never reset a key's count.
func TestRateLimitWindows(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 12, 4, 10, 0, 10, 0, time.UTC)
		hit := func(key string, at time.Time) rw.RateCount {
			t.Helper()
			rc, err := db.HitRateLimit(ctx, key, time.Minute, at)
			if err != nil {
				t.Fatal(err)
			}
			return rc
		}
		for range 4 {
			hit("k", t0)
		}
		for _, tt := range []struct {
			name       string
			at         time.Time
			hits, prev int
		}{
			{"same window", t0.Add(40 * time.Second), 5, 0},
			{"next window keeps the previous count", t0.Add(60 * time.Second), 1, 5},
			{"still the next window", t0.Add(70 * time.Second), 2, 5},
			{"a window later the old count is gone", t0.Add(200 * time.Second), 1, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if rc := hit("k", tt.at); rc.Hits != tt.hits || rc.PrevHits != tt.prev {
					t.Errorf("got %+v, want hits %d prev %d", rc, tt.hits, tt.prev)
				}
			})
		}
		// A spray of other keys does not touch k (the old limiter wiped everything at 10,000).
		late := t0.Add(200 * time.Second)
		for i := range 300 {
			hit(fmt.Sprintf("spray-%d", i), late)
		}
		if rc := hit("k", late); rc.Hits != 2 {
			t.Errorf("after 300 other keys: %+v, want hits 2", rc)
		}
		hit("old", t0) // expires two windows after its window, before "late" + 2 min
		if n, err := db.SweepRateLimits(ctx, t0.Add(3*time.Minute)); err != nil || n != 1 {
			t.Errorf("sweep of expired counters: %d, %v; want exactly the one old key", n, err)
		}
		if n, _ := db.CountRateLimits(ctx); n != 301 {
			t.Errorf("%d counters left, want 301", n)
		}
		if n, _ := db.SweepRateLimits(ctx, late.Add(3*time.Minute)); n != 301 {
			t.Errorf("sweep after every window ended: %d", n)
		}
	})
}

// TestAPITokenLifecycle: expiry, listing without secrets, revocation, and revocation of every
// token and session when the password changes.
func TestAPITokenLifecycle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		u := &rw.User{Email: "tok@example.com", Role: rw.RoleAdmin, PasswordHash: "x"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		other := &rw.User{Email: "other@example.com", Role: rw.RoleAuditor, PasswordHash: "x"}
		if err := db.CreateUser(ctx, other); err != nil {
			t.Fatal(err)
		}
		mk := func(uid int64, name string, exp time.Time) string {
			raw := secret.NewToken("rw_")
			if err := db.CreateAPIToken(ctx, &rw.APIToken{UserID: uid, Name: name, TokenHash: secret.HashToken(raw), ExpiresAt: exp}); err != nil {
				t.Fatal(err)
			}
			return raw
		}
		def := mk(u.ID, "default", time.Time{})
		short := mk(u.ID, "short", clock.Add(time.Hour))
		keep := mk(other.ID, "other", time.Time{})
		if err := db.CreateAPIToken(ctx, &rw.APIToken{UserID: u.ID, TokenHash: "h", ExpiresAt: clock.Add(-time.Second)}); rw.ErrorCode(err) != rw.EINVALID {
			t.Errorf("expiry in the past: %v", err)
		}
		tok, err := db.FindAPIToken(ctx, secret.HashToken(def))
		if err != nil || !tok.ExpiresAt.Equal(clock.Add(store.DefaultAPITokenTTL)) {
			t.Fatalf("default expiry: %+v %v", tok, err)
		}
		clock = clock.Add(2 * time.Hour)
		if _, err := db.FindAPIToken(ctx, secret.HashToken(short)); rw.ErrorCode(err) != rw.EUNAUTHORIZED {
			t.Errorf("expired token: %v, want unauthorized", err)
		}
		list, err := db.FindAPITokens(ctx, u.ID)
		if err != nil || len(list) != 2 || list[0].Name != "default" || list[1].User.Email != "tok@example.com" {
			t.Fatalf("list: %v %v", list, err)
		}
		if all, _ := db.FindAPITokens(ctx, 0); len(all) != 3 {
			t.Errorf("list of everyone: %d tokens", len(all))
		}
		if err := db.DeleteAPIToken(ctx, list[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteAPIToken(ctx, list[1].ID); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Errorf("revoke twice: %v", err)
		}
		sess := &rw.Session{TokenHash: "s1", UserID: u.ID, CSRFToken: "c", ExpiresAt: clock.Add(time.Hour)}
		if err := db.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		// A name change keeps the tokens; a password reset revokes them and the sessions.
		name := "Renamed"
		if _, err := db.UpdateUser(ctx, u.ID, rw.UserUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindAPIToken(ctx, secret.HashToken(def)); err != nil {
			t.Errorf("token after a rename: %v", err)
		}
		pw := "new-hash"
		if _, err := db.UpdateUser(ctx, u.ID, rw.UserUpdate{PasswordHash: &pw}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindAPIToken(ctx, secret.HashToken(def)); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Errorf("token after password reset: %v, want not found", err)
		}
		if _, err := db.FindSession(ctx, "s1", clock); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Errorf("session after password reset: %v", err)
		}
		if _, err := db.FindAPIToken(ctx, secret.HashToken(keep)); err != nil {
			t.Errorf("another user's token after the reset: %v", err)
		}
	})
}

// TestOutboxDropsBodyAfterDelivery: the invitation link is at rest only until the message is
// sent or given up; no column of any outbox row holds it afterwards.
func TestOutboxDropsBodyAfterDelivery(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := db.Now()
		sentTok, parkedTok := secret.NewToken("rwi_"), secret.NewToken("rwi_")
		for _, tok := range []string{sentTok, parkedTok} {
			if err := db.EnqueueMail(ctx, &rw.Mail{To: "noc@example.net", Subject: "Invitation", Body: "Open https://rw.example/portal/open?token=" + tok + "\n"}); err != nil {
				t.Fatal(err)
			}
		}
		if dump := outboxDump(t, db); !strings.Contains(dump, sentTok) {
			t.Fatalf("the unsent message lost its body: %s", dump)
		}
		claimed, err := db.ClaimMail(ctx, now.Add(time.Second), 10, time.Minute)
		if err != nil || len(claimed) != 2 || !strings.Contains(claimed[0].Body, sentTok) {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		if err := db.MarkMailSent(ctx, claimed[0].ID, now); err != nil {
			t.Fatal(err)
		}
		if err := db.GiveUpMail(ctx, claimed[1].ID, "gave up after 8 attempts: 550"); err != nil {
			t.Fatal(err)
		}
		dump := outboxDump(t, db)
		for _, tok := range []string{sentTok, parkedTok} {
			if strings.Contains(dump, tok) || strings.Contains(dump, strings.TrimPrefix(tok, "rwi_")) {
				t.Errorf("a raw invitation token is still in the outbox after delivery/give-up:\n%s", dump)
			}
		}
		mails, _ := db.FindMail(ctx, 10)
		if len(mails) != 2 || mails[1].SentAt == nil || mails[1].Subject != "Invitation" || mails[0].LastError == "" {
			t.Errorf("outbox keeps subject, recipient and status: %+v", mails)
		}
		if !strings.Contains(dump, "body_sha256") || strings.Count(dump, "body_sha256=\n") > 0 {
			t.Errorf("body hash not kept: %s", dump)
		}
	})
}

// outboxDump renders every column of every outbox row as text.
func outboxDump(t *testing.T, db *store.DB) string {
	t.Helper()
	rows, err := db.QueryRows(context.Background(), "SELECT * FROM outbox")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		for k, v := range r {
			fmt.Fprintf(&b, "%s=%v\n", k, v)
		}
	}
	return b.String()
}

// TestMigration0010LegacyTokens: tokens made before expiry existed get 90 days from their
// creation, and bodies of messages sent before are dropped.
func TestMigration0010LegacyTokens(t *testing.T) {
	ctx := context.Background()
	before := fstest.MapFS{}
	for _, dir := range []string{"sqlite", "postgres"} {
		entries, _ := fs.ReadDir(migrations.FS, dir)
		for _, e := range entries {
			if e.Name() < "0010" {
				b, _ := fs.ReadFile(migrations.FS, dir+"/"+e.Name())
				before[dir+"/"+e.Name()] = &fstest.MapFile{Data: b}
			}
		}
	}
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := store.Open(ctx, path, before)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 10, 1, 12, 30, 15, 123456789, time.UTC)
	if err := old.CreateUser(ctx, &rw.User{Email: "legacy@example.com", Role: rw.RoleAdmin, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (1, 'old', 'legacyhash', ?)`,
		`INSERT INTO outbox (recipient, subject, body, next_attempt_at, sent_at, created_at) VALUES ('a@example.net', 's', 'token=rwi_secret', ?, ?, ?)`,
	} {
		args := []any{created}
		if strings.Contains(q, "outbox") {
			args = []any{created, created, created}
		}
		if err := old.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	db, err := store.Open(ctx, path, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := db.FindAPITokens(ctx, 0)
	if err != nil || len(list) != 1 || !list[0].ExpiresAt.Equal(created.Truncate(time.Second).Add(store.DefaultAPITokenTTL)) {
		t.Fatalf("legacy token: %+v %v", list, err)
	}
	if mails, _ := db.FindMail(ctx, 5); len(mails) != 1 || mails[0].Body != "" {
		t.Errorf("sent message kept its body: %+v", mails)
	}
}

// BenchmarkHitRateLimit measures one counted attempt (the upsert) per backend.
func BenchmarkHitRateLimit(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			db := be.Open(b)
			ctx := context.Background()
			now := time.Now()
			for i := 0; b.Loop(); i++ {
				if _, err := db.HitRateLimit(ctx, fmt.Sprintf("login|ip:%d", i%64), time.Minute, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
