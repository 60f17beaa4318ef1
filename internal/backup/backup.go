// Package backup writes and reads Routewarden's portable backup archive: a gzip-compressed tar
// holding every table of the database as JSON lines with typed values (so a SQLite backup
// loads into PostgreSQL and back), the data-directory secrets needed to use the data, and a
// manifest with the schema version, per-member SHA-256 checksums and per-table content digests,
// signed with HMAC-SHA256.
package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"routewarden/internal/store"
)

// Format names the archive format in its manifest.
const (
	Format        = "routewarden-backup"
	FormatVersion = 1
	// BackupKeyFile is the data-directory key that signs manifests when there is no audit key.
	BackupKeyFile = "backup.key"
	// AuditKeyFile is the audit chain's key; when present it signs the manifest.
	AuditKeyFile  = "audit.key"
	manifestName  = "manifest.json"
	signatureName = "manifest.sig"
	maxSecret     = 1 << 20
)

// Manifest describes an archive; it is signed and lists the checksum of every other member.
type Manifest struct {
	Format        string            `json:"format"`
	FormatVersion int               `json:"format_version"`
	CreatedAt     time.Time         `json:"created_at"`
	Routewarden   string            `json:"routewarden_version"`
	Dialect       string            `json:"source_dialect"`
	Schema        []SchemaMigration `json:"schema"`
	Tables        []TableEntry      `json:"tables"`
	Secrets       []Member          `json:"secrets"`
	SignedWith    string            `json:"signed_with"`
}

// SchemaMigration is one applied migration of the backed-up database.
type SchemaMigration struct {
	Version int    `json:"version"`
	Name    string `json:"name"`
}

// Member is one file of the archive with its checksum.
type Member struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// TableEntry is a table with the archive member holding its rows.
type TableEntry struct {
	store.Table
	File Member `json:"file"`
}

type signature struct {
	Alg string `json:"alg"`
	Key string `json:"key"`
	MAC string `json:"mac"`
}

// Options are the settings of Create.
type Options struct {
	DataDir  string    // where the secrets live; the signing key is created here if missing
	Secrets  []string  // data-directory files to carry when present (besides the signing key)
	Version  string    // the Routewarden version, recorded in the manifest
	Progress io.Writer // one line per table; nil for none
	Now      func() time.Time
}

// Create writes a backup of db to out. Tables are spooled to temporary files next to tmpDir
// because a tar member's size must be known before its content.
func Create(ctx context.Context, db *store.DB, out io.Writer, tmpDir string, opt Options) (*Manifest, error) {
	keyName, key, err := signingKey(opt.DataDir)
	if err != nil {
		return nil, err
	}
	spool, err := os.MkdirTemp(tmpDir, ".backup-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(spool)
	gz, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	m := &Manifest{Format: Format, FormatVersion: FormatVersion, CreatedAt: now().UTC(), Routewarden: opt.Version,
		Dialect: string(db.Dialect), SignedWith: keyName}
	d, err := db.Dump(ctx, func(t *store.Table, rows store.DumpRows) error {
		e, err := spoolTable(tw, spool, t, rows, opt.Progress)
		if err != nil {
			return err
		}
		m.Tables = append(m.Tables, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range d.Schema {
		m.Schema = append(m.Schema, SchemaMigration{Version: s.Version, Name: s.Name})
	}
	names := append([]string{keyName}, opt.Secrets...)
	for _, name := range names {
		if err := addSecret(tw, m, opt.DataDir, name); err != nil {
			return nil, err
		}
	}
	if err := writeManifest(tw, m, keyName, key); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return m, gz.Close()
}

// signingKey returns the audit key of the data directory, or its backup key, created when
// missing.
func signingKey(dir string) (string, []byte, error) {
	for _, name := range []string{AuditKeyFile, BackupKeyFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil && len(b) > 0 {
			return name, b, nil
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	key := make([]byte, 32)
	rand.Read(key)
	text := []byte(hex.EncodeToString(key) + "\n")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, BackupKeyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return signingKey(dir) // another backup made it meanwhile
	} else if err != nil {
		return "", nil, fmt.Errorf("create the backup signing key: %w", err)
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		return "", nil, err
	}
	return BackupKeyFile, text, f.Close()
}

func spoolTable(tw *tar.Writer, dir string, t *store.Table, rows store.DumpRows, progress io.Writer) (TableEntry, error) {
	f, err := os.CreateTemp(dir, "table-")
	if err != nil {
		return TableEntry{}, err
	}
	defer f.Close()
	h := sha256.New()
	report := func(n int64) {
		if progress != nil {
			fmt.Fprintf(progress, "backup: table %s: %d rows so far\n", t.Name, n)
		}
	}
	if err := rows(io.MultiWriter(f, h), report); err != nil {
		return TableEntry{}, err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return TableEntry{}, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return TableEntry{}, err
	}
	e := TableEntry{Table: *t, File: Member{Name: t.Name, Path: "tables/" + t.Name + ".jsonl", Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}}
	if err := writeMember(tw, e.File.Path, size, f); err != nil {
		return TableEntry{}, err
	}
	if progress != nil {
		fmt.Fprintf(progress, "backup: table %s: %d rows, %d bytes\n", t.Name, t.Rows, size)
	}
	return e, nil
}

func writeMember(tw *tar.Writer, path string, size int64, r io.Reader) error {
	hdr := &tar.Header{Name: path, Mode: 0o600, Size: size, ModTime: time.Unix(0, 0), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	n, err := io.Copy(tw, r)
	if err == nil && n != size {
		err = fmt.Errorf("%s: wrote %d of %d bytes", path, n, size)
	}
	return err
}

func addSecret(tw *tar.Writer, m *Manifest, dir, name string) error {
	for _, s := range m.Secrets {
		if s.Name == name {
			return nil
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("read %s from the data directory: %w", name, err)
	}
	if len(b) > maxSecret {
		return fmt.Errorf("%s in the data directory is larger than %d bytes", name, maxSecret)
	}
	sum := sha256.Sum256(b)
	s := Member{Name: name, Path: "secrets/" + name, Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}
	m.Secrets = append(m.Secrets, s)
	return writeMember(tw, s.Path, s.Size, bytes.NewReader(b))
}

func writeManifest(tw *tar.Writer, m *Manifest, keyName string, key []byte) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeMember(tw, manifestName, int64(len(b)), bytes.NewReader(b)); err != nil {
		return err
	}
	sig, _ := json.Marshal(signature{Alg: "HMAC-SHA256", Key: keyName, MAC: mac(key, b)})
	return writeMember(tw, signatureName, int64(len(sig)), bytes.NewReader(sig))
}

func mac(key, msg []byte) string {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return hex.EncodeToString(h.Sum(nil))
}
