package spoofer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Read reads one Spoofer file (see DB.Add) into a new DB; name labels errors.
func Read(r io.Reader, name string) (*DB, error) {
	db := New()
	if err := db.Add(r, name); err != nil {
		return nil, err
	}
	return db, nil
}

// Add reads Spoofer sessions into db, streaming. Accepted shapes:
//
//   - a Spoofer Data API page in JSON-LD: {"@context":...,"hydra:member":[session...],...};
//   - a plain JSON array of sessions (the API's application/json form);
//   - sessions as a sequence of JSON objects, one per line (CAIDA's dump script output).
//
// A session is {"session":891176,"timestamp":"2020-05-07T14:34:59+00:00","asn4":"3356",
// "client4":"4.30.179.0/24","nat4":true,"routedspoof":"blocked","privatespoof":"blocked",
// "asn6":null,...}. A malformed session is refused with the file name, byte offset and reason;
// on error db may hold the sessions before it, so callers wanting all-or-nothing use Read.
func (db *DB) Add(r io.Reader, name string) error {
	d := &decoder{dec: json.NewDecoder(bufio.NewReaderSize(r, 64<<10)), name: name, db: db}
	return d.file()
}

type decoder struct {
	dec  *json.Decoder
	name string
	db   *DB
}

func (d *decoder) errorf(off int64, format string, args ...any) error {
	return fmt.Errorf("spoofer: %s: byte offset %d: %s", d.name, off, fmt.Sprintf(format, args...))
}

func (d *decoder) wrap(base int64, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
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
		if err == io.EOF {
			return nil, off, err
		}
		return nil, off, d.wrap(off, err)
	}
	return t, off, nil
}

// inner reads a token inside a value, where the end of the input means truncation.
func (d *decoder) inner() (json.Token, int64, error) {
	t, off, err := d.token()
	if err == io.EOF {
		return nil, off, d.errorf(off, "unexpected end of file (truncated?)")
	}
	return t, off, err
}

func (d *decoder) file() error {
	for n := 0; ; n++ {
		t, off, err := d.token()
		if err == io.EOF {
			if n == 0 {
				return d.errorf(0, "empty file: no Spoofer sessions")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('['):
			err = d.elements()
		case json.Delim('{'):
			// The delimiter was just read, so it sits one byte before the input offset.
			err = d.object(d.dec.InputOffset() - 1)
		default:
			return d.errorf(off, "expected a JSON object or array, found %v", t)
		}
		if err != nil {
			return err
		}
	}
}

// object reads a top-level object whose '{' has been read: either a hydra collection page,
// streamed member by member, or a session (one line of a dump).
func (d *decoder) object(off int64) error {
	fields := map[string]json.RawMessage{}
	collection := false
	for d.dec.More() {
		t, _, err := d.inner()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if key == "hydra:member" {
			collection = true
			if err := d.expectArray(); err != nil {
				return err
			}
			if err := d.elements(); err != nil {
				return err
			}
			continue
		}
		var v json.RawMessage
		before := d.dec.InputOffset()
		if err := d.dec.Decode(&v); err != nil {
			return d.wrap(before, err)
		}
		fields[key] = v
	}
	if _, _, err := d.inner(); err != nil { // closing brace
		return err
	}
	if collection {
		return nil
	}
	return d.session(fields, off)
}

func (d *decoder) expectArray() error {
	t, off, err := d.inner()
	if err != nil {
		return err
	}
	if t != json.Delim('[') {
		return d.errorf(off, "\"hydra:member\": expected an array, found %v", t)
	}
	return nil
}

// elements reads the session objects of an array up to its closing bracket.
func (d *decoder) elements() error {
	for d.dec.More() {
		if err := d.next(); err != nil {
			return err
		}
	}
	_, _, err := d.inner()
	return err
}

func (d *decoder) next() error {
	var raw json.RawMessage
	before := d.dec.InputOffset()
	if err := d.dec.Decode(&raw); err != nil {
		return d.wrap(before, err)
	}
	return d.raw(raw, d.dec.InputOffset()-int64(len(raw)))
}

func (d *decoder) raw(raw json.RawMessage, start int64) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return d.wrap(start, err)
	}
	return d.session(fields, start)
}

