package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

// Archive is a backup extracted to a temporary directory and verified: every member matches
// the checksum in the manifest and the manifest its signature.
type Archive struct {
	Manifest Manifest
	// Authenticated says the signature was checked with a key of the target data directory;
	// otherwise only with the key the archive carries, which proves integrity, not origin.
	Authenticated bool
	dir           string
	secrets       map[string][]byte
}

// damaged is the error of an archive that cannot be trusted.
func damaged(format string, args ...any) error {
	return rw.Errorf(rw.EINVALID, "The backup archive is damaged or was altered: "+format+"; nothing was restored.", args...)
}

// Open extracts the archive at path into a temporary directory inside tmpDir and verifies it.
// dataDir is the target data directory: a signing key found there authenticates the manifest.
// Close removes the extracted files.
func Open(path, tmpDir, dataDir string) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, damaged("%s is not a gzip-compressed Routewarden backup (%v)", path, err)
	}
	dir, err := os.MkdirTemp(tmpDir, ".restore-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	a := &Archive{dir: dir, secrets: map[string][]byte{}}
	if err := a.extract(tar.NewReader(gz), dataDir); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Close removes the extracted files.
func (a *Archive) Close() error { return os.RemoveAll(a.dir) }

func (a *Archive) extract(tr *tar.Reader, dataDir string) error {
	sums := map[string]Member{}
	var manifest, sig []byte
	for i := 0; ; i++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return damaged("reading member %d: %v", i+1, err)
		}
		if hdr.Typeflag != tar.TypeReg || !validPath(hdr.Name) {
			return damaged("unexpected member %q", hdr.Name)
		}
		if _, dup := sums[hdr.Name]; dup {
			return damaged("member %s appears twice", hdr.Name)
		}
		m, content, err := a.save(tr, hdr.Name)
		if err != nil {
			return err
		}
		sums[hdr.Name] = m
		switch {
		case hdr.Name == manifestName:
			manifest = content
		case hdr.Name == signatureName:
			sig = content
		case strings.HasPrefix(hdr.Name, "secrets/"):
			a.secrets[strings.TrimPrefix(hdr.Name, "secrets/")] = content
		}
	}
	if manifest == nil || sig == nil {
		return damaged("it has no signed manifest (is it cut short?)")
	}
	if err := json.Unmarshal(manifest, &a.Manifest); err != nil {
		return damaged("manifest: %v", err)
	}
	if a.Manifest.Format != Format {
		return rw.Errorf(rw.EINVALID, "This is not a Routewarden backup (format %q).", a.Manifest.Format)
	}
	if a.Manifest.FormatVersion > FormatVersion {
		return rw.Errorf(rw.EINVALID, "The backup uses archive format %d; this Routewarden reads up to %d. Restore it with a newer Routewarden.",
			a.Manifest.FormatVersion, FormatVersion)
	}
	if err := a.checkSignature(manifest, sig, dataDir); err != nil {
		return err
	}
	return checkMembers(&a.Manifest, sums)
}

// save copies a member into the temporary directory, hashing it; small members (manifest,
// signature, secrets) are also returned.
func (a *Archive) save(r io.Reader, name string) (Member, []byte, error) {
	m := Member{Path: name}
	dst := filepath.Join(a.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return m, nil, err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return m, nil, err
	}
	defer f.Close()
	h := sha256.New()
	var small bytes.Buffer
	w := io.MultiWriter(f, h)
	if !strings.HasPrefix(name, "tables/") {
		w = io.MultiWriter(f, h, &limitedBuffer{&small, maxSecret})
	}
	n, err := io.Copy(w, r)
	if err != nil {
		return m, nil, damaged("member %s: %v", name, err)
	}
	m.Size, m.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	if strings.HasPrefix(name, "tables/") {
		return m, nil, nil
	}
	return m, small.Bytes(), nil
}

// limitedBuffer refuses to hold more than max bytes.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if l.buf.Len()+len(p) > l.max {
		return 0, errors.New("member too large")
	}
	return l.buf.Write(p)
}

