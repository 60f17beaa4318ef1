package mrt

import "strconv"

// SegmentType is the type of an AS_PATH segment (RFC 4271, RFC 5065).
type SegmentType uint8

// AS_PATH segment types.
const (
	SegSet            SegmentType = 1
	SegSequence       SegmentType = 2
	SegConfedSequence SegmentType = 3
	SegConfedSet      SegmentType = 4
)

// Segment is one AS_PATH segment.
type Segment struct {
	Type SegmentType
	ASNs []uint32
}

// ASPath is an AS path as a list of segments, leftmost (the neighbour) first.
type ASPath []Segment

// OriginKind says how the origin of a route was determined from its AS path.
type OriginKind uint8

// Origin kinds. OriginASSet is the explicit "no single origin" case of RFC 6811: the path ends in
// an AS_SET, so the route can never be RPKI-valid.
const (
	OriginSingle OriginKind = iota // rightmost AS of a final AS_SEQUENCE
	OriginASSet                    // final segment is an AS_SET: no single origin
	OriginLocal                    // empty path or final confederation segment: the peer's own AS
)

// String names the kind.
func (k OriginKind) String() string {
	switch k {
	case OriginSingle:
		return "single"
	case OriginASSet:
		return "as-set"
	}
	return "local"
}

// Origin returns the origin AS of the path as RFC 6811 section 2 defines it. For OriginASSet
// and OriginLocal the returned AS is 0 (a caller knowing the peer AS uses it for OriginLocal).
func (p ASPath) Origin() (uint32, OriginKind) {
	for i := len(p) - 1; i >= 0; i-- {
		s := p[i]
		switch s.Type {
		case SegSequence:
			if len(s.ASNs) == 0 {
				continue
			}
			return s.ASNs[len(s.ASNs)-1], OriginSingle
		case SegSet:
			return 0, OriginASSet
		default:
			return 0, OriginLocal
		}
	}
	return 0, OriginLocal
}

// Len returns the path length as BGP best-path selection counts it: a set counts one,
// confederation segments count zero (RFC 4271 9.1.2.2, RFC 5065).
func (p ASPath) Len() int {
	n := 0
	for _, s := range p {
		switch s.Type {
		case SegSequence:
			n += len(s.ASNs)
		case SegSet:
			n++
		}
	}
	return n
}

// Contains reports whether asn appears anywhere in the path.
func (p ASPath) Contains(asn uint32) bool {
	for _, s := range p {
		for _, a := range s.ASNs {
			if a == asn {
				return true
			}
		}
	}
	return false
}

// Clone returns a deep copy of the path.
func (p ASPath) Clone() ASPath {
	if p == nil {
		return nil
	}
	n := 0
	for _, s := range p {
		n += len(s.ASNs)
	}
	asns := make([]uint32, 0, n)
	out := make(ASPath, len(p))
	for i, s := range p {
		start := len(asns)
		asns = append(asns, s.ASNs...)
		out[i] = Segment{Type: s.Type, ASNs: asns[start:len(asns):len(asns)]}
	}
	return out
}

// String formats the path as bgpdump does: sequences space-separated, {a,b} for AS_SET,
// (a b) for AS_CONFED_SEQUENCE and [a,b] for AS_CONFED_SET.
func (p ASPath) String() string { return string(p.appendBGPDump(nil)) }

// MergeAS4Path reconstructs the 4-byte AS path from the AS_PATH of a 2-byte session and its
// AS4_PATH (RFC 6793 section 4.2.3): when AS4_PATH is longer than AS_PATH it is ignored,
// otherwise the leading ASes of AS_PATH that AS4_PATH lacks are prepended to AS4_PATH.
func MergeAS4Path(asPath, as4Path ASPath) ASPath {
	count := func(p ASPath) int {
		n := 0
		for _, s := range p {
			switch s.Type {
			case SegSequence:
				n += len(s.ASNs)
			case SegSet:
				n++
			}
		}
		return n
	}
	need := count(asPath) - count(as4Path)
	if need < 0 || len(as4Path) == 0 {
		return asPath
	}
	out := make(ASPath, 0, len(asPath)+len(as4Path))
	for _, s := range asPath {
		if need == 0 {
			break
		}
		switch s.Type {
		case SegSequence:
			n := min(need, len(s.ASNs))
			out = append(out, Segment{Type: s.Type, ASNs: s.ASNs[:n:n]})
			need -= n
		case SegSet:
			out = append(out, s)
			need--
		default:
			out = append(out, s)
		}
	}
	return append(out, as4Path...)
}

func delimiters(t SegmentType) (start, end byte) {
	switch t {
	case SegSet:
		return '{', '}'
	case SegConfedSequence:
		return '(', ')'
	case SegConfedSet:
		return '[', ']'
	}
	return ' ', ' '
}

// bgpdumpPathLimit mirrors bgpdump's 8000-byte AS path buffer: once more than 7900 bytes are
// written the string ends in "...".
const bgpdumpPathLimit = 7900

// appendBGPDump appends the bgpdump rendering of the path to dst.
func (p ASPath) appendBGPDump(dst []byte) []byte {
	start := len(dst)
	prev := SegSequence
	space := false
	for _, s := range p {
		if prev != SegSequence {
			_, end := delimiters(prev)
			dst = append(dst, end)
		}
		if space {
			dst = append(dst, ' ')
		}
		if s.Type != SegSequence {
			open, _ := delimiters(s.Type)
			dst = append(dst, open)
		}
		space = false
		sep := byte(' ')
		if s.Type == SegSet || s.Type == SegConfedSet {
			sep = ','
		}
		for _, asn := range s.ASNs {
			if space {
				dst = append(dst, sep)
			} else {
				space = true
			}
			dst = strconv.AppendUint(dst, uint64(asn), 10)
			if len(dst)-start > bgpdumpPathLimit {
				return append(dst, "..."...)
			}
		}
		prev = s.Type
	}
	if len(p) > 0 && prev != SegSequence {
		_, end := delimiters(prev)
		dst = append(dst, end)
	}
	return dst
}

// bgpdumpCount counts ASes the way bgpdump does for its AS4_PATH merge: sequences (including
// confederation sequences) by length, sets as one.
func bgpdumpCount(p ASPath) int {
	n := 0
	for _, s := range p {
		if s.Type == SegSequence || s.Type == SegConfedSequence {
			n += len(s.ASNs)
		} else {
			n++
		}
	}
	return n
}

// bgpdumpMerge reproduces bgpdump 1.6's AS4_PATH merge, including its habit of copying only the
// first AS_PATH segment (repeatedly) when taking the leading ASes. It is used only for
// byte-identical bgpdump output; routes use MergeAS4Path.
func bgpdumpMerge(asPath, as4Path ASPath) ASPath {
	if len(as4Path) == 0 && bgpdumpCount(as4Path) == 0 && len(asPath) == 0 {
		return asPath
	}
	target := bgpdumpCount(asPath) - bgpdumpCount(as4Path)
	if target < 0 {
		return asPath
	}
	var out ASPath
	got := 0
	for got < target && len(asPath) > 0 {
		first := asPath[0]
		seg := Segment{Type: first.Type, ASNs: first.ASNs}
		if first.Type == SegSet || first.Type == SegConfedSet {
			got++
		} else {
			if len(first.ASNs) == 0 {
				break // bgpdump would loop forever here
			}
			got += len(first.ASNs)
			if got > target {
				n := len(first.ASNs) - (got - target)
				seg.ASNs = first.ASNs[:n:n]
			}
		}
		out = append(out, seg)
	}
	return append(out, as4Path...)
}
