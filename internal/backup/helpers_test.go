package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"routewarden/internal/backup"
)

// rewrite copies the archive at path with edit applied to every member. With keyPath (or
// wrongKey) set it also fixes the manifest's checksums and signs the manifest again, with the
// key in keyPath or with a key of its own — what a forger without the key could do.
func rewrite(t *testing.T, path, keyPath string, edit func(name string, b []byte) []byte, wrongKey ...bool) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	members := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		names = append(names, hdr.Name)
		if hdr.Name != "manifest.json" && hdr.Name != "manifest.sig" {
			b = edit(hdr.Name, b)
		}
		members[hdr.Name] = b
	}
	resign := keyPath != "" || len(wrongKey) > 0
	if resign {
		var m backup.Manifest
		if err := json.Unmarshal(members["manifest.json"], &m); err != nil {
			t.Fatal(err)
		}
		for i := range m.Tables {
			b := members[m.Tables[i].File.Path]
			sum := sha256.Sum256(b)
			m.Tables[i].File.SHA256, m.Tables[i].File.Size = hex.EncodeToString(sum[:]), int64(len(b))
		}
		members["manifest.json"], _ = json.MarshalIndent(m, "", "  ")
	}
	members["manifest.json"] = edit("manifest.json", members["manifest.json"])
	if resign {
		key := []byte("a key the forger made up")
		if keyPath != "" {
			key, _ = os.ReadFile(keyPath)
		}
		var sig map[string]string
		json.Unmarshal(members["manifest.sig"], &sig)
		h := hmac.New(sha256.New, key)
		h.Write(members["manifest.json"])
		sig["mac"] = hex.EncodeToString(h.Sum(nil))
		members["manifest.sig"], _ = json.Marshal(sig)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, n := range names {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o600, Size: int64(len(members[n])), Typeflag: tar.TypeReg})
		tw.Write(members[n])
	}
	tw.Close()
	zw.Close()
	out := filepath.Join(t.TempDir(), "rewritten.backup")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}
