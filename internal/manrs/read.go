package manrs

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Read reads one MANRS Observatory response into a new DB (see DB.Add); name labels errors.
func Read(r io.Reader, name string) (*DB, error) {
	db := New()
	if err := db.Add(r, name, ""); err != nil {
		return nil, err
	}
	return db, nil
}

// Add reads one MANRS Observatory API response into db. program ("net-ops", "cdns", "ixps",
// "vendors" or "") is recorded on the participants read. Accepted shapes:
//
//   - the participant ASN list {"asns":[13335, ...]} (v1 /asns, v2 /api/v2/asns);
//   - a conformance report {"participants":[...]} or {"data":[...]} or a bare array, each
//     participant {"id", "name", "ASNs"|"asns", "areas_served"|"areasServed",
//     "member_since"|"memberSince", and one object per action such as
//     "anti_spoofing"|"antiSpoofing": {"conformance":"conformant","score":{"value":1,
//     "severity":"ready"}}}.
//
// The response is streamed participant by participant. A malformed response is refused with
// the name, byte offset and reason; on error db may hold part of it (Read is all-or-nothing).
func (db *DB) Add(r io.Reader, name, program string) error {
	d := &decoder{dec: json.NewDecoder(bufio.NewReaderSize(r, 64<<10)), name: name, db: db, program: program}
	return d.file()
}

type decoder struct {
	dec     *json.Decoder
	name    string
	db      *DB
	program string
}

func (d *decoder) errorf(off int64, format string, args ...any) error {
	return fmt.Errorf("manrs: %s: byte offset %d: %s", d.name, off, fmt.Sprintf(format, args...))
}

func (d *decoder) wrap(base int64, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return d.errorf(d.dec.InputOffset(), "unexpected end of file (truncated?)")
	case errors.As(err, &se):
		return d.errorf(base, "invalid JSON in the value starting here: %v", se)
	case errors.As(err, &te):
		return d.errorf(base+te.Offset, "field %q: cannot use JSON %s as %s", te.Field, te.Value, te.Type)
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

func (d *decoder) file() error {
	t, off, err := d.token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('['):
		err = d.participants()
	case json.Delim('{'):
		err = d.object()
	default:
		return d.errorf(off, "expected a JSON object or array, found %v", t)
	}
	if err != nil {
		return err
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return d.errorf(d.dec.InputOffset(), "unexpected data after the response")
	}
	return nil
}

func (d *decoder) object() error {
	seen := false
	for d.dec.More() {
		t, _, err := d.token()
		if err != nil {
			return err
		}
		switch t {
		case "asns":
			seen = true
			err = d.asnList()
		case "participants", "data":
			seen = true
			err = d.array()
		default:
			var skip json.RawMessage
			before := d.dec.InputOffset()
			if err = d.dec.Decode(&skip); err != nil {
				err = d.wrap(before, err)
			}
		}
		if err != nil {
			return err
		}
	}
	if _, _, err := d.token(); err != nil {
		return err
	}
	if !seen {
		return d.errorf(d.dec.InputOffset(), `no "asns", "participants" or "data" member: not a MANRS Observatory response this reader knows`)
	}
	return nil
}

func (d *decoder) array() error {
	t, off, err := d.token()
	if err != nil {
		return err
	}
	if t != json.Delim('[') {
		return d.errorf(off, "expected an array of participants, found %v", t)
	}
	return d.participants()
}

// asnList streams the numbers of {"asns":[...]}.
func (d *decoder) asnList() error {
	t, off, err := d.token()
	if err != nil {
		return err
	}
	if t != json.Delim('[') {
		return d.errorf(off, `"asns": expected an array, found %v`, t)
	}
	for d.dec.More() {
		var raw json.RawMessage
		before := d.dec.InputOffset()
		if err := d.dec.Decode(&raw); err != nil {
			return d.wrap(before, err)
		}
		asn, err := parseASN(raw)
		if err != nil {
			return d.errorf(d.dec.InputOffset()-int64(len(raw)), `"asns": %v`, err)
		}
		d.db.asns[asn] = true
	}
	_, _, err = d.token()
	return err
}

// participants streams participant objects up to the closing bracket.
func (d *decoder) participants() error {
	for i := 0; d.dec.More(); i++ {
		var elem json.RawMessage
		before := d.dec.InputOffset()
		if err := d.dec.Decode(&elem); err != nil {
			return d.wrap(before, err)
		}
		start := d.dec.InputOffset() - int64(len(elem))
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(elem, &raw); err != nil {
			return d.wrap(start, err)
		}
		p, err := participant(raw, d.program)
		if err != nil {
			return d.errorf(start, "participant %d: %v", i, err)
		}
		d.db.addParticipant(p)
	}
	_, _, err := d.token()
	return err
}
