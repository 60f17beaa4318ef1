package rpki

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"os"
)

// ReadVRPs reads a VRP export, detecting its shape: JSON (rpki-client of all vintages,
// Routinator json/jsonext, OctoRPKI, RIPE Validator, StayRTR/GoRTR) or CSV (rpki-client,
// Routinator csv/csvcompat/csvext, RIPE Validator), optionally gzip-compressed. The JSON is
// decoded as a stream; offsets in errors count decompressed bytes. Malformed
// input is refused with a *ParseError naming name and the line (CSV) or byte offset (JSON).
func ReadVRPs(name string, r io.Reader) (*Set, error) {
	var hint int64 // input size when known, to size the VRP slice once
	switch x := r.(type) {
	case *os.File:
		if fi, err := x.Stat(); err == nil && fi.Mode().IsRegular() {
			hint = fi.Size()
		}
	case interface{ Len() int }: // *bytes.Reader, *strings.Reader, *bytes.Buffer
		hint = int64(x.Len())
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var first byte
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			return nil, &ParseError{File: name, Offset: 0, Reason: "empty file"}
		}
		if err != nil {
			return nil, &ParseError{File: name, Offset: 0, Reason: err.Error()}
		}
		if b == ' ' || b == '\t' || b == '\r' || b == '\n' {
			continue
		}
		first = b
		_ = br.UnreadByte()
		break
	}
	if first == 0x1f { // gzip magic: read the decompressed stream
		if head, _ := br.Peek(2); len(head) == 2 && head[1] == 0x8b {
			zr, err := gzip.NewReader(br)
			if err != nil {
				return nil, &ParseError{File: name, Offset: 0, Reason: "gzip: " + err.Error()}
			}
			defer zr.Close()
			return ReadVRPs(name, zr)
		}
	}
	if first == '{' || first == '[' {
		return readJSONNamed(name, br, hint)
	}
	return readCSV(name, br, hint)
}

func readJSONNamed(name string, r io.Reader, hint int64) (*Set, error) {
	s := newJScan(r, nil)
	set, err := readJSON(s, hint)
	if err != nil {
		return nil, jsonParseError(name, err)
	}
	return set, nil
}

func jsonParseError(name string, err error) error {
	var je *jsonError
	if errors.As(err, &je) {
		return &ParseError{File: name, Line: int(je.line), Offset: je.off, Reason: je.reason}
	}
	return &ParseError{File: name, Offset: 0, Reason: err.Error()}
}

// ReadVRPFile opens and reads a VRP export with ReadVRPs.
func ReadVRPFile(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadVRPs(path, f)
}
