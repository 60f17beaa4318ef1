package asrel

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// maxLine bounds one line; header lines listing IXP ASes are the longest real lines (a few KB).
const maxLine = 1 << 20

// Read parses a CAIDA as-rel file (serial-1 or serial-2, plain, gzip or bzip2 — detected from the
// first bytes) into a Graph. name is used in error messages. It refuses the whole file on the
// first malformed line: wrong field count, an ASN that is not a 32-bit number, AS 0, a self
// link, a relationship other than -1 or 0, a mix of serial-1 and serial-2 lines, or a pair listed
// twice with different relationships.
func Read(r io.Reader, name string) (*Graph, error) {
	src, err := decompress(r)
	if err != nil {
		return nil, &ParseError{File: name, Line: 0, Reason: err.Error()}
	}
	p := parser{name: name, g: &Graph{links: map[uint64]link{}, sources: []string{""}},
		srcIndex: map[string]uint8{}}
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		reason := "reading: " + err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			reason = fmt.Sprintf("line longer than %d bytes", maxLine)
		}
		return nil, &ParseError{File: name, Line: p.line + 1, Reason: reason}
	}
	if p.g.Serial == 0 {
		p.g.Serial = 1
	}
	p.g.finish()
	return p.g, nil
}

// decompress detects gzip ("\x1f\x8b") and bzip2 ("BZh") by magic bytes.
func decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	magic, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(br), nil
	}
	return br, nil
}

type parser struct {
	name     string
	line     int
	g        *Graph
	srcIndex map[string]uint8
}

func (p *parser) fail(format string, args ...any) error {
	return &ParseError{File: p.name, Line: p.line, Reason: fmt.Sprintf(format, args...)}
}

func (p *parser) parseLine(s []byte) error {
	s = bytes.TrimRight(s, "\r")
	if len(bytes.TrimSpace(s)) == 0 {
		return nil
	}
	if s[0] == '#' {
		return p.parseComment(strings.TrimSpace(string(s[1:])))
	}
	f, n := splitFields(s)
	serial := n - 2
	if serial != 1 && serial != 2 {
		return p.fail("want 3 fields (serial-1) or 4 (serial-2) separated by '|', got %d", n)
	}
	if p.g.Serial != 0 && p.g.Serial != serial {
		return p.fail("serial-%d line in a serial-%d file", serial, p.g.Serial)
	}
	p.g.Serial = serial
	a, err := parseASN(f[0])
	if err != nil {
		return p.fail("first AS: %v", err)
	}
	b, err := parseASN(f[1])
	if err != nil {
		return p.fail("second AS: %v", err)
	}
	if a == b {
		return p.fail("AS%d linked to itself", a)
	}
	var dir int8
	switch string(f[2]) {
	case "-1":
		dir = 1 // a is the provider of b
	case "0":
		dir = 0
	default:
		return p.fail("relationship %q is neither -1 (provider|customer) nor 0 (peer|peer)", f[2])
	}
	var src uint8
	if serial == 2 {
		if src, err = p.source(f[3]); err != nil {
			return err
		}
	}
	return p.add(a, b, dir, src)
}

// splitFields splits a line on '|' without allocating; n counts all fields, f keeps the first 4.
func splitFields(s []byte) (f [4][]byte, n int) {
	for rest := s; ; n++ {
		field, tail, more := bytes.Cut(rest, []byte{'|'})
		if n < len(f) {
			f[n] = field
		}
		if !more {
			return f, n + 1
		}
		rest = tail
	}
}

func (p *parser) source(b []byte) (uint8, error) {
	if len(b) == 0 {
		return 0, p.fail("empty inference source in serial-2 line")
	}
	if i, ok := p.srcIndex[string(b)]; ok {
		return i, nil
	}
	s := string(b)
	if len(p.g.sources) > 255 {
		return 0, p.fail("more than 255 distinct inference sources")
	}
	i := uint8(len(p.g.sources))
	p.g.sources = append(p.g.sources, s)
	p.srcIndex[s] = i
	return i, nil
}

func (p *parser) add(a, b uint32, dir int8, src uint8) error {
	key, swapped := pairKey(a, b)
	if swapped {
		dir = -dir
	}
	if old, ok := p.g.links[key]; ok {
		if old.dir != dir {
			return p.fail("AS%d|AS%d conflicts with the relationship given on line %d", a, b, old.line)
		}
		return nil
	}
	p.g.links[key] = link{dir: dir, src: src, line: uint32(p.line)}
	return nil
}

// parseComment keeps the header facts CAIDA puts in comments; other comments are ignored.
func (p *parser) parseComment(c string) error {
	switch {
	case hasPrefixFold(c, "input clique:"):
		asns, err := parseASNList(c[len("input clique:"):])
		if err != nil {
			return p.fail("input clique: %v", err)
		}
		p.g.Clique = asns
	case hasPrefixFold(c, "ixp ases:"):
		asns, err := parseASNList(c[len("ixp ases:"):])
		if err != nil {
			return p.fail("IXP ASes: %v", err)
		}
		p.g.IXPs = asns
	case hasPrefixFold(c, "source:"):
		p.g.Sources = append(p.g.Sources, strings.TrimSpace(c[len("source:"):]))
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func parseASNList(s string) ([]uint32, error) {
	var out []uint32
	for _, f := range strings.Fields(s) {
		a, err := parseASN([]byte(f))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// parseASN accepts a plain decimal 32-bit ASN other than 0.
func parseASN(s []byte) (uint32, error) {
	if len(s) == 0 {
		return 0, errors.New("empty AS number")
	}
	var v uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("AS number %q is not decimal", s)
		}
		v = v*10 + uint64(c-'0')
		if v > math.MaxUint32 {
			return 0, fmt.Errorf("AS number %q is out of the 32-bit range", s)
		}
	}
	if v == 0 {
		return 0, errors.New("AS 0 is reserved (RFC 7607) and cannot have relationships")
	}
	return uint32(v), nil
}
