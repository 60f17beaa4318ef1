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

// ErrPathError is returned for a bgpdump line whose AS path is "! Error !": bgpdump could not
// decode the AS_PATH of that route. TextReader skips such lines and counts them.
var ErrPathError = errors.New(`AS path is "! Error !" (bgpdump could not decode it)`)

// ParseBGPDumpLine parses one line of `bgpdump -m` output into r. It returns ok=false, with no
// error, for lines that carry no route (STATE lines). Fields bgpdump leaves out of its format
// (large communities) stay empty.
func ParseBGPDumpLine(line string, r *Route) (ok bool, err error) {
	var p textParser
	return p.parse(line, r)
}

// textParser keeps buffers between lines so that parsing a stream allocates little. Routes it
// fills share those buffers until the next line.
type textParser struct {
	fields [20]string
	segs   []Segment
	asns   []uint32
	comms  []uint32
}

// split splits s at '|' into p.fields; it returns nil when there are too many fields.
func (p *textParser) split(s string) []string {
	n := 0
	for {
		i := strings.IndexByte(s, '|')
		if n == len(p.fields) {
			return nil
		}
		if i < 0 {
			p.fields[n] = s
			return p.fields[:n+1]
		}
		p.fields[n] = s[:i]
		n++
		s = s[i+1:]
	}
}

func (p *textParser) parse(line string, r *Route) (ok bool, err error) {
	f := p.split(strings.TrimRight(line, "\r\n"))
	if f == nil {
		return false, errors.New("too many fields")
	}
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
		return true, p.parseAnnounceFields(f[3:], r)
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
func (p *textParser) parseAnnounceFields(f []string, r *Route) error {
	rest, err := parsePeerPrefix(f, r)
	if err != nil {
		return err
	}
	if len(rest) != 9 || rest[8] != "" {
		return fmt.Errorf("%d fields after the prefix, want 8 and a trailing '|'", len(rest))
	}
	if rest[0] == "! Error !" {
		return ErrPathError
	}
	p.segs, p.asns = p.segs[:0], p.asns[:0]
	path, err := p.parsePath(rest[0])
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
	if p.comms, err = appendCommunityText(p.comms[:0], rest[5]); err != nil {
		return err
	}
	if len(p.comms) > 0 {
		r.Communities = p.comms
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

// appendCommunityText parses bgpdump's community column. bgpdump cuts the column at 8190
// bytes, so in a column that long an unreadable last value is the cut one and is dropped.
func appendCommunityText(out []uint32, s string) ([]uint32, error) {
	full := len(s) >= bgpdumpCommunityBuf-2
	for s != "" {
		var c string
		c, s, _ = strings.Cut(s, " ")
		if c == "" {
			continue
		}
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
				if full && s == "" {
					return out, nil
				}
				return nil, fmt.Errorf("bad community %q", c)
			}
			out = append(out, uint32(h)<<16|uint32(l))
		}
	}
	return out, nil
}

// ParseASPath parses an AS path in bgpdump's notation: "1 2 {3,4} (5 6) [7,8]".
func ParseASPath(s string) (ASPath, error) {
	var p textParser
	path, err := p.parsePath(s)
	if err != nil {
		return nil, err
	}
	return path.Clone(), nil
}

// parsePath parses an AS path into the parser's buffers.
func (tp *textParser) parsePath(s string) (ASPath, error) {
	type span struct {
		t          SegmentType
		start, end int
	}
	var spansBuf [16]span
	spans := spansBuf[:0]
	asns := tp.asns[:0]
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
			start := len(asns)
			var err error
			if asns, err = appendASNs(asns, s[i+1:i+end], sep); err != nil {
				return nil, fmt.Errorf("AS path %q: %v", s, err)
			}
			spans = append(spans, span{t, start, len(asns)})
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
			asns = append(asns, uint32(asn))
			if n := len(spans); n > 0 && spans[n-1].t == SegSequence && spans[n-1].end == len(asns)-1 && s[i-1] == ' ' {
				spans[n-1].end++
			} else {
				spans = append(spans, span{SegSequence, len(asns) - 1, len(asns)})
			}
			i = j
		}
	}
	p := ASPath(tp.segs[:0])
	for _, sp := range spans {
		p = append(p, Segment{Type: sp.t, ASNs: asns[sp.start:sp.end:sp.end]})
	}
	tp.segs, tp.asns = p, asns
	return p, nil
}

func appendASNs(out []uint32, s, sep string) ([]uint32, error) {
	if s == "" {
		return out, nil
	}
	for s != "" {
		x, rest, _ := strings.Cut(s, sep)
		n, err := strconv.ParseUint(x, 10, 32)
		if err != nil {
			return out, fmt.Errorf("bad AS %q", x)
		}
		out = append(out, uint32(n))
		s = rest
	}
	return out, nil
}

// TextReader reads routes from bgpdump -m text, skipping STATE lines and empty lines.
type TextReader struct {
	sc      *bufio.Scanner
	line    int
	route   Route
	p       textParser
	closer  io.Closer
	skipped int
	src     errRecorder
}

// Skipped returns how many lines were skipped because bgpdump could not decode their AS path.
func (t *TextReader) Skipped() int { return t.skipped }

// NewTextReader returns a TextReader for r.
func NewTextReader(r io.Reader) *TextReader {
	t := &TextReader{src: errRecorder{r: r}}
	t.sc = bufio.NewScanner(&t.src)
	t.sc.Buffer(make([]byte, 64<<10), 4<<20)
	return t
}

// errRecorder remembers the first read error other than io.EOF, so that a line cut by a failing
// stream is reported as the stream's failure rather than as a malformed line.
type errRecorder struct {
	r   io.Reader
	err error
}

func (e *errRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && e.err == nil {
		e.err = err
	}
	return n, err
}

func (t *TextReader) streamError() error {
	var de *decompressError
	if errors.As(t.src.err, &de) {
		return fmt.Errorf("line %d: compressed stream truncated or corrupt: %w", t.line, t.src.err)
	}
	return fmt.Errorf("line %d: %w", t.line, t.src.err)
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
		ok, err := t.p.parse(s, &t.route)
		if t.src.err != nil {
			return nil, t.streamError()
		}
		if errors.Is(err, ErrPathError) {
			t.skipped++
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", t.line, err)
		}
		if ok {
			return &t.route, nil
		}
	}
	if t.src.err != nil {
		t.line++
		return nil, t.streamError()
	}
	if err := t.sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", t.line+1, err)
	}
	return nil, io.EOF
}
