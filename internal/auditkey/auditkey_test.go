package auditkey

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	key := bytes.Repeat([]byte{0xfe, 0x01}, 16)
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"hex", hex.EncodeToString(key), true},
		{"hex, upper case, newline", strings.ToUpper(hex.EncodeToString(key)) + "\n", true},
		{"base64", base64.StdEncoding.EncodeToString(key), true},
		{"base64 url, unpadded", base64.RawURLEncoding.EncodeToString(key), true},
		{"too short", hex.EncodeToString(key[:16]), false},
		{"too long", hex.EncodeToString(append(key, 0)), false},
		{"a passphrase", "correct horse battery staple", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if tc.ok && (err != nil || !bytes.Equal(got, key)) {
				t.Errorf("Parse = %x, %v; want the key", got, err)
			}
			if !tc.ok && (err == nil || !strings.Contains(err.Error(), EnvVar)) {
				t.Errorf("Parse = %x, %v; want an error naming %s", got, err, EnvVar)
			}
		})
	}
}

func TestCreateRead(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := Read(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("read before create: %v, want not exist", err)
	}
	key, err := Create(dir)
	if err != nil || len(key) != Size {
		t.Fatalf("create: %x %v", key, err)
	}
	st, err := os.Stat(Path(dir))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st, err)
	}
	if _, err := Create(dir); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second create: %v, want it to refuse replacing the key", err)
	}
	got, insecure, err := Read(dir)
	if err != nil || insecure || !bytes.Equal(got, key) {
		t.Errorf("read: %x %v %v", got, insecure, err)
	}
	os.Chmod(Path(dir), 0o644)
	if _, insecure, _ := Read(dir); !insecure {
		t.Error("a world-readable key file is not reported")
	}
	os.WriteFile(Path(dir), []byte("short"), 0o600)
	if _, _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "5 bytes, want 32") {
		t.Errorf("truncated key file: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(strings.Repeat("ab", 32))
	f.Add(base64.StdEncoding.EncodeToString(make([]byte, 32)))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if key, err := Parse(s); err == nil && len(key) != Size {
			t.Fatalf("Parse(%q) gave %d bytes", s, len(key))
		}
	})
}
