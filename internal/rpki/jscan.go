package rpki

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// jscan is a small streaming JSON reader that keeps the byte offset of every token, so that
// malformed values can be reported with their position. It reads exactly the JSON grammar
// (RFC 8259) but leaves the schema to its callers.
type jscan struct {
	r       io.Reader
	buf     []byte
	pos     int   // next unread byte in buf
	base    int64 // stream offset of buf[0]
	eof     bool
	readErr error
	scratch []byte
	keybuf  []byte
	lines   int64 // newlines before buf[0]
	depth   int
}

const maxJSONDepth = 64

func newJScan(r io.Reader, prefix []byte) *jscan {
	buf := make([]byte, len(prefix), max(256<<10, len(prefix)))
	copy(buf, prefix)
	return &jscan{r: r, buf: buf}
}

// off is the stream offset of the next unread byte.
func (s *jscan) off() int64 { return s.base + int64(s.pos) }

// fill reads more input, keeping buf[s.pos:]. It returns false at the end of input.
func (s *jscan) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.lines += int64(bytes.Count(s.buf[:s.pos], []byte{'\n'}))
		n := copy(s.buf, s.buf[s.pos:])
		s.base += int64(s.pos)
		s.buf, s.pos = s.buf[:n], 0
	}
	if len(s.buf) == cap(s.buf) {
		nb := make([]byte, len(s.buf), 2*cap(s.buf))
		copy(nb, s.buf)
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.readErr = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

type jsonError struct {
	off    int64
	line   int64 // 1-based, 0 when the text before off is no longer buffered
	reason string
}

func (e *jsonError) Error() string { return e.reason }

func (s *jscan) errAt(off int64, format string, args ...any) error {
	var line int64
	if rel := off - s.base; rel >= 0 && rel <= int64(len(s.buf)) {
		line = s.lines + int64(bytes.Count(s.buf[:rel], []byte{'\n'})) + 1
	}
	return &jsonError{off, line, fmt.Sprintf(format, args...)}
}

func (s *jscan) eofErr() error {
	if s.readErr != nil {
		return s.errAt(s.off(), "read error: %v", s.readErr)
	}
	return s.errAt(s.off(), "unexpected end of input")
}

// peek skips white space and returns the next byte without consuming it.
func (s *jscan) peek() (byte, error) {
	for {
		for s.pos < len(s.buf) {
			c := s.buf[s.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, nil
			}
			s.pos++
		}
		if !s.fill() {
			return 0, s.eofErr()
		}
	}
}

// expect consumes byte c after white space.
func (s *jscan) expect(c byte) error {
	got, err := s.peek()
	if err != nil {
		return err
	}
	if got != c {
		return s.errAt(s.off(), "expected %q, found %q", c, got)
	}
	s.pos++
	return nil
}

// end checks that only white space follows the top-level value.
func (s *jscan) end() error {
	c, err := s.peek()
	if err == nil {
		return s.errAt(s.off(), "unexpected %q after the top-level value", c)
	}
	if s.readErr != nil {
		return err
	}
	return nil
}

// beginObject consumes '{'; members are then read with nextMember.
func (s *jscan) beginObject() error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errAt(s.off(), "nesting too deep")
	}
	return nil
}

// nextMember reads the next member name and its colon, or the closing '}' (ok false).
// first must be true for the first call on an object.
func (s *jscan) nextMember(first bool) (key []byte, at int64, ok bool, err error) {
	c, err := s.peek()
	if err != nil {
		return nil, 0, false, err
	}
	if c == '}' {
		s.pos++
		s.depth--
		return nil, 0, false, nil
	}
	if !first {
		if err := s.expect(','); err != nil {
			return nil, 0, false, err
		}
	}
	if _, err := s.peek(); err != nil {
		return nil, 0, false, err
	}
	at = s.off()
	if key, err = s.str(); err != nil {
		return nil, 0, false, err
	}
	s.keybuf = append(s.keybuf[:0], key...) // key may point into buf, which peek can move
	key = s.keybuf
	if err := s.expect(':'); err != nil {
		return nil, 0, false, err
	}
	if _, err := s.peek(); err != nil {
		return nil, 0, false, err
	}
	return key, at, true, nil
}

// object calls fn for every member; fn must consume the value.
func (s *jscan) object(fn func(key []byte, at int64) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errAt(s.off(), "nesting too deep")
	}
	defer func() { s.depth-- }()
	for first := true; ; first = false {
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c == '}' && first {
			s.pos++
			return nil
		}
		if !first {
			if c == '}' {
				s.pos++
				return nil
			}
			if err := s.expect(','); err != nil {
				return err
			}
		}
		if _, err := s.peek(); err != nil {
			return err
		}
		at := s.off()
		key, err := s.str()
		if err != nil {
			return err
		}
		key = append([]byte(nil), key...) // key may point into buf, which peek can move
		if err := s.expect(':'); err != nil {
			return err
		}
		if _, err := s.peek(); err != nil {
			return err
		}
		if err := fn(key, at); err != nil {
			return err
		}
	}
}

// array calls fn for every element; fn must consume the element.
func (s *jscan) array(fn func() error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	if s.depth++; s.depth > maxJSONDepth {
		return s.errAt(s.off(), "nesting too deep")
	}
	defer func() { s.depth-- }()
	for first := true; ; first = false {
		c, err := s.peek()
		if err != nil {
			return err
		}
		if c == ']' {
			if first {
				s.pos++
				return nil
			}
			s.pos++
			return nil
		}
		if !first {
			if err := s.expect(','); err != nil {
				return err
			}
			if _, err := s.peek(); err != nil {
				return err
			}
		}
		if err := fn(); err != nil {
			return err
		}
	}
}

// skip consumes any value.
func (s *jscan) skip() error {
	c, err := s.peek()
	if err != nil {
		return err
	}
	switch {
	case c == '{':
		return s.object(func([]byte, int64) error { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == '"':
		_, err := s.str()
		return err
	case c == '-' || c >= '0' && c <= '9':
		_, err := s.num()
		return err
	}
	return s.literal()
}
