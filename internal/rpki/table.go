package rpki

import (
	"cmp"
	"math/bits"
	"net/netip"
	"slices"
	"sync"
)

// Table is an immutable index of VRPs for RFC 6811 origin validation, plus the ASPA provider
// sets for path verification. It is safe for concurrent use.
//
// Each address family keeps the distinct VRP prefixes sorted by (start address, length). Prefixes
// form a laminar family (two prefixes are either nested or disjoint), so that order is a pre-order
// walk of the prefix tree; each prefix records its nearest enclosing prefix. A lookup is a
// bucketed binary search for the last prefix at or before the route, then a walk up the parent
// chain: the first prefix that covers the route is the most specific covering one, and its
// ancestors are all the others.
type Table struct {
	v4, v6 family
	vrps   []VRP // the set's VRPs, referred to by family.ref
	aspa   map[uint32][]uint32
}

type family struct {
	hi, lo []uint64 // node start address (IPv4 in the top 32 bits of hi)
	bits   []uint8  // node prefix length
	parent []int32  // nearest enclosing node, -1 for none
	start  []int32  // node n owns VRPs start[n]..start[n+1]-1
	asn    []uint32 // per VRP
	maxLen []uint8  // per VRP
	ref    []int32  // per VRP: its index in Table.vrps
	bb     uint     // bucket bits
	bucket []int32  // bucket[b] = first node whose top bb bits are >= b
}

// NewTable indexes the VRPs and ASPAs of s. The table refers to s.VRPs (whose prefixes get
// their host bits cleared); they must not be changed afterwards.
func NewTable(s *Set) *Table {
	t := &Table{aspa: NewASPAIndex(s.ASPAs), vrps: s.VRPs}
	for i := range t.vrps {
		if p := t.vrps[i].Prefix; p != p.Masked() {
			t.vrps[i].Prefix = p.Masked()
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); k := sortedKeys(s.VRPs, true); t.v4.build(k, bucketBits(len(k), 16)) }()
	go func() { defer wg.Done(); k := sortedKeys(s.VRPs, false); t.v6.build(k, bucketBits(len(k), 20)) }()
	wg.Wait()
	return t
}

// Len reports the number of distinct VRPs in the table.
func (t *Table) Len() int { return len(t.v4.ref) + len(t.v6.ref) }

// VRPs returns the distinct VRPs of the table in prefix order.
func (t *Table) VRPs() []VRP {
	out := make([]VRP, 0, t.Len())
	for _, r := range t.v4.ref {
		out = append(out, t.vrps[r])
	}
	for _, r := range t.v6.ref {
		out = append(out, t.vrps[r])
	}
	return out
}

// vrpKey is the sort key of a VRP, pointing back to it by index.
type vrpKey struct {
	hi, lo uint64
	bits   uint8
	maxLen uint8
	asn    uint32
	idx    int32
}

func cmpKey(a, b vrpKey) int {
	if a.hi != b.hi {
		return cmp.Compare(a.hi, b.hi)
	}
	if a.lo != b.lo {
		return cmp.Compare(a.lo, b.lo)
	}
	if a.bits != b.bits {
		return cmp.Compare(a.bits, b.bits)
	}
	if a.maxLen != b.maxLen {
		return cmp.Compare(a.maxLen, b.maxLen)
	}
	if a.asn != b.asn {
		return cmp.Compare(a.asn, b.asn)
	}
	return cmp.Compare(a.idx, b.idx)
}

// sortedKeys returns the keys of the IPv4 (or IPv6) VRPs sorted by prefix, max length and ASN,
// without duplicates (the first occurrence is kept).
func sortedKeys(v []VRP, v4 bool) []vrpKey {
	keys := make([]vrpKey, 0, len(v)/8)
	for i := range v {
		a := v[i].Prefix.Addr()
		if a.Is4() != v4 {
			continue
		}
		bits := uint8(v[i].Prefix.Bits())
		hi, lo := addrWords(a)
		mh, ml := mask(bits)
		keys = append(keys, vrpKey{hi & mh, lo & ml, bits, v[i].MaxLength, v[i].ASN, int32(i)})
	}
	if !slices.IsSortedFunc(keys, cmpKey) {
		if v4 && len(keys) < 1<<26 {
			sortKeys4(keys)
		} else {
			slices.SortFunc(keys, cmpKey)
		}
	}
	return slices.CompactFunc(keys, func(a, b vrpKey) bool {
		return a.hi == b.hi && a.lo == b.lo && a.bits == b.bits && a.maxLen == b.maxLen && a.asn == b.asn
	})
}

