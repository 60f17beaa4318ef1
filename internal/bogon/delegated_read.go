package bogon

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// ReadDelegated reads one RIR delegated(-extended) statistics file, plain, gzip or bzip2. It
// checks the version line, every record's fields, and that the record counts declared in the
// version and summary lines match the records present — so a cut-short file is refused.
func ReadDelegated(r io.Reader, name string) (*Delegated, error) {
	br, err := decompress(r)
	if err != nil {
		return nil, &ParseError{File: name, Reason: err.Error()}
	}
	p := &delegatedParser{name: name, d: &Delegated{Records: map[string]int{}},
		summary: map[string]int{}, perType: map[string]int{}}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	for sc.Scan() {
		p.line++
		if err := p.parse(sc.Text()); err != nil {
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
	if err := p.finish(); err != nil {
		return nil, err
	}
	p.d.index()
	return p.d, nil
}

type delegatedParser struct {
	name     string
	line     int
	d        *Delegated
	header   *DelegatedFile
	summary  map[string]int // declared per type
	perType  map[string]int // seen per type
	nRecords int
}

func (p *delegatedParser) fail(format string, args ...any) error {
	return &ParseError{File: p.name, Line: p.line, Reason: fmt.Sprintf(format, args...)}
}

func (p *delegatedParser) finish() error {
	if p.header == nil {
		return p.fail("no version line (\"2|registry|serial|records|startdate|enddate|UTCoffset\")")
	}
	if p.header.Records != p.nRecords {
		return p.fail("version line declares %d records, the file holds %d (cut short?)",
			p.header.Records, p.nRecords)
	}
	for typ, n := range p.summary {
		if p.perType[typ] != n {
			return p.fail("summary line declares %d %s records, the file holds %d", n, typ, p.perType[typ])
		}
	}
	p.d.Files = append(p.d.Files, *p.header)
	return nil
}

func (p *delegatedParser) parse(text string) error {
	text = strings.TrimRight(text, "\r")
	if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
		return nil
	}
	f := strings.Split(text, "|")
	if p.header == nil {
		return p.parseVersion(f)
	}
	if len(f) == 6 && f[5] == "summary" {
		return p.parseSummary(f)
	}
	if len(f) < 7 {
		return p.fail("record has %d fields, want at least 7 (registry|cc|type|start|value|date|status)", len(f))
	}
	return p.parseRecord(f)
}

func (p *delegatedParser) parseVersion(f []string) error {
	if len(f) < 7 {
		return p.fail("version line has %d fields, want 7 (version|registry|serial|records|startdate|enddate|UTCoffset)", len(f))
	}
	if _, err := strconv.ParseFloat(f[0], 64); err != nil {
		return p.fail("version %q is not a number", f[0])
	}
	n, err := strconv.Atoi(f[3])
	if err != nil || n < 0 {
		return p.fail("record count %q is not a number", f[3])
	}
	p.header = &DelegatedFile{Name: p.name, Registry: f[1], Serial: f[2], EndDate: f[5], Records: n}
	return nil
}

func (p *delegatedParser) parseSummary(f []string) error {
	if f[1] != "*" || f[3] != "*" {
		return p.fail("summary line must have '*' in the cc and start fields")
	}
	if !validType(f[2]) {
		return p.fail("summary type %q is not asn, ipv4 or ipv6", f[2])
	}
	n, err := strconv.Atoi(f[4])
	if err != nil || n < 0 {
		return p.fail("summary count %q is not a number", f[4])
	}
	p.summary[f[2]] = n
	return nil
}

func validType(t string) bool { return t == "asn" || t == "ipv4" || t == "ipv6" }

// opaqueID returns the holder's opaque-id of an extended record, "" when absent.
func opaqueID(f []string) string {
	if len(f) > 7 {
		return f[7]
	}
	return ""
}

// parseRecord validates one delegated record and keeps it when its space is unallocated.
func (p *delegatedParser) parseRecord(f []string) error {
	typ, status := f[2], f[6]
	if !validType(typ) {
		return p.fail("type %q is not asn, ipv4 or ipv6", typ)
	}
	switch status {
	case "allocated", "assigned", "available", "reserved":
	default:
		return p.fail("status %q is not allocated, assigned, available or reserved", status)
	}
	p.nRecords++
	p.perType[typ]++
	p.d.Records[typ+" "+status]++
	free := status == "available" || status == "reserved"
	switch typ {
	case "asn":
		first, last, err := p.asnRange(f[3], f[4])
		if err != nil {
			return err
		}
		p.d.knownASN = append(p.d.knownASN, asnSpan{first, last})
		if !free {
			if id := opaqueID(f); id != "" {
				p.d.asnHolders = append(p.d.asnHolders, asnHolder{first, last, id})
			}
			return nil
		}
		p.d.asns = append(p.d.asns, asnBlock{Registry: f[0], Status: status, First: first, Last: last, Line: p.line})
	case "ipv4", "ipv6":
		rangeOf := p.ipv4Range
		if typ == "ipv6" {
			rangeOf = p.ipv6Range
		}
		first, last, err := rangeOf(f[3], f[4])
		if err != nil {
			return err
		}
		p.d.known = append(p.d.known, span{first, last})
		if !free {
			if id := opaqueID(f); id != "" {
				if p.d.holdings == nil {
					p.d.holdings = map[string][]Holding{}
				}
				p.d.holdings[id] = append(p.d.holdings[id], Holding{First: first, Last: last, Registry: f[0], Line: p.line})
			}
			return nil
		}
		p.d.blocks = append(p.d.blocks, block{Registry: f[0], Status: status, First: first, Last: last, Line: p.line})
	}
	return nil
}

func (p *delegatedParser) count(s string, limit uint64) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 || n > limit {
		return 0, p.fail("value %q is not a count in 1..%d", s, limit)
	}
	return n, nil
}

