package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	rw "routewarden/internal/routewarden"
)

// Import parses the files of one kind and, only if every file is valid, stores them as one
// snapshot with provenance: per-file SHA-256, record counts, data time and a digest over the
// files. Nothing is stored when any file is refused.
func Import(ctx context.Context, st rw.SnapshotStore, kind, source string, files []File, demo bool) (*rw.Snapshot, *Parsed, error) {
	if !rw.ValidSnapshotKind(kind) {
		return nil, nil, rw.Errorf(rw.EINVALID, "Unknown data kind %q: use one of %s.", kind, strings.Join(rw.SnapshotKinds, ", "))
	}
	p, err := Parse(kind, files)
	if err != nil {
		return nil, nil, rw.Errorf(rw.EINVALID, "%v; nothing was imported", err)
	}
	s := &rw.Snapshot{Kind: kind, Source: source, Format: p.Format, DataTime: p.DataTime, Records: p.Records, Skipped: p.Skipped, Demo: demo}
	all := sha256.New()
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		s.Files = append(s.Files, rw.SnapshotFile{Name: f.Name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(f.Data)), Data: f.Data})
		fmt.Fprintf(all, "%s  %s\n", hex.EncodeToString(sum[:]), f.Name)
	}
	s.Digest = hex.EncodeToString(all.Sum(nil))
	if s.Source == "" {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = f.Name
		}
		s.Source = strings.Join(names, ", ")
	}
	if err := st.CreateSnapshot(ctx, s); err != nil {
		return nil, nil, err
	}
	return s, p, nil
}

// Load reads and parses the latest snapshot of every kind. Kinds never imported stay nil.
func Load(ctx context.Context, st rw.SnapshotStore) (*Data, error) {
	d := NewData()
	for _, kind := range rw.SnapshotKinds {
		s, err := st.LatestSnapshot(ctx, kind)
		if rw.ErrorCode(err) == rw.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		files := make([]File, len(s.Files))
		for i, f := range s.Files {
			rc, err := st.OpenSnapshotFile(ctx, s.ID, i)
			if err != nil {
				return nil, err
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return nil, fmt.Errorf("snapshot %d (%s) file %s: %w", s.ID, kind, f.Name, err)
			}
			files[i] = File{Name: f.Name, Data: data}
		}
		p, err := Parse(kind, files)
		if err != nil {
			return nil, fmt.Errorf("snapshot %d (%s) no longer parses: %w", s.ID, kind, err)
		}
		d.Use(s, p)
	}
	return d, nil
}
