package backup_test

import (
	"os"
	"path/filepath"
	"testing"

	"routewarden/internal/backup"
	"routewarden/internal/store/storetest"
)

// FuzzOpen feeds arbitrary bytes to the archive reader: it must refuse them with an error,
// never panic, and never accept an archive whose checksums or signature do not hold.
func FuzzOpen(f *testing.F) {
	db := storetest.SQLite(f)
	dataDir := f.TempDir()
	path := filepath.Join(f.TempDir(), "seed.backup")
	out, err := os.Create(path)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := backup.Create(f.Context(), db, out, f.TempDir(), backup.Options{DataDir: dataDir}); err != nil {
		f.Fatal(err)
	}
	out.Close()
	seed, _ := os.ReadFile(path)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add([]byte("not an archive"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "in.backup")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := backup.Open(p, dir, dataDir)
		if err != nil {
			return
		}
		defer a.Close()
		if a.Manifest.Format != backup.Format || !a.Authenticated {
			t.Fatalf("accepted an archive not signed with the data directory's key: %+v", a.Manifest)
		}
	})
}
