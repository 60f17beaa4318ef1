package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
)

// maxImportFile bounds one input file; a full RIB or VRP export is well below it.
const maxImportFile = 2 << 30

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("import", &cfg, getenv, stderr)
	source := fs.String("source", "", "provenance label (default: the file names)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) < 2 || !rw.ValidSnapshotKind(pos[0]) {
		return usageErr(stderr, fmt.Errorf("usage: routewarden import KIND FILE... (KIND: vrps, routes, irr, asrel, peeringdb, bogons, manrs, spoofer)"))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	files := make([]evidence.File, 0, len(pos)-1)
	for _, name := range pos[1:] {
		data, err := readLimited(name)
		if err != nil {
			return fail(stderr, err)
		}
		files = append(files, evidence.File{Name: filepath.Base(name), Data: data})
	}
	db, err := openDB(ctx, &cfg, true, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	s, _, err := evidence.Import(ctx, db, pos[0], *source, files, false)
	if err != nil {
		return fail(stderr, fmt.Errorf("import %s: %s", pos[0], rw.ErrorMessage(err)))
	}
	fmt.Fprintf(stdout, "snapshot %d: %s from %s, format %s, %d records", s.ID, s.Kind, s.Source, s.Format, s.Records)
	if s.Skipped > 0 {
		fmt.Fprintf(stdout, ", %d malformed records skipped", s.Skipped)
	}
	if s.DataTime != nil {
		fmt.Fprintf(stdout, ", data time %s", s.DataTime.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	fmt.Fprintf(stdout, "\ndigest %s\n", s.Digest)
	for _, f := range s.Files {
		fmt.Fprintf(stdout, "  %s  %d bytes  sha256 %s\n", f.Name, f.Size, f.SHA256)
	}
	return exitOK
}

func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImportFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxImportFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxImportFile)
	}
	return data, nil
}
