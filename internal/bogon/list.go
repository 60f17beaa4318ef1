package bogon

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"routewarden/internal/irr"
)

// maxLine bounds one line of a list.
const maxLine = 1 << 20

// ReadList reads a published bogon list into a Set. Two shapes are detected:
//
//   - prefix lists, one or more comma-separated ranges per line with '#' comments, as Team
//     Cymru publishes (fullbogons-ipv4.txt: "1.2.3.0/24") and as hand-kept RPSL range lists
//     ("2001:db8::/32^+, # Documentation [RFC3849]"); the comment becomes the reason;
//   - RPSL whois output or dumps holding filter-set objects whose filter or mp-filter is a
//     prefix-set literal "{ 2001:db8::/32^+, … }" (other objects are skipped).
//
// Plain, gzip and bzip2 input is accepted. Every range must be valid: the error names the file
// and line.
func ReadList(r io.Reader, name string) (*Set, error) {
	br, err := decompress(r)
	if err != nil {
		return nil, &ParseError{File: name, Reason: err.Error()}
	}
	if looksLikeRPSL(br) {
		return readFilterSets(br, name)
	}
	return readPrefixList(br, name)
}

// looksLikeRPSL peeks at the first meaningful line: an RPSL attribute is "name:" followed by
// white space or the end of the line, which no IPv6 prefix ever is ("fe80::/10").
func looksLikeRPSL(br *bufio.Reader) bool {
	head, _ := br.Peek(64 * 1024)
	for _, line := range bytes.Split(head, []byte{'\n'}) {
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '%' || line[0] == '#' {
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return false
		}
		rest := line[colon+1:]
		return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t'
	}
	return false
}

func readPrefixList(br *bufio.Reader, name string) (*Set, error) {
	s := newSet()
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	line := 0
	for sc.Scan() {
		line++
		text, comment, _ := strings.Cut(sc.Text(), "#")
		reason := strings.TrimSpace(comment)
		if reason == "" {
			reason = "listed in " + name
		}
		for _, item := range strings.Split(text, ",") {
			if strings.TrimSpace(item) == "" {
				continue
			}
			r, err := ParseRange(item)
			if err != nil {
				return nil, &ParseError{File: name, Line: line, Reason: err.Error()}
			}
			r.Reason = reason
			s.add(r)
		}
	}
	if err := sc.Err(); err != nil {
		reason := "reading: " + err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			reason = fmt.Sprintf("line longer than %d bytes", maxLine)
		}
		return nil, &ParseError{File: name, Line: line + 1, Reason: reason}
	}
	return s, nil
}

func readFilterSets(br *bufio.Reader, name string) (*Set, error) {
	s := newSet()
	sc := irr.NewScanner(br, name)
	found := 0
	for sc.Scan() {
		o := sc.Object()
		if o.Class != "filter-set" {
			continue
		}
		found++
		for _, a := range o.Attrs {
			if a.Name != "filter" && a.Name != "mp-filter" {
				continue
			}
			if err := addFilter(s, a.Value, "filter-set "+o.Key); err != nil {
				return nil, &ParseError{File: name, Line: a.Line, Reason: a.Name + ": " + err.Error()}
			}
		}
	}
	if err := sc.Err(); err != nil {
		var pe *irr.ParseError
		if errors.As(err, &pe) {
			return nil, &ParseError{File: pe.File, Line: pe.Line, Reason: pe.Reason}
		}
		return nil, err
	}
	if found == 0 {
		return nil, &ParseError{File: name, Line: sc.Line(), Reason: "no filter-set object in RPSL input"}
	}
	return s, nil
}

// addFilter adds the ranges of a prefix-set literal "{ r1, r2, … }".
func addFilter(s *Set, v, reason string) error {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "{") || !strings.HasSuffix(v, "}") {
		return fmt.Errorf("only prefix-set literals { … } are supported, got %q", clip(v))
	}
	for i, item := range strings.Split(v[1:len(v)-1], ",") {
		if strings.TrimSpace(item) == "" {
			if i == 0 && strings.TrimSpace(v[1:len(v)-1]) == "" {
				return nil // an empty set
			}
			return fmt.Errorf("empty item %d", i+1)
		}
		r, err := ParseRange(item)
		if err != nil {
			return fmt.Errorf("item %d: %v", i+1, err)
		}
		r.Reason = reason
		s.add(r)
	}
	return nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
