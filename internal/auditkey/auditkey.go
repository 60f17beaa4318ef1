// Package auditkey reads and creates the HMAC key of the audit chain. The key lives outside the
// database — in ROUTEWARDEN_AUDIT_KEY or the file <data-dir>/audit.key — so that write access
// to the database alone is not enough to rewrite the audit log. Backups must carry the file
// (Path) along with the database: without it a restored instance can read its audit log but
// not append to it.
package auditkey

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FileName is the key file's name inside the data directory.
const FileName = "audit.key"

// EnvVar names the environment variable that holds the key (hex or base64), taking precedence
// over the file.
const EnvVar = "ROUTEWARDEN_AUDIT_KEY"

// Size is the key length in bytes.
const Size = 32

// Path returns the key file's path in dataDir.
func Path(dataDir string) string { return filepath.Join(dataDir, FileName) }

// Parse decodes a key given as text: 64 hexadecimal digits, or base64 (standard or URL
// alphabet, padded or not) of 32 bytes.
func Parse(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == Size {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == Size {
			return b, nil
		}
	}
	return nil, fmt.Errorf("%s must be %d bytes written as 64 hexadecimal digits or in base64 (got %d characters)", EnvVar, Size, len(s))
}

// Read returns the key stored in dataDir; an error wrapping fs.ErrNotExist when there is none.
// insecure is true when the file is readable by group or others.
func Read(dataDir string) (key []byte, insecure bool, err error) {
	p := Path(dataDir)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, false, fmt.Errorf("audit key %s: %w", p, err)
	}
	if len(b) != Size {
		return nil, false, fmt.Errorf("audit key %s: %d bytes, want %d (the file holds the raw key)", p, len(b), Size)
	}
	if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
		insecure = true
	}
	return b, insecure, nil
}

// Create writes a new random key to dataDir with mode 0600 and returns it. It never replaces an
// existing file.
func Create(dataDir string) ([]byte, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("audit key: %w", err)
	}
	key := make([]byte, Size)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	p := Path(dataDir)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit key %s: %w", p, err)
	}
	_, err = f.Write(key)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
		return nil, fmt.Errorf("audit key %s: %w", p, err)
	}
	return key, nil
}

// Exists reports whether dataDir holds a key file.
func Exists(dataDir string) bool {
	_, err := os.Stat(Path(dataDir))
	return !errors.Is(err, fs.ErrNotExist)
}
