package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"routewarden/internal/store"
	"routewarden/migrations"
)

// twin opens a second connection pool on db's database, as another instance would.
func twin(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	other, err := store.Open(context.Background(), db.DSN, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// TestWithLockExcludesOtherInstances runs holders of one named lock from two connection pools
// (two instances) at once: never more than one is inside.
func TestWithLockExcludesOtherInstances(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		pools := []*store.DB{db, twin(t, db)}
		var inside, most, runs atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				err := pools[i%2].WithLock(context.Background(), "test", func() error {
					n := inside.Add(1)
					if n > most.Load() {
						most.Store(n)
					}
					time.Sleep(5 * time.Millisecond)
					inside.Add(-1)
					runs.Add(1)
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if most.Load() != 1 || runs.Load() != 8 {
			t.Errorf("%d holders at once (want 1), %d of 8 ran", most.Load(), runs.Load())
		}
		// Another name is another lock: held inside the first, it does not wait for it.
		err := db.WithLock(context.Background(), "outer", func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return pools[1].WithLock(ctx, "inner", func() error { return nil })
		})
		if err != nil {
			t.Errorf("nested locks of different names: %v", err)
		}
	})
}

// TestConcurrentMigrationsSQLite starts two instances on one new SQLite file at once: each
// migration is applied exactly once and both succeed. Without the lock both saw the first
// migration as pending and the second failed on "table already exists".
func TestConcurrentMigrationsSQLite(t *testing.T) {
	for round := range 3 {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("race%d.db", round))
		var wg sync.WaitGroup
		applied, errs := make([]int, 2), make([]error, 2)
		start := make(chan struct{})
		for i := range 2 {
			db, err := store.Open(context.Background(), path, migrations.FS)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			wg.Go(func() {
				<-start
				done, err := db.MigrateUp(context.Background())
				applied[i], errs[i] = len(done), err
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: concurrent migrate: %v / %v", round, errs[0], errs[1])
		}
		if applied[0] != 0 && applied[1] != 0 {
			t.Fatalf("round %d: both instances applied migrations (%d and %d)", round, applied[0], applied[1])
		}
	}
}

// TestEnsureSigningKeyOnePairForAll has instances on two pools ask for the development key at
// the same moment, each ready with a different pair: all get the one pair stored, exactly one
// reports creating it, and later calls do not create again.
func TestEnsureSigningKeyOnePairForAll(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		pools := []*store.DB{db, twin(t, db)}
		var wg sync.WaitGroup
		got := make([]string, 6)
		var created atomic.Int32
		start := make(chan struct{})
		for i := range got {
			wg.Go(func() {
				<-start
				c, k, made, err := pools[i%2].EnsureSigningKey(context.Background(), "development", func() ([]byte, []byte, error) {
					return fmt.Appendf(nil, "cert %d", i), fmt.Appendf(nil, "key %d", i), nil
				})
				if err != nil {
					t.Error(err)
					return
				}
				if made {
					created.Add(1)
				}
				got[i] = string(c) + "|" + string(k)
			})
		}
		close(start)
		wg.Wait()
		for i := range got {
			if got[i] != got[0] || !strings.HasPrefix(got[0], "cert ") {
				t.Fatalf("callers got different pairs: %q", got)
			}
		}
		if created.Load() != 1 {
			t.Errorf("%d callers report creating the key, want 1", created.Load())
		}
		c, _, made, err := db.EnsureSigningKey(context.Background(), "development", func() ([]byte, []byte, error) {
			t.Error("create called although a key is stored")
			return nil, nil, nil
		})
		if err != nil || made || !strings.HasPrefix(got[0], string(c)+"|") {
			t.Errorf("second call: made %v, %v", made, err)
		}
		cert, err := db.SigningCertificate(context.Background(), "development")
		if err != nil || string(cert) != string(c) {
			t.Errorf("SigningCertificate = %q, %v", cert, err)
		}
		if _, err := db.SigningCertificate(context.Background(), "none"); err == nil {
			t.Error("SigningCertificate of an unknown name: no error")
		}
	})
}

// TestSQLiteFileOwnerOnly: the database holds password hashes and a private key, so a new file
// is readable by its owner only, and one made readable by others is tightened when a key is
// stored in it.
func TestSQLiteFileOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "perm.db")
	db, err := store.Open(context.Background(), path, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.MigrateUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("new database file mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := db.EnsureSigningKey(context.Background(), "development", func() ([]byte, []byte, error) {
		return []byte("c"), []byte("k"), nil
	}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("after storing a key the file mode is %v, want 0600", st.Mode().Perm())
	}
}
