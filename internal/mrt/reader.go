package mrt

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// MaxRecordLength bounds the body length a record header may declare. Real records stay far
// below it (a full-table RIB record with thousands of peers is a few hundred KiB).
const MaxRecordLength = 1 << 26

// Header is the MRT common header (RFC 6396 section 2), with the microsecond field of the
// extended-timestamp (_ET) types.
type Header struct {
	Timestamp    uint32
	Microseconds uint32 // only for _ET types
	Type         Type
	Subtype      uint16
	Length       uint32 // body length, without the microsecond field of _ET types
}

// Record is one raw MRT record. Body is only valid until the next call to Reader.Next.
type Record struct {
	Header
	Offset int64 // byte offset of the header in the uncompressed stream
	Body   []byte
}

// Reader reads MRT records one at a time from a plain, gzip or bzip2 stream (detected by magic
// bytes). Memory use is bounded by the largest record, not by the stream size.
type Reader struct {
	br     *bufio.Reader
	off    int64
	hdr    [16]byte
	rec    Record
	err    error
	comp   string
	closer io.Closer
}

// NewReader returns a Reader for r. Compression is detected from the first bytes: 1f 8b is gzip,
// "BZh" is bzip2, anything else is read as plain MRT.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(3)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &FormatError{Offset: 0, Reason: err.Error()}
	}
	rd := &Reader{}
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &FormatError{Offset: 0, Reason: "gzip: " + err.Error()}
		}
		rd.br, rd.comp = bufio.NewReaderSize(rd.startAsync(zr), 64<<10), "gzip"
	case bytes.HasPrefix(magic, []byte("BZh")):
		rd.br, rd.comp = bufio.NewReaderSize(rd.startAsync(bzip2.NewReader(br)), 64<<10), "bzip2"
	default:
		rd.br = br
	}
	return rd, nil
}

// Close releases the decompression goroutine, if any. It does not close the underlying reader.
// Reading to the end or to an error does not require Close; abandoning a Reader early should.
func (r *Reader) Close() error {
	if r.closer != nil {
		return r.closer.Close()
	}
	return nil
}

// Compression names the detected compression: "gzip", "bzip2" or "" for none.
func (r *Reader) Compression() string { return r.comp }

// Offset returns the uncompressed byte offset of the next record.
func (r *Reader) Offset() int64 { return r.off }

// Next returns the next record. It returns io.EOF at the clean end of the stream and a
// *FormatError for a truncated or corrupt stream; after an error every call returns it again.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return rec, nil
}

func (r *Reader) next() (*Record, error) {
	start := r.off
	n, err := io.ReadFull(r.br, r.hdr[:12])
	if err != nil {
		if n == 0 && errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, r.fail(start, err, fmt.Sprintf("record header cut short (%d of 12 bytes)", n))
	}
	h := Header{
		Timestamp: binary.BigEndian.Uint32(r.hdr[0:]),
		Type:      Type(binary.BigEndian.Uint16(r.hdr[4:])),
		Subtype:   binary.BigEndian.Uint16(r.hdr[6:]),
		Length:    binary.BigEndian.Uint32(r.hdr[8:]),
	}
	if h.Length > MaxRecordLength {
		return nil, &FormatError{Offset: start, Reason: fmt.Sprintf("record length %d exceeds limit %d", h.Length, MaxRecordLength)}
	}
	if h.Type.extended() {
		if h.Length < 4 {
			return nil, &FormatError{Offset: start, Reason: fmt.Sprintf("extended-timestamp record length %d < 4", h.Length)}
		}
		if n, err := io.ReadFull(r.br, r.hdr[12:16]); err != nil {
			return nil, r.fail(start, err, fmt.Sprintf("record cut short: length %d, got %d bytes", h.Length, n))
		}
		h.Microseconds = binary.BigEndian.Uint32(r.hdr[12:])
		h.Length -= 4
	}
	body, n, err := r.readBody(int(h.Length))
	if err != nil {
		if h.Type.extended() {
			n += 4
		}
		return nil, r.fail(start, err, fmt.Sprintf("record cut short: length %d, got %d bytes", h.Length, n))
	}
	r.off = start + 12 + int64(len(body))
	if h.Type.extended() {
		r.off += 4
	}
	r.rec.Header, r.rec.Offset, r.rec.Body = h, start, body
	return &r.rec, nil
}

// readBody reads an n-byte body into the reused buffer. The buffer grows with the data that
// actually arrives, so a corrupt length field cannot make the reader allocate far more memory
// than the stream holds.
func (r *Reader) readBody(n int) ([]byte, int, error) {
	buf := r.rec.Body[:0]
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grow := min(n-len(buf), max(cap(buf), 64<<10))
			buf = append(buf, make([]byte, grow)...)[:len(buf)]
		}
		m, err := io.ReadFull(r.br, buf[len(buf):min(n, cap(buf))])
		buf = buf[:len(buf)+m]
		if err != nil {
			r.rec.Body = buf
			return nil, len(buf), err
		}
	}
	r.rec.Body = buf
	return buf, n, nil
}

// fail turns a read error into a FormatError: a decompression error names the compression
// (a gzip or bzip2 stream that ends early is "truncated"), a short read gets the given reason.
func (r *Reader) fail(off int64, err error, short string) error {
	var de *decompressError
	switch {
	case errors.As(err, &de) && errors.Is(de.err, io.ErrUnexpectedEOF):
		return &FormatError{Offset: off, Reason: r.comp + " stream truncated"}
	case errors.As(err, &de):
		return &FormatError{Offset: off, Reason: r.comp + " stream: " + de.err.Error()}
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &FormatError{Offset: off, Reason: short}
	}
	return &FormatError{Offset: off, Reason: err.Error()}
}