func validPath(name string) bool {
	if name == manifestName || name == signatureName {
		return true
	}
	dir, base, ok := strings.Cut(name, "/")
	return ok && (dir == "tables" || dir == "secrets") && base != "" && !strings.ContainsAny(base, `/\`) &&
		base != "." && base != ".." && fs.ValidPath(name)
}

func (a *Archive) checkSignature(manifest, sigJSON []byte, dataDir string) error {
	var sig signature
	if err := json.Unmarshal(sigJSON, &sig); err != nil || sig.Alg != "HMAC-SHA256" {
		return damaged("the manifest signature is unreadable")
	}
	if sig.Key != a.Manifest.SignedWith || (sig.Key != AuditKeyFile && sig.Key != BackupKeyFile) {
		return damaged("the manifest is signed with an unexpected key %q", sig.Key)
	}
	key, err := os.ReadFile(filepath.Join(dataDir, sig.Key))
	switch {
	case err == nil && len(key) > 0:
		if !hmac.Equal([]byte(mac(key, manifest)), []byte(sig.MAC)) {
			return rw.Errorf(rw.EINVALID, "The backup was not signed with the %s of %s (or it was altered); nothing was restored. Restore into a data directory without %s to rely on the archive's own key.",
				sig.Key, dataDir, sig.Key)
		}
		a.Authenticated = true
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	key = a.secrets[sig.Key]
	if len(key) == 0 || !hmac.Equal([]byte(mac(key, manifest)), []byte(sig.MAC)) {
		return damaged("the manifest signature does not match")
	}
	return nil
}

// checkMembers compares every member with the manifest: nothing missing, nothing extra, every
// size and checksum equal.
func checkMembers(m *Manifest, got map[string]Member) error {
	want := map[string]Member{}
	for _, t := range m.Tables {
		if t.File.Path != "tables/"+t.Name+".jsonl" {
			return damaged("table %s is listed at %s", t.Name, t.File.Path)
		}
		want[t.File.Path] = t.File
	}
	for _, s := range m.Secrets {
		if s.Path != "secrets/"+s.Name {
			return damaged("secret %s is listed at %s", s.Name, s.Path)
		}
		want[s.Path] = s
	}
	for path, w := range want {
		g, ok := got[path]
		if !ok {
			return damaged("member %s is missing", path)
		}
		if g.Size != w.Size || g.SHA256 != w.SHA256 {
			return damaged("member %s does not match its checksum", path)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok && path != manifestName && path != signatureName {
			return damaged("member %s is not in the manifest", path)
		}
	}
	return nil
}

// Restore loads the archive into db (which must be empty); progress gets one line per table.
func (a *Archive) Restore(ctx context.Context, db *store.DB, progress io.Writer) error {
	src := store.RestoreSource{Open: func(t *store.Table) (io.ReadCloser, error) {
		return os.Open(filepath.Join(a.dir, "tables", t.Name+".jsonl"))
	}}
	for _, s := range a.Manifest.Schema {
		src.Schema = append(src.Schema, store.Migration{Version: s.Version, Name: s.Name})
	}
	for i := range a.Manifest.Tables {
		src.Tables = append(src.Tables, &a.Manifest.Tables[i].Table)
	}
	return db.Restore(ctx, src, func(t *store.Table, rows int64, done bool) {
		switch {
		case progress == nil:
		case done:
			fmt.Fprintf(progress, "restore: table %s: %d rows, content verified\n", t.Name, rows)
		default:
			fmt.Fprintf(progress, "restore: table %s: %d of %d rows\n", t.Name, rows, t.Rows)
		}
	})
}

// CheckSecrets refuses a data directory that holds a different version of a secret the archive
// carries: the restored data would not verify with it.
func (a *Archive) CheckSecrets(dataDir string) error {
	for _, s := range a.Manifest.Secrets {
		cur, err := os.ReadFile(filepath.Join(dataDir, s.Name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return err
		}
		if !bytes.Equal(cur, a.secrets[s.Name]) {
			return rw.Errorf(rw.ECONFLICT, "%s already holds a different %s than the backup; restore into an empty data directory (or move that file away) so the restored data can be verified.",
				dataDir, s.Name)
		}
	}
	return nil
}

// InstallSecrets writes the archive's secrets into the data directory where they are absent
// and returns the names it wrote.
func (a *Archive) InstallSecrets(dataDir string) ([]string, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	var wrote []string
	for _, s := range a.Manifest.Secrets {
		f, err := os.OpenFile(filepath.Join(dataDir, s.Name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return wrote, err
		}
		_, err = f.Write(a.secrets[s.Name])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return wrote, err
		}
		wrote = append(wrote, s.Name)
	}
	return wrote, nil
}
