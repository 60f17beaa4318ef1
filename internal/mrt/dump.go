package mrt

import (
	"bufio"
	"errors"
	"io"
)

// maxKeptErrors bounds how many malformed-record errors Stats keeps.
const maxKeptErrors = 10

// Stats counts what a pass over an MRT stream saw.
type Stats struct {
	Records     int     // records read
	Malformed   int     // records (or single RIB entries) skipped because their content was malformed
	Unsupported int     // records of types or subtypes not decoded (not an error)
	Truncated   int     // BGP messages cut short by their record; complete parts were kept
	Errors      []error // the first few *MalformedError values
}

// count updates the counters for a decoded body.
func (s *Stats) count(rec *Record, body Body) {
	switch b := body.(type) {
	case *Unsupported:
		s.Unsupported++
	case *RIB:
		for i := range b.Entries {
			if err := b.Entries[i].Err; err != nil {
				s.addMalformed(&MalformedError{Offset: rec.Offset, Type: rec.Type, Subtype: rec.Subtype, Reason: err.Error()})
			}
		}
	case *BGP4MPMessage:
		if b.Truncated {
			s.Truncated++
		}
	}
}

func (s *Stats) addMalformed(err error) {
	s.Malformed++
	if len(s.Errors) < maxKeptErrors {
		s.Errors = append(s.Errors, err)
	}
}

// Dump reads the MRT stream r (plain, gzip or bzip2) and writes what `bgpdump -m` prints for it
// to w. Malformed records are skipped and counted in the returned Stats; a truncated or corrupt
// stream stops the dump with a *FormatError after everything before it has been written.
func Dump(w io.Writer, r io.Reader) (Stats, error) {
	var st Stats
	rd, err := NewReader(r)
	if err != nil {
		return st, err
	}
	defer rd.Close()
	bw := bufio.NewWriterSize(w, 64<<10)
	dec := NewDecoder()
	var line []byte
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ferr := bw.Flush(); ferr != nil {
				return st, ferr
			}
			return st, err
		}
		st.Records++
		body, err := dec.Decode(rec)
		if err != nil {
			st.addMalformed(err)
			continue
		}
		st.count(rec, body)
		line = AppendBGPDump(line[:0], rec, body)
		if _, err := bw.Write(line); err != nil {
			return st, err
		}
	}
	return st, bw.Flush()
}
