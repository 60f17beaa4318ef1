package rpki

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"strconv"
	"sync"
)

// Route is an announced prefix with its origin AS. OriginKnown is false when the origin is NONE
// (the AS_PATH ends in an AS_SET).
type Route struct {
	Prefix      netip.Prefix
	Origin      uint32
	OriginKnown bool
}

// OriginString renders the origin as "AS64500", or "NONE".
func (r Route) OriginString() string {
	if !r.OriginKnown {
		return "NONE"
	}
	return "AS" + strconv.FormatUint(uint64(r.Origin), 10)
}

// ReadRoutes reads a "PREFIX ORIGIN" list: one route per line, fields separated by blanks,
// origin as 64500 or AS64500 (or NONE, or an AS_SET such as {64500,64501}, both meaning origin
// NONE), "#" starting a comment, blank lines ignored. Host bits in a prefix are cleared. Errors
// name the file and line.
func ReadRoutes(name string, r io.Reader) ([]Route, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ParseRoutes(name, data)
}

// ParseRoutes is ReadRoutes on a buffer; large inputs are parsed on all CPUs.
func ParseRoutes(name string, data []byte) ([]Route, error) {
	parts := min(runtime.GOMAXPROCS(0), max(1, len(data)/(1<<20)))
	chunks := splitLines(data, parts)
	// Each chunk writes into its own window of one slice sized by line counts, so that no
	// copy is needed afterwards (other than closing the gaps left by comments and blanks).
	lines := make([]int, len(chunks)+1)
	for i, c := range chunks {
		lines[i+1] = lines[i] + bytes.Count(c, []byte{'\n'}) + 1
	}
	out := make([]Route, lines[len(chunks)])
	counts := make([]int, len(chunks))
	errs := make([]*ParseError, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], errs[i] = parseRouteChunk(name, c, out[lines[i]:lines[i+1]])
		}()
	}
	wg.Wait()
	n := 0
	for i, e := range errs {
		if e != nil {
			e.Line += lines[i] - i // lines[] counts one extra line per chunk
			return nil, e
		}
		if lines[i] != n {
			copy(out[n:], out[lines[i]:lines[i]+counts[i]])
		}
		n += counts[i]
	}
	clear(out[n:])
	return out[:n], nil
}

// splitLines cuts data into at most n pieces that end at line boundaries.
func splitLines(data []byte, n int) [][]byte {
	var out [][]byte
	for n > 1 && len(data) > 0 {
		cut := len(data) / n
		if i := bytes.IndexByte(data[cut:], '\n'); i >= 0 {
			cut += i + 1
		} else {
			cut = len(data)
		}
		out = append(out, data[:cut])
		data = data[cut:]
		n--
	}
	return append(out, data)
}

