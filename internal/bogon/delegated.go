package bogon

import (
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// block is one available or reserved record of a delegated-extended file: address space or AS
// numbers that no RIR has allocated or assigned.
type block struct {
	Registry string // "ripencc", "arin", …
	Status   string // "available" or "reserved"
	First    netip.Addr
	Last     netip.Addr // inclusive
	Line     int
}

// asnBlock is one available or reserved AS number record.
type asnBlock struct {
	Registry    string
	Status      string
	First, Last uint32
	Line        int
}

// Delegated holds the unallocated space of one or more RIR delegated-extended statistics files
// (NRO format: "registry|cc|type|start|value|date|status|opaque-id|extensions"). It answers
// "is this prefix or AS number in space no RIR has handed out?" — the full-bogon test.
type Delegated struct {
	// Files lists the header of each file read: registry, serial and end date.
	Files []DelegatedFile
	// Records counts the records read per type ("ipv4", "ipv6", "asn") and status.
	Records map[string]int

	blocks   []block    // unallocated records sorted by First, unmerged (for reasons)
	spans    []span     // merged contiguous unallocated space, sorted
	asns     []asnBlock // unallocated AS number records, sorted
	known    []span     // merged space named by any record, whatever its status
	knownASN []asnSpan  // merged AS numbers named by any record

	// The holders of delegated space, by the extended format's opaque-id: one holder's AS
	// numbers and address blocks share it.
	asnHolders []asnHolder
	holdings   map[string][]Holding
}

// Holding is one delegated address block (a record of an extended file; IPv4 records need not be
// CIDR-aligned).
type Holding struct {
	First, Last netip.Addr // inclusive
	Registry    string
	Line        int
}

// Prefixes returns the CIDR prefixes that exactly make up the range.
func (r Holding) Prefixes() []netip.Prefix {
	var out []netip.Prefix
	a := r.First
	for a.IsValid() && a.Compare(r.Last) <= 0 {
		bits := a.BitLen()
		// The largest aligned block starting at a that stays within the range.
		for bits > 0 {
			p := netip.PrefixFrom(a, bits-1).Masked()
			if p.Addr() != a || lastAddr(p).Compare(r.Last) > 0 {
				break
			}
			bits--
		}
		p := netip.PrefixFrom(a, bits)
		out = append(out, p)
		next := lastAddr(p).Next()
		if !next.IsValid() {
			break
		}
		a = next
	}
	return out
}

type asnHolder struct {
	first, last uint32
	id          string
}

// HolderOfASN returns the opaque-id of the holder an AS number is delegated to, when the
// extended statistics name one.
func (d *Delegated) HolderOfASN(asn uint32) (string, bool) {
	for _, h := range d.asnHolders {
		if h.first <= asn && asn <= h.last {
			return h.id, true
		}
	}
	return "", false
}

// Holdings returns the address blocks delegated to a holder (by opaque-id), in file order.
func (d *Delegated) Holdings(id string) []Holding { return d.holdings[id] }

type span struct{ first, last netip.Addr }

type asnSpan struct{ first, last uint32 }

// rirs are the five registries; with all their files read, space absent from every file is
// still in the IANA pool.
var rirs = []string{"afrinic", "apnic", "arin", "lacnic", "ripencc"}

// Complete reports whether the files of all five RIRs have been read, so that space missing
// from all of them can be called unallocated too.
func (d *Delegated) Complete() bool {
	for _, r := range rirs {
		if !slices.ContainsFunc(d.Files, func(f DelegatedFile) bool { return f.Registry == r }) {
			return false
		}
	}
	return true
}

// DelegatedFile is the version line of one delegated-extended file.
type DelegatedFile struct {
	Name     string
	Registry string
	Serial   string
	EndDate  string // YYYYMMDD
	Records  int
}

// DataTime returns the latest end date of the files read (the day the statistics describe).
func (d *Delegated) DataTime() (time.Time, bool) {
	var latest time.Time
	for _, f := range d.Files {
		if t, err := time.Parse("20060102", f.EndDate); err == nil && t.After(latest) {
			latest = t
		}
	}
	return latest, !latest.IsZero()
}

// Merge adds the unallocated space of other to d (e.g. the five RIR files read one by one).
func (d *Delegated) Merge(other *Delegated) {
	d.Files = append(d.Files, other.Files...)
	if d.Records == nil {
		d.Records = map[string]int{}
	}
	for k, v := range other.Records {
		d.Records[k] += v
	}
	d.blocks = append(d.blocks, other.blocks...)
	d.asns = append(d.asns, other.asns...)
	d.known = append(d.known, other.known...)
	d.knownASN = append(d.knownASN, other.knownASN...)
	d.asnHolders = append(d.asnHolders, other.asnHolders...)
	for id, rs := range other.holdings {
		if d.holdings == nil {
			d.holdings = map[string][]Holding{}
		}
		d.holdings[id] = append(d.holdings[id], rs...)
	}
	d.index()
}

func (d *Delegated) index() {
	slices.SortFunc(d.blocks, func(a, b block) int { return a.First.Compare(b.First) })
	slices.SortFunc(d.asns, func(a, b asnBlock) int { return int64cmp(a.First, b.First) })
	d.spans = d.spans[:0]
	for _, b := range d.blocks {
		d.spans = append(d.spans, span{b.First, b.Last})
	}
	d.spans = mergeSpans(d.spans)
	d.known = mergeSpans(d.known)
	slices.SortFunc(d.knownASN, func(a, b asnSpan) int { return int64cmp(a.first, b.first) })
	out := d.knownASN[:0]
	for _, a := range d.knownASN {
		if n := len(out); n > 0 && uint64(a.first) <= uint64(out[n-1].last)+1 {
			out[n-1].last = max(out[n-1].last, a.last)
			continue
		}
		out = append(out, a)
	}
	d.knownASN = out
}

// mergeSpans sorts spans and joins overlapping or adjacent ones of the same family.
func mergeSpans(s []span) []span {
	slices.SortFunc(s, func(a, b span) int { return a.first.Compare(b.first) })
	out := s[:0]
	for _, b := range s {
		if n := len(out); n > 0 {
			last := &out[n-1]
			next := last.last.Next()
			if last.first.Is4() == b.first.Is4() &&
				(next.IsValid() && next.Compare(b.first) >= 0 || last.last.Compare(b.first) >= 0) {
				if b.last.Compare(last.last) > 0 {
					last.last = b.last
				}
				continue
			}
		}
		out = append(out, b)
	}
	return out
}

// findSpan returns the index of the first span ending at or after a.
func findSpan(s []span, a netip.Addr) int {
	i, _ := slices.BinarySearchFunc(s, a, func(b span, a netip.Addr) int { return b.last.Compare(a) })
	return i
}

func int64cmp(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// IsUnallocatedPrefix reports whether p lies entirely in space that the files read mark
// available or reserved, with the reason ("ripencc available block 2.56.168.0-2.56.171.255").
func (d *Delegated) IsUnallocatedPrefix(p netip.Prefix) (reason string, ok bool) {
	if !p.IsValid() {
		return "", false
	}
	p = p.Masked()
	first, last := p.Addr(), lastAddr(p)
	i := findSpan(d.spans, first)
	if i == len(d.spans) || d.spans[i].first.Compare(first) > 0 || d.spans[i].last.Compare(last) < 0 {
		return d.ianaPool(first, last)
	}
	j, _ := slices.BinarySearchFunc(d.blocks, first, func(b block, a netip.Addr) int {
		return b.First.Compare(a)
	})
	if j == len(d.blocks) || d.blocks[j].First != first {
		j-- // the block starting at or before first
	}
	b := d.blocks[max(j, 0)]
	return fmt.Sprintf("%s %s block %s-%s", b.Registry, b.Status, b.First, b.Last), true
}

// ianaPool reports space that no record of any RIR names, once all five RIRs are read.
func (d *Delegated) ianaPool(first, last netip.Addr) (string, bool) {
	if !d.Complete() {
		return "", false
	}
	i := findSpan(d.known, first)
	if i < len(d.known) && d.known[i].first.Compare(last) <= 0 && d.known[i].first.Is4() == first.Is4() {
		return "", false // overlaps delegated space
	}
	return "not in any RIR's delegated statistics (IANA pool)", true
}

// IsUnallocatedASN reports whether asn is in an available or reserved AS number record.
func (d *Delegated) IsUnallocatedASN(asn uint32) (reason string, ok bool) {
	i, _ := slices.BinarySearchFunc(d.asns, asn, func(b asnBlock, a uint32) int {
		return int64cmp(b.Last, a)
	})
	for ; i < len(d.asns) && d.asns[i].First <= asn; i++ {
		if b := d.asns[i]; asn <= b.Last {
			return fmt.Sprintf("%s %s AS%d-AS%d", b.Registry, b.Status, b.First, b.Last), true
		}
	}
	if !d.Complete() {
		return "", false
	}
	k, _ := slices.BinarySearchFunc(d.knownASN, asn, func(s asnSpan, a uint32) int { return int64cmp(s.last, a) })
	if k < len(d.knownASN) && d.knownASN[k].first <= asn {
		return "", false
	}
	return "not in any RIR's delegated statistics (IANA pool)", true
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Addr().As16()
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	for i := bits; i < 128; i++ {
		a[i/8] |= 1 << (7 - i%8)
	}
	out := netip.AddrFrom16(a)
	if p.Addr().Is4() {
		return out.Unmap()
	}
	return out
}
