// Package irr reads RPSL (RFC 2622, RFC 4012) dumps of Internet Routing Registries — route,
// route6, aut-num and as-set objects, plus organisation/role abuse contacts — into a DB that
// answers IRR-coverage and as-set questions. Objects of other classes (mntner, person,
// inetnum, filter-set, …) are scanned and skipped, so whole registry dumps can be read.
//
// The generic Scanner yields every object with its attributes; it is also used to read RPSL
// filter-set files elsewhere.
package irr

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLine bounds one physical line of a dump.
const maxLine = 4 << 20

// ParseError reports malformed input: the file, the 1-based line and the reason.
type ParseError struct {
	File   string
	Line   int
	Reason string
}

// Error formats the error as "file:line: reason", or "file: reason" when the input could not
// be opened at all (Line 0, e.g. a damaged gzip header).
func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
}

// Attr is one attribute of an RPSL object. Continuation lines are joined to the value with a
// single space; end-of-line comments ("# …") are removed.
type Attr struct {
	Name  string // lower case
	Value string
	Line  int // line of the attribute name
}

// Object is one RPSL object: its class is the name of its first attribute.
type Object struct {
	Class string // lower case, e.g. "route6"
	Key   string // value of the first attribute
	Line  int    // line where the object starts
	Attrs []Attr
}

// Get returns the value of the first attribute called name (lower case), or "".
func (o *Object) Get(name string) string {
	for _, a := range o.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// All returns the values of every attribute called name (lower case), in order.
func (o *Object) All(name string) []Attr {
	var out []Attr
	for _, a := range o.Attrs {
		if a.Name == name {
			out = append(out, a)
		}
	}
	return out
}

// Scanner reads RPSL objects one at a time from a dump or whois output. Plain and gzip input
// are detected from the first bytes. Lines starting with '%' (whois server notes) or '#' are
// skipped; a blank line ends an object; lines starting with a space, a tab or '+' continue the
// previous attribute.
type Scanner struct {
	name   string
	in     io.Reader
	sc     *bufio.Scanner
	src    *errReader
	line   int
	cur    *Object // object being read
	ready  *Object // object completed by the last line
	obj    *Object // object returned by Object
	err    error
	done   bool
	names  map[string]string // interned attribute names
	cont   []byte            // continuation text of the last attribute
	inCont bool

	only     map[string]bool // classes read in full; nil = all
	skipping bool            // the current object's class is not in only
}

// NewScanner returns a Scanner reading r; name is used in error messages.
func NewScanner(r io.Reader, name string) *Scanner {
	return &Scanner{name: name, in: r}
}

// Object returns the object read by the last successful Scan.
func (s *Scanner) Object() *Object { return s.obj }

// Err returns the first error met, as a *ParseError, or nil at a clean end of input.
func (s *Scanner) Err() error { return s.err }

// Line returns the number of lines read so far.
func (s *Scanner) Line() int { return s.line }

// Scan advances to the next object, which Object then returns. It returns false at the end of
// the input or on the first error, which Err then returns.
func (s *Scanner) Scan() bool {
	s.obj = nil
	if s.done {
		return false
	}
	if s.sc == nil && !s.open() {
		return false
	}
	for s.sc.Scan() {
		s.line++
		if err := s.feed(s.sc.Bytes()); err != nil {
			if s.src.err != nil {
				// A cut-short stream ends in a partial line; report the cause, not the fragment.
				return s.fail("reading: " + s.src.err.Error())
			}
			return s.fail(err.Error())
		}
		if s.ready != nil {
			s.obj, s.ready = s.ready, nil
			return true
		}
	}
	if err := s.sc.Err(); err != nil {
		s.line++
		if errors.Is(err, bufio.ErrTooLong) {
			return s.fail(fmt.Sprintf("line longer than %d bytes", maxLine))
		}
		return s.fail("reading: " + err.Error())
	}
	s.done = true
	if s.cur != nil {
		s.flush()
		s.skipping = false
	}
	s.obj, s.cur = s.cur, nil
	return s.obj != nil
}

func (s *Scanner) fail(reason string) bool {
	s.err = &ParseError{File: s.name, Line: s.line, Reason: reason}
	s.done = true
	s.obj = nil
	return false
}

// open detects gzip by its magic bytes.
func (s *Scanner) open() bool {
	br := bufio.NewReaderSize(s.in, 64*1024)
	var r io.Reader = br
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return s.fail("gzip: " + err.Error())
		}
		r = zr
	}
	s.src = &errReader{r: r}
	s.sc = bufio.NewScanner(s.src)
	s.sc.Buffer(make([]byte, 64*1024), maxLine)
	return true
}

