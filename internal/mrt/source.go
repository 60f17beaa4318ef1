package mrt

import (
	"bytes"
	"io"
)

// RouteSource yields routes; RouteReader and TextReader implement it.
type RouteSource interface {
	// Next returns the next route, valid until the following call, or io.EOF at the end.
	Next() (*Route, error)
	// Close releases a decompression goroutine; it does not close the underlying reader.
	Close() error
}

// OpenRoutes returns a RouteSource for r, which may hold MRT or bgpdump -m text, either plain,
// gzip or bzip2. Text is recognised by its first bytes ("TABLE_DUMP" or "BGP4MP"), which can
// never start an MRT record (they would make an unknown record type).
func OpenRoutes(r io.Reader) (RouteSource, error) {
	rd, err := NewReader(r)
	if err != nil {
		return nil, err
	}
	head, _ := rd.br.Peek(10)
	if bytes.HasPrefix(head, []byte("TABLE_DUMP")) || bytes.HasPrefix(head, []byte("BGP4MP")) {
		t := NewTextReader(rd.br)
		t.closer = rd
		return t, nil
	}
	return &RouteReader{rd: rd, dec: NewDecoder()}, nil
}

// Close releases the decompression goroutine of a TextReader made by OpenRoutes.
func (t *TextReader) Close() error {
	if t.closer != nil {
		return t.closer.Close()
	}
	return nil
}