func (p *delegatedParser) asnRange(start, value string) (uint32, uint32, error) {
	first, err := strconv.ParseUint(start, 10, 32)
	if err != nil {
		return 0, 0, p.fail("AS number %q is not a 32-bit number", start)
	}
	n, err := p.count(value, 1<<32)
	if err != nil {
		return 0, 0, err
	}
	if first+n-1 > math.MaxUint32 {
		return 0, 0, p.fail("AS%d + %d runs past AS4294967295", first, n)
	}
	return uint32(first), uint32(first + n - 1), nil
}

func (p *delegatedParser) ipv4Range(start, value string) (netip.Addr, netip.Addr, error) {
	a, err := netip.ParseAddr(start)
	if err != nil || !a.Is4() {
		return netip.Addr{}, netip.Addr{}, p.fail("ipv4 start %q is not an IPv4 address", start)
	}
	n, err := p.count(value, 1<<32)
	if err != nil {
		return netip.Addr{}, netip.Addr{}, err
	}
	b := a.As4()
	first := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	if first+n-1 > math.MaxUint32 {
		return netip.Addr{}, netip.Addr{}, p.fail("%s + %d addresses runs past 255.255.255.255", a, n)
	}
	l := uint32(first + n - 1)
	return a, netip.AddrFrom4([4]byte{byte(l >> 24), byte(l >> 16), byte(l >> 8), byte(l)}), nil
}

func (p *delegatedParser) ipv6Range(start, value string) (netip.Addr, netip.Addr, error) {
	a, err := netip.ParseAddr(start)
	if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
		return netip.Addr{}, netip.Addr{}, p.fail("ipv6 start %q is not an IPv6 address", start)
	}
	bits, err := strconv.Atoi(value)
	if err != nil || bits < 0 || bits > 128 {
		return netip.Addr{}, netip.Addr{}, p.fail("ipv6 prefix length %q is not in 0..128", value)
	}
	pfx := netip.PrefixFrom(a, bits)
	if pfx != pfx.Masked() {
		return netip.Addr{}, netip.Addr{}, p.fail("%s has host bits set", pfx)
	}
	return a, lastAddr(pfx), nil
}
