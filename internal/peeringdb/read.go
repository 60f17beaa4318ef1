package peeringdb

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Read reads one PeeringDB JSON file and returns its networks, organisations and contacts.
// name labels errors (usually the file name). See DB.Add for the accepted shapes.
func Read(r io.Reader, name string) (*DB, error) {
	db := New()
	if err := db.Add(r, name); err != nil {
		return nil, err
	}
	return db, nil
}

// Add reads one PeeringDB JSON file into db. Accepted shapes:
//
//   - an API response {"meta":{...},"data":[...]}; each object's type (net, poc, org) is
//     recognised from its fields, other types (netixlan, fac, ix, ...) are skipped and counted;
//   - a full dump {"net":{"data":[...]},"org":{"data":[...]},"poc":{"data":[...]},...} (as
//     published in daily PeeringDB snapshots), or the same with plain arrays as values.
//
// The file is streamed object by object. Nets may embed their contacts (poc_set at depth 2).
// A malformed file is refused with its name, the byte offset and the reason; on error db may
// hold part of the file, so callers wanting all-or-nothing use Read.
//
// Gzip- and bzip2-compressed files are recognised by their magic bytes and decompressed on
// the fly; byte offsets in errors then count decompressed bytes.
func (db *DB) Add(r io.Reader, name string) error {
	br := bufio.NewReaderSize(r, 64<<10)
	in, err := decompress(br)
	if err != nil {
		return fmt.Errorf("peeringdb: %s: byte offset 0: %v", name, err)
	}
	d := &decoder{dec: json.NewDecoder(in), name: name, db: db}
	return d.file()
}

// decompress returns a reader of the decompressed content when br starts with gzip or bzip2
// magic bytes, else br itself.
func decompress(br *bufio.Reader) (io.Reader, error) {
	magic, _ := br.Peek(3)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %v", err)
		}
		return bufio.NewReaderSize(zr, 64<<10), nil
	case len(magic) == 3 && string(magic) == "BZh":
		return bufio.NewReaderSize(bzip2.NewReader(br), 64<<10), nil
	}
	return br, nil
}

type decoder struct {
	dec  *json.Decoder
	name string
	db   *DB
}

// errorf returns an error naming the file and byte offset.
func (d *decoder) errorf(off int64, format string, args ...any) error {
	return fmt.Errorf("peeringdb: %s: byte offset %d: %s", d.name, off, fmt.Sprintf(format, args...))
}

// wrap turns a decoding error into one naming the file and byte offset. base is the offset of
// the value being decoded (encoding/json reports offsets relative to it).
func (d *decoder) wrap(base int64, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// encoding/json's Decoder counts syntax-error offsets from an internal position, so
		// point at the start of the value being read; values here are single objects.
		return d.errorf(base, "invalid JSON in the value starting here: %v", se)
	case errors.As(err, &te):
		return d.errorf(base+te.Offset, "field %q: cannot use JSON %s as %s", te.Field, te.Value, te.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return d.errorf(d.dec.InputOffset(), "unexpected end of file (truncated?)")
	}
	return d.errorf(base, "%v", err)
}

func (d *decoder) token() (json.Token, int64, error) {
	off := d.dec.InputOffset()
	t, err := d.dec.Token()
	if err != nil {
		return nil, off, d.wrap(off, err)
	}
	return t, off, nil
}

func (d *decoder) expectDelim(want json.Delim, what string) error {
	t, off, err := d.token()
	if err != nil {
		return err
	}
	if t != want {
		return d.errorf(off, "expected %s, found %v", what, describe(t))
	}
	return nil
}

func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("string %q", v)
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%v", v)
	}
}

func (d *decoder) file() error {
	if err := d.expectDelim('{', "a JSON object at the top level"); err != nil {
		return err
	}
	seen := false
	for d.dec.More() {
		t, off, err := d.token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		switch key {
		case "data":
			err = d.array("")
			seen = true
		case "net", "org", "poc":
			err = d.typed(key)
			seen = true
		default:
			if key != "meta" {
				d.db.stats.Skipped++
			}
			err = d.skip()
		}
		if err != nil {
			return err
		}
		_ = off
	}
	if err := d.expectDelim('}', "end of the top-level object"); err != nil {
		return err
	}
	if !seen {
		return d.errorf(d.dec.InputOffset(), "no \"data\", \"net\", \"org\" or \"poc\" member: not a PeeringDB file")
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return d.errorf(d.dec.InputOffset(), "unexpected data after the top-level object")
	}
	return nil
}

// typed reads the value of a dump's type key: {"data":[...]} or a plain array.
func (d *decoder) typed(kind string) error {
	t, off, err := d.token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('['):
		return d.elements(kind)
	case json.Delim('{'):
	default:
		return d.errorf(off, "%q: expected an object or array, found %s", kind, describe(t))
	}
	for d.dec.More() {
		t, _, err := d.token()
		if err != nil {
			return err
		}
		if t == "data" {
			err = d.array(kind)
		} else {
			err = d.skip()
		}
		if err != nil {
			return err
		}
	}
	return d.expectDelim('}', "end of the \""+kind+"\" object")
}

// array reads a JSON array of objects of the given kind ("" = recognise each object).
func (d *decoder) array(kind string) error {
	if err := d.expectDelim('[', "an array"); err != nil {
		return err
	}
	return d.elements(kind)
}

func (d *decoder) elements(kind string) error {
	for i := 0; d.dec.More(); i++ {
		var raw json.RawMessage
		before := d.dec.InputOffset()
		if err := d.dec.Decode(&raw); err != nil {
			return d.wrap(before, err)
		}
		start := d.dec.InputOffset() - int64(len(raw))
		if err := d.object(kind, raw, start, i); err != nil {
			return err
		}
	}
	return d.expectDelim(']', "end of the array")
}

// skip reads past one JSON value. Arrays and objects are read member by member, so a large
// skipped section (e.g. netixlan in a full dump) is never held in memory at once.
func (d *decoder) skip() error {
	t, off, err := d.token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('['), json.Delim('{'):
	default:
		return nil // a scalar, already consumed
	}
	for d.dec.More() {
		if t == json.Delim('{') {
			if _, _, err := d.token(); err != nil { // key
				return err
			}
		}
		var v json.RawMessage
		before := d.dec.InputOffset()
		if err := d.dec.Decode(&v); err != nil {
			return d.wrap(before, err)
		}
	}
	if _, _, err := d.token(); err != nil {
		return err
	}
	_ = off
	return nil
}