// sortKeys4 sorts IPv4 keys quickly: a native sort of address, length and position packed
// into one word, then a comparison sort of each run of equal prefixes (usually one or two).
func sortKeys4(keys []vrpKey) {
	packed := make([]uint64, len(keys))
	for i, k := range keys {
		packed[i] = k.hi | uint64(k.bits)<<26 | uint64(i)
	}
	slices.Sort(packed)
	tmp := make([]vrpKey, len(keys))
	for i, p := range packed {
		tmp[i] = keys[p&(1<<26-1)]
	}
	copy(keys, tmp)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j].hi == keys[i].hi && keys[j].bits == keys[i].bits {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(keys[i:j], cmpKey)
		}
		i = j
	}
}

// bucketBits sizes the first-level index: about one bucket per VRP, at most 1<<limit.
func bucketBits(n int, limit uint) uint {
	b := uint(bits.Len(uint(n)))
	return max(1, min(b, limit))
}

// addrWords returns the address as two 64-bit words; IPv4 sits in the top 32 bits of hi.
func addrWords(a netip.Addr) (hi, lo uint64) {
	if a.Is4() {
		b := a.As4()
		return uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32, 0
	}
	b := a.As16()
	for i := 0; i < 8; i++ {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	return hi, lo
}

// mask returns the network mask words for a prefix length.
func mask(bits uint8) (hi, lo uint64) {
	switch {
	case bits == 0:
		return 0, 0
	case bits <= 64:
		return ^uint64(0) << (64 - bits), 0
	case bits < 128:
		return ^uint64(0), ^uint64(0) << (128 - bits)
	}
	return ^uint64(0), ^uint64(0)
}

func (f *family) build(keys []vrpKey, bb uint) {
	f.bb = bb
	f.asn = make([]uint32, len(keys))
	f.maxLen = make([]uint8, len(keys))
	f.ref = make([]int32, len(keys))
	var stack []int32
	for i, k := range keys {
		f.asn[i], f.maxLen[i], f.ref[i] = k.asn, k.maxLen, k.idx
		if n := len(f.bits); n > 0 && f.hi[n-1] == k.hi && f.lo[n-1] == k.lo && f.bits[n-1] == k.bits {
			continue
		}
		for len(stack) > 0 && !f.covers(stack[len(stack)-1], k.hi, k.lo, k.bits) {
			stack = stack[:len(stack)-1]
		}
		par := int32(-1)
		if len(stack) > 0 {
			par = stack[len(stack)-1]
		}
		f.hi, f.lo, f.bits = append(f.hi, k.hi), append(f.lo, k.lo), append(f.bits, k.bits)
		f.parent, f.start = append(f.parent, par), append(f.start, int32(i))
		stack = append(stack, int32(len(f.bits)-1))
	}
	f.start = append(f.start, int32(len(keys)))
	f.bucket = make([]int32, 1<<bb+1)
	n := 0
	for b := range f.bucket {
		for n < len(f.hi) && f.hi[n]>>(64-bb) < uint64(b) {
			n++
		}
		f.bucket[b] = int32(n)
	}
}

// covers reports whether node n covers the prefix (hi, lo)/bits.
func (f *family) covers(n int32, hi, lo uint64, bits uint8) bool {
	nb := f.bits[n]
	if nb > bits {
		return false
	}
	mh, ml := mask(nb)
	return hi&mh == f.hi[n] && lo&ml == f.lo[n]
}

// lookup returns the most specific node covering (hi, lo)/bits, or -1.
func (f *family) lookup(hi, lo uint64, bits uint8) int32 {
	if len(f.hi) == 0 {
		return -1
	}
	b := hi >> (64 - f.bb)
	i, j := f.bucket[b], f.bucket[b+1]
	for i < j {
		m := int32(uint32(i+j) >> 1)
		h := f.hi[m]
		if h < hi || (h == hi && (f.lo[m] < lo || (f.lo[m] == lo && f.bits[m] <= bits))) {
			i = m + 1
		} else {
			j = m
		}
	}
	for n := i - 1; n >= 0; n = f.parent[n] {
		if f.covers(n, hi, lo, bits) {
			return n
		}
	}
	return -1
}

// find returns the family and the masked words of p, or nil for an invalid prefix.
func (t *Table) find(p netip.Prefix) (f *family, hi, lo uint64, bits uint8) {
	if !p.IsValid() {
		return nil, 0, 0, 0
	}
	a := p.Addr()
	if a.Is4() {
		f = &t.v4
	} else if a.Is4In6() {
		a = a.Unmap()
		p = netip.PrefixFrom(a, p.Bits()-96)
		if !p.IsValid() {
			return nil, 0, 0, 0
		}
		f = &t.v4
	} else {
		f = &t.v6
	}
	bits = uint8(p.Bits())
	hi, lo = addrWords(a)
	mh, ml := mask(bits)
	return f, hi & mh, lo & ml, bits
}
