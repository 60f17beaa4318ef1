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

func readCSV(name string, r io.Reader) (*Set, error) {
	cr := &csvReader{name: name, set: &Set{}, tas: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var fields []string
	for sc.Scan() {
		cr.line++
		line := bytes.TrimSpace(sc.Bytes())
		if cr.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		fields = splitCSV(string(line), fields[:0])
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
func splitCSV(line string, out []string) []string {
	for {
		i := strings.IndexByte(line, ',')
		f := line
		if i >= 0 {
			f = line[:i]
		}
		f = strings.TrimSpace(f)
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
func (cr *csvReader) header(fields []string) bool {
	if _, err := ParseASN(fields[0]); err == nil {
		cr.cols, cr.hdr = defaultCSVColumns, ""
		return false
	}
	cr.cols = make([]int, len(fields))
	var names []string
	for i, f := range fields {
		k := strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(f))
		cr.cols[i] = csvColumns[k]
		names = append(names, k)
	}
	cr.hdr = ":" + strings.Join(names, ",")
	return true
}

func (cr *csvReader) row(fields []string) error {
	var (
		asn    uint32
		prefix string
		maxLen = -1
		ta     string
		exp    int64
		seen   int
	)
	if len(fields) < 3 {
		return fmt.Errorf("expected at least 3 fields (ASN, prefix, max length), found %d", len(fields))
	}
	for i, f := range fields {
		role := colIgnore
		if i < len(cr.cols) {
			role = cr.cols[i]
		}
		var err error
		switch role {
		case colASN:
			asn, err = ParseASN(f)
			seen |= 1
		case colPrefix:
			prefix = f
			seen |= 2
		case colMaxLen:
			maxLen, err = parseMaxLen(f)
		case colTA:
			ta = f
		case colExpires:
			if f != "" {
				exp, err = strconv.ParseInt(f, 10, 64)
				if err != nil {
					err = fmt.Errorf("bad expiry %q", f)
				}
			}
		}
		if err != nil {
			return err
		}
	}
	if seen != 3 {
		return fmt.Errorf("row lacks the ASN or the prefix column")
	}
	p, err := parsePrefix(prefix)
	if err != nil {
		return err
	}
	if maxLen < 0 {
		maxLen = p.Bits()
	}
	v, err := NewVRP(p, maxLen, asn)
	if err != nil {
		return err
	}
	if t, ok := cr.tas[ta]; ok {
		v.TA = t
	} else {
		cr.tas[ta], v.TA = ta, ta
	}
	v.Expires = exp
	cr.set.VRPs = append(cr.set.VRPs, v)
	return nil
}

func parseMaxLen(f string) (int, error) {
	if f == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(f)
	if err != nil || n < 0 || n > 255 {
		return 0, fmt.Errorf("bad max length %q", f)
	}
	return n, nil
}
