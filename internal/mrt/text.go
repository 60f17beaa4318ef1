package mrt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// ParseBGPDumpLine parses one line of `bgpdump -m` output into r. It returns ok=false, with no
// error, for lines that carry no route (STATE lines). Fields bgpdump leaves out of its format
// (large communities) stay empty.
func ParseBGPDumpLine(line string, r *Route) (ok bool, err error) {
	f := strings.Split(strings.TrimRight(line, "\r\n"), "|")
	if len(f) < 3 {
		return false, errors.New("not a bgpdump -m line (fewer than 3 fields)")
	}
	kind := f[0]
	addPath := strings.HasSuffix(kind, "_AP")
	switch strings.TrimSuffix(kind, "_AP") {
	case "TABLE_DUMP", "TABLE_DUMP2", "BGP4MP", "BGP4MP_ET", "BGP4MP_LOCAL", "BGP4MP_ET_LOCAL":
	default:
		return false, fmt.Errorf("unknown record kind %q", kind)
	}
	*r = Route{AddPath: addPath, SAFI: SAFIUnicast}
	if r.Time, err = parseDumpTime(f[1]); err != nil {
		return false, err
	}
	switch f[2] {
	case "STATE":
		return false, nil
	case "B", "A":
		r.Action = Action(f[2][0])
		return true, parseAnnounceFields(f[3:], r)
	case "W":
		r.Action = ActionWithdraw
		return true, parseWithdrawFields(f[3:], r)
	}
	return false, fmt.Errorf("unknown line type %q", f[2])
}

func parseDumpTime(s string) (time.Time, error) {
	sec, frac, hasFrac := strings.Cut(s, ".")
	n, err := strconv.ParseUint(sec, 10, 32)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad timestamp %q", s)
	}
	var us uint64
	if hasFrac {
		if us, err = strconv.ParseUint(frac, 10, 32); err != nil || len(frac) != 6 {
			return time.Time{}, fmt.Errorf("bad timestamp %q", s)
		}
	}
	return time.Unix(int64(n), int64(us)*1000).UTC(), nil
}

// parsePeerPrefix parses "peer|peeras|prefix[|pathid]" and returns the fields after them.
func parsePeerPrefix(f []string, r *Route) ([]string, error) {
	need := 3
	if r.AddPath {
		need = 4
	}
	if len(f) < need {
		return nil, fmt.Errorf("%d fields after the type, want at least %d", len(f), need)
	}
	var err error
	if r.PeerIP, err = netip.ParseAddr(f[0]); err != nil {
		return nil, fmt.Errorf("bad peer address %q", f[0])
	}
	as, err := strconv.ParseUint(f[1], 10, 32)
	if err != nil {
		return nil, fmt.Errorf("bad peer AS %q", f[1])
	}
	r.PeerAS = uint32(as)
	if r.Prefix, err = netip.ParsePrefix(f[2]); err != nil {
		return nil, fmt.Errorf("bad prefix %q", f[2])
	}
	if r.AddPath {
		id, err := strconv.ParseUint(f[3], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("bad path id %q", f[3])
		}
		r.PathID = uint32(id)
	}
	return f[need:], nil
}

func parseWithdrawFields(f []string, r *Route) error {
	rest, err := parsePeerPrefix(f, r)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d extra fields after a withdrawal", len(rest))
	}
	return nil
}

// parseAnnounceFields parses peer, prefix and "path|origin|nexthop|lp|med|comms|AG|aggr|".
func parseAnnounceFields(f []string, r *Route) error {
	rest, err := parsePeerPrefix(f, r)
	if err != nil {
		return err
	}
	if len(rest) != 9 || rest[8] != "" {
		return fmt.Errorf("%d fields after the prefix, want 8 and a trailing '|'", len(rest))
	}
	path, err := ParseASPath(rest[0])
	if err != nil {
		return err
	}
	r.setPath(path)
	switch rest[1] {
	case "IGP":
		r.Origin = OriginIGP
	case "EGP":
		r.Origin = OriginEGP
	case "INCOMPLETE":
		r.Origin = OriginIncomplete
	default:
		return fmt.Errorf("bad origin %q", rest[1])
	}
	if r.NextHop, err = netip.ParseAddr(rest[2]); err != nil {
		return fmt.Errorf("bad next hop %q", rest[2])
	}
	lp, err1 := strconv.ParseInt(rest[3], 10, 64)
	med, err2 := strconv.ParseInt(rest[4], 10, 64)
	if err1 != nil || err2 != nil || lp < -1<<31 || lp >= 1<<32 || med < -1<<31 || med >= 1<<32 {
		return fmt.Errorf("bad local preference or MED %q %q", rest[3], rest[4])
	}
	r.LocalPref, r.MED = uint32(lp), uint32(med)
	if r.Communities, err = parseCommunities(rest[5]); err != nil {
		return err
	}
	switch rest[6] {
	case "AG":
		r.AtomicAggregate = true
	case "NAG":
	default:
		return fmt.Errorf("bad atomic aggregate field %q", rest[6])
	}
	return nil
}

