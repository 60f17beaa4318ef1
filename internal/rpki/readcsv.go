package rpki

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// csv column roles
const (
	colIgnore = iota
	colASN
	colPrefix
	colMaxLen
	colTA
	colExpires
)

// csvColumns maps the header names used by rpki-client (ASN,IP Prefix,Max Length,Trust
// Anchor,Expires), Routinator csv/csvcompat/csvext (URI,ASN,IP Prefix,Max Length,Not Before,
// Not After) and the RIPE Validator to column roles.
var csvColumns = map[string]int{
	"asn": colASN, "origin": colASN, "originasn": colASN,
	"ipprefix": colPrefix, "prefix": colPrefix,
	"maxlength": colMaxLen, "maxprefixlength": colMaxLen, "maxlen": colMaxLen,
	"trustanchor": colTA, "ta": colTA,
	"expires": colExpires,
	"uri":     colIgnore, "notbefore": colIgnore, "notafter": colIgnore,
}

// defaultCSVColumns is the rpki-client / Routinator column order, used for headerless files.
var defaultCSVColumns = []int{colASN, colPrefix, colMaxLen, colTA, colExpires}

type csvReader struct {
	name string
	cols []int
	set  *Set
	tas  map[string]string
	line int
	hdr  string
}

// readCSV reads a CSV export; sizeHint is the input size when known.
func readCSV(name string, r io.Reader, sizeHint int64) (*Set, error) {
	cr := &csvReader{name: name, set: &Set{}, tas: map[string]string{}}
	if sizeHint > 0 {
		cr.set.VRPs = make([]VRP, 0, sizeHint/32)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var fields [][]byte
	for sc.Scan() {
		cr.line++
		line := bytes.TrimSpace(sc.Bytes())
		if cr.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		fields = splitCSV(line, fields[:0])
		if cr.cols == nil {
			if cr.header(fields) {
				continue
			}
		}
		if err := cr.row(fields); err != nil {
			return nil, &ParseError{File: name, Line: cr.line, Offset: -1, Reason: err.Error()}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: name, Line: cr.line + 1, Offset: -1, Reason: err.Error()}
	}
	cr.set.Format = "csv" + cr.hdr
	return cr.set, nil
}

// splitCSV splits a line on commas, removing the double quotes of quoted fields.
func splitCSV(line []byte, out [][]byte) [][]byte {
	for {
		i := bytes.IndexByte(line, ',')
		f := line
		if i >= 0 {
			f = line[:i]
		}
		f = bytes.TrimSpace(f)
		if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
			f = f[1 : len(f)-1]
		}
		out = append(out, f)
		if i < 0 {
			return out
		}
		line = line[i+1:]
	}
}

// header recognises a header row and sets the column roles; it returns false for a data row.
func (cr *csvReader) header(fields [][]byte) bool {
	if _, err := parseASNBytes(fields[0]); err == nil {
		cr.cols, cr.hdr = defaultCSVColumns, ""
		return false
	}
	cr.cols = make([]int, len(fields))
	var names []string
	for i, f := range fields {
		k := strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(string(f)))
		cr.cols[i] = csvColumns[k]
		names = append(names, k)
	}
	cr.hdr = ":" + strings.Join(names, ",")
	return true
}

func (cr *csvReader) row(fields [][]byte) error {
	if len(fields) < 3 {
		return fmt.Errorf("expected at least 3 fields (ASN, prefix, max length), found %d", len(fields))
	}
	var (
		f      = roaFields{maxLen: -1}
		prefix []byte
	)
	for i, field := range fields {
		if i >= len(cr.cols) {
			break
		}
		if cr.cols[i] == colPrefix {
			prefix, f.hasPrefix = field, true
			continue
		}
		if err := cr.field(&f, cr.cols[i], field); err != nil {
			return err
		}
	}
	if !f.hasASN || !f.hasPrefix {
		return fmt.Errorf("row lacks the ASN or the prefix column")
	}
	p, fast := parseIPv4Prefix(prefix)
	if !fast {
		var err error
		if p, err = parsePrefix(string(prefix)); err != nil {
			return err
		}
	}
	f.v.Prefix = p
	v, err := f.vrp()
	if err != nil {
		return err
	}
	cr.set.VRPs = append(cr.set.VRPs, v)
	return nil
}

// field stores one non-prefix column of a row in f.
func (cr *csvReader) field(f *roaFields, role int, b []byte) error {
	var err error
	switch role {
	case colASN:
		f.v.ASN, err = parseASNBytes(b)
		f.hasASN = true
	case colMaxLen:
		f.maxLen, err = parseMaxLen(b)
	case colTA:
		t, ok := cr.tas[string(b)]
		if !ok {
			t = string(b)
			cr.tas[t] = t
		}
		f.v.TA = t
	case colExpires:
		if len(b) > 0 {
			if f.v.Expires, err = strconv.ParseInt(string(b), 10, 64); err != nil {
				err = fmt.Errorf("bad expiry %q", b)
			}
		}
	}
	return err
}

func parseMaxLen(b []byte) (int, error) {
	if len(b) == 0 {
		return -1, nil
	}
	if len(b) > 3 {
		return 0, fmt.Errorf("bad max length %q", b)
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad max length %q", b)
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}