// parseRouteChunk parses data into out (which has room for every line) and returns the
// number of routes.
func parseRouteChunk(name string, data []byte, out []Route) (int, *ParseError) {
	n, line := 0, 0
	for len(data) > 0 {
		line++
		if r, k, ok := parseRouteFast(data); ok {
			out[n] = r
			n++
			data = data[k:]
			continue
		}
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		r, ok, err := parseRouteLine(l)
		if err != nil {
			return 0, &ParseError{File: name, Line: line, Offset: -1, Reason: err.Error()}
		}
		if ok {
			out[n] = r
			n++
		}
	}
	return n, nil
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// fields3 splits a line into its blank-separated fields (up to 3, to detect extra ones); a
// "#" ends the line.
func fields3(l []byte) (f [3][]byte, n int) {
	i := 0
	for n < 3 {
		for i < len(l) && isBlank(l[i]) {
			i++
		}
		if i == len(l) || l[i] == '#' {
			break
		}
		j := i
		for j < len(l) && !isBlank(l[j]) && l[j] != '#' {
			j++
		}
		f[n] = l[i:j]
		n++
		i = j
	}
	return f, n
}

func parseRouteLine(l []byte) (Route, bool, error) {
	f, n := fields3(l)
	switch n {
	case 0:
		return Route{}, false, nil
	case 1:
		return Route{}, false, fmt.Errorf("missing origin AS after %q", f[0])
	case 3:
		return Route{}, false, fmt.Errorf("unexpected field %q after the origin", f[2])
	}
	p, ok := parseIPv4Prefix(f[0])
	if !ok {
		var err error
		if p, err = parsePrefix(string(f[0])); err != nil {
			return Route{}, false, err
		}
		p = p.Masked()
	}
	r := Route{Prefix: p, OriginKnown: true}
	o := f[1]
	switch {
	case string(o) == "NONE":
		r.OriginKnown = false
	case o[0] == '{':
		if err := checkASSet(o); err != nil {
			return Route{}, false, err
		}
		r.OriginKnown = false
	default:
		asn, err := parseASNBytes(o)
		if err != nil {
			return Route{}, false, err
		}
		r.Origin = asn
	}
	return r, true, nil
}

// checkASSet validates an AS_SET written as {64500,64501}.
func checkASSet(o []byte) error {
	if len(o) < 3 || o[len(o)-1] != '}' {
		return fmt.Errorf("bad AS_SET %q", o)
	}
	for _, a := range bytes.Split(o[1:len(o)-1], []byte{','}) {
		if _, err := parseASNBytes(a); err != nil {
			return fmt.Errorf("bad AS_SET %q: %v", o, err)
		}
	}
	return nil
}

// parseIPv4Prefix is a fast path for dotted-quad prefixes; it returns the masked prefix.
func parseIPv4Prefix(b []byte) (netip.Prefix, bool) {
	p, i, ok := parseIPv4PrefixAt(b, 0)
	return p, ok && i == len(b)
}

// parseIPv4PrefixAt parses a dotted-quad prefix at b[i:] and returns the masked prefix and the
// index after it.
func parseIPv4PrefixAt(b []byte, i int) (netip.Prefix, int, bool) {
	var a [4]byte
	for k := 0; k < 4; k++ {
		n, digits := 0, 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			n = n*10 + int(b[i]-'0')
			digits++
			i++
		}
		if digits == 0 || digits > 3 || n > 255 || (digits > 1 && b[i-digits] == '0') {
			return netip.Prefix{}, i, false
		}
		a[k] = byte(n)
		want := byte('.')
		if k == 3 {
			want = '/'
		}
		if i >= len(b) || b[i] != want {
			return netip.Prefix{}, i, false
		}
		i++
	}
	bits, digits := 0, 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		bits = bits*10 + int(b[i]-'0')
		digits++
		i++
	}
	if digits == 0 || digits > 2 || bits > 32 || (digits > 1 && b[i-digits] == '0') {
		return netip.Prefix{}, i, false
	}
	if bits < 32 { // clear the host bits
		m := ^uint32(0) >> bits
		v := (uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])) &^ m
		a = [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	}
	return netip.PrefixFrom(netip.AddrFrom4(a), bits), i, true
}

// parseRouteFast reads the common line shape "a.b.c.d/n [AS]origin" at the start of data and
// returns the route and the length of the line including its newline. It returns false for
// anything else, which the general path then reads.
func parseRouteFast(data []byte) (Route, int, bool) {
	p, i, ok := parseIPv4PrefixAt(data, 0)
	if !ok || i >= len(data) || (data[i] != ' ' && data[i] != '\t') {
		return Route{}, 0, false
	}
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	if i+1 < len(data) && (data[i] == 'A' || data[i] == 'a') && (data[i+1] == 'S' || data[i+1] == 's') {
		i += 2
	}
	var asn uint64
	start := i
	for i < len(data) && data[i] >= '0' && data[i] <= '9' && i-start < 10 {
		asn = asn*10 + uint64(data[i]-'0')
		i++
	}
	if i == start || asn > 0xFFFFFFFF {
		return Route{}, 0, false
	}
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	switch {
	case i == len(data):
	case data[i] == '\n':
		i++
	default:
		return Route{}, 0, false
	}
	return Route{Prefix: p, Origin: uint32(asn), OriginKnown: true}, i, true
}