func parseCommunities(s string) ([]uint32, error) {
	if s == "" {
		return nil, nil
	}
	var out []uint32
	for _, c := range strings.Fields(s) {
		switch c {
		case "no-export":
			out = append(out, 0xFFFFFF01)
		case "no-advertise":
			out = append(out, 0xFFFFFF02)
		case "local-AS":
			out = append(out, 0xFFFFFF03)
		default:
			hi, lo, ok := strings.Cut(c, ":")
			h, err1 := strconv.ParseUint(hi, 10, 16)
			l, err2 := strconv.ParseUint(lo, 10, 16)
			if !ok || err1 != nil || err2 != nil {
				return nil, fmt.Errorf("bad community %q", c)
			}
			out = append(out, uint32(h)<<16|uint32(l))
		}
	}
	return out, nil
}

// ParseASPath parses an AS path in bgpdump's notation: "1 2 {3,4} (5 6) [7,8]".
func ParseASPath(s string) (ASPath, error) {
	var p ASPath
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ':
			i++
		case c == '{' || c == '(' || c == '[':
			t, closer, sep := SegSet, byte('}'), ","
			if c == '(' {
				t, closer, sep = SegConfedSequence, ')', " "
			} else if c == '[' {
				t, closer, sep = SegConfedSet, ']', ","
			}
			end := strings.IndexByte(s[i:], closer)
			if end < 0 {
				return nil, fmt.Errorf("AS path %q: unclosed %q", s, c)
			}
			asns, err := parseASNs(s[i+1:i+end], sep)
			if err != nil {
				return nil, fmt.Errorf("AS path %q: %v", s, err)
			}
			p = append(p, Segment{Type: t, ASNs: asns})
			i += end + 1
		default:
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("AS path %q: unexpected %q at byte %d", s, c, i)
			}
			asn, err := strconv.ParseUint(s[i:j], 10, 32)
			if err != nil {
				return nil, fmt.Errorf("AS path %q: bad AS %q", s, s[i:j])
			}
			if n := len(p); n > 0 && p[n-1].Type == SegSequence && i > 0 && s[i-1] == ' ' {
				p[n-1].ASNs = append(p[n-1].ASNs, uint32(asn))
			} else {
				p = append(p, Segment{Type: SegSequence, ASNs: []uint32{uint32(asn)}})
			}
			i = j
		}
	}
	return p, nil
}

func parseASNs(s, sep string) ([]uint32, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, sep)
	out := make([]uint32, 0, len(parts))
	for _, x := range parts {
		n, err := strconv.ParseUint(x, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("bad AS %q", x)
		}
		out = append(out, uint32(n))
	}
	return out, nil
}

// TextReader reads routes from bgpdump -m text, skipping STATE lines and empty lines.
type TextReader struct {
	sc    *bufio.Scanner
	line  int
	route Route
}

// NewTextReader returns a TextReader for r.
func NewTextReader(r io.Reader) *TextReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	return &TextReader{sc: sc}
}

// Next returns the next route, valid until the following call, io.EOF at the end, or an error
// naming the line number.
func (t *TextReader) Next() (*Route, error) {
	for t.sc.Scan() {
		t.line++
		s := t.sc.Text()
		if strings.TrimSpace(s) == "" {
			continue
		}
		ok, err := ParseBGPDumpLine(s, &t.route)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", t.line, err)
		}
		if ok {
			return &t.route, nil
		}
	}
	if err := t.sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", t.line+1, err)
	}
	return nil, io.EOF
}