// session validates one session object and adds it.
func (d *decoder) session(f map[string]json.RawMessage, off int64) error {
	var s Session
	id, ok := f["session"]
	if !ok {
		return d.errorf(off, "field \"session\" missing: not a Spoofer session")
	}
	if err := json.Unmarshal(id, &s.ID); err != nil || s.ID <= 0 {
		return d.errorf(off, "field \"session\": %s is not a session id", id)
	}
	ts, err := str(f["timestamp"])
	if err == nil {
		s.Time, err = time.Parse(time.RFC3339, ts)
	}
	if err != nil || ts == "" {
		return d.errorf(off, "session %d: field \"timestamp\": %s is not an RFC 3339 time", s.ID, f["timestamp"])
	}
	s.Time = s.Time.UTC()
	if s.Country, err = str(f["country"]); err != nil {
		return d.errorf(off, "session %d: field \"country\": %v", s.ID, err)
	}
	if s.V4, err = probe(f, "4", ""); err == nil {
		s.V6, err = probe(f, "6", "6")
	}
	if err != nil {
		return d.errorf(off, "session %d: %v", s.ID, err)
	}
	d.db.add(s)
	return nil
}

// probe reads one family's fields: asnX, clientX, natX, privatespoofY, routedspoofY.
func probe(f map[string]json.RawMessage, fam, suffix string) (Probe, error) {
	var p Probe
	var err error
	if p.ASNs, err = asns(f["asn"+fam]); err != nil {
		return p, fmt.Errorf("field \"asn%s\": %v", fam, err)
	}
	client, err := str(f["client"+fam])
	if err != nil {
		return p, fmt.Errorf("field \"client%s\": %v", fam, err)
	}
	if client != "" {
		if p.Client, err = netip.ParsePrefix(client); err != nil {
			return p, fmt.Errorf("field \"client%s\": %q is not a prefix", fam, client)
		}
	}
	if nat := f["nat"+fam]; len(nat) > 0 && !isNull(nat) {
		if err := json.Unmarshal(nat, &p.NAT); err != nil {
			return p, fmt.Errorf("field \"nat%s\": %s is not a boolean", fam, nat)
		}
	}
	if p.Routed, err = status(f["routedspoof"+suffix]); err != nil {
		return p, fmt.Errorf("field \"routedspoof%s\": %v", suffix, err)
	}
	if p.Private, err = status(f["privatespoof"+suffix]); err != nil {
		return p, fmt.Errorf("field \"privatespoof%s\": %v", suffix, err)
	}
	return p, nil
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// str reads a JSON string or null ("").
func str(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", raw)
	}
	return s, nil
}

func status(raw json.RawMessage) (Status, error) {
	s, err := str(raw)
	if err != nil {
		return "", err
	}
	switch st := Status(s); st {
	case Blocked, Received, Rewritten, Unknown, NotTested:
		return st, nil
	}
	return "", fmt.Errorf("unknown outcome %q (want blocked, received, rewritten or unknown)", s)
}

// asns reads the ASN field: a string ("3356", possibly several separated by spaces, commas or
// underscores for multi-origin prefixes), a number, or null.
func asns(raw json.RawMessage) ([]uint32, error) {
	if len(raw) == 0 || isNull(raw) {
		return nil, nil
	}
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		var err error
		if s, err = str(raw); err != nil {
			return nil, err
		}
	}
	var out []uint32
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '_' }) {
		f = strings.TrimPrefix(strings.TrimPrefix(f, "AS"), "as")
		v, err := strconv.ParseUint(f, 10, 32)
		if err != nil || v == 0 {
			return nil, fmt.Errorf("%s is not an AS number", raw)
		}
		out = append(out, uint32(v))
	}
	return out, nil
}