// errReader remembers the first read error other than io.EOF.
type errReader struct {
	r   io.Reader
	err error
}

// Read reads from the wrapped reader, keeping its first error.
func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// feed processes one physical line.
func (s *Scanner) feed(b []byte) error {
	b = bytes.TrimRight(b, "\r")
	if len(bytes.TrimSpace(b)) == 0 {
		if s.cur != nil {
			s.flush()
			s.ready, s.cur = s.cur, nil
			s.skipping = false
		}
		return nil
	}
	switch b[0] {
	case '%', '#':
		return nil
	case ' ', '\t', '+':
		if s.cur == nil {
			return errors.New("continuation line outside an object")
		}
		if s.skipping {
			return nil
		}
		if !s.inCont {
			// Collect continuation text in one buffer: values such as a 57,000-line
			// mp-filter would be quadratic with string concatenation.
			s.inCont = true
			s.cont = append(s.cont[:0], s.cur.Attrs[len(s.cur.Attrs)-1].Value...)
		}
		if v := cleanBytes(b[1:]); len(v) > 0 {
			if len(s.cont) > 0 {
				s.cont = append(s.cont, ' ')
			}
			s.cont = append(s.cont, v...)
		}
		return nil
	}
	colon := bytes.IndexByte(b, ':')
	if colon <= 0 || !validName(b[:colon]) {
		return fmt.Errorf("expected \"attribute: value\", got %q", clip(b))
	}
	if s.skipping {
		return nil
	}
	a := Attr{Name: s.attrName(b[:colon]), Value: cleanValue(b[colon+1:]), Line: s.line}
	s.flush()
	if s.cur == nil {
		s.cur = &Object{Class: a.Name, Key: a.Value, Line: s.line, Attrs: make([]Attr, 0, 8)}
		s.skipping = s.only != nil && !s.only[a.Name]
	}
	s.cur.Attrs = append(s.cur.Attrs, a)
	return nil
}

// Only limits full reading to objects of the given classes (lower case). Objects of other
// classes are still checked line by line and returned, but with their first attribute only —
// this saves most of the work on whole-registry dumps full of inetnum, person or domain
// objects. Call it before the first Scan.
func (s *Scanner) Only(classes ...string) {
	s.only = map[string]bool{}
	for _, c := range classes {
		s.only[c] = true
	}
}

// attrName returns the lower-case attribute name, sharing one string per distinct name.
func (s *Scanner) attrName(b []byte) string {
	if n, ok := s.names[string(b)]; ok {
		return n
	}
	n := strings.ToLower(string(b))
	if s.names == nil {
		s.names = map[string]string{}
	}
	if len(s.names) < 1024 {
		s.names[string(b)] = n
	}
	return n
}

// flush stores collected continuation text in the last attribute.
func (s *Scanner) flush() {
	if s.inCont {
		s.cur.Attrs[len(s.cur.Attrs)-1].Value = string(s.cont)
		s.inCont = false
	}
}

// cleanValue drops an end-of-line comment and surrounding white space.
func cleanValue(b []byte) string { return string(cleanBytes(b)) }

func cleanBytes(b []byte) []byte {
	if i := bytes.IndexByte(b, '#'); i >= 0 {
		b = b[:i]
	}
	return bytes.TrimSpace(b)
}

// validName accepts RPSL attribute names: letters, digits, '-' and '_', starting with a letter.
func validName(b []byte) bool {
	if !isLetter(b[0]) {
		return false
	}
	for _, c := range b {
		if !isLetter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func clip(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}
