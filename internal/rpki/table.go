package rpki

import (
	"math/bits"
	"net/netip"
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

	byASNOnce sync.Once
	byASN     map[uint32][]int32 // ASN → indexes into vrps of its distinct VRPs, built on first use
}

// OfASN returns the distinct VRPs that authorise asn, in prefix order (IPv4 first). The index
// behind it is built on the first call.
func (t *Table) OfASN(asn uint32) []VRP {
	t.byASNOnce.Do(func() {
		t.byASN = map[uint32][]int32{}
		for _, f := range []*family{&t.v4, &t.v6} {
			for k, r := range f.ref {
				a := f.asn[k]
				t.byASN[a] = append(t.byASN[a], r)
			}
		}
	})
	idx := t.byASN[asn]
	out := make([]VRP, len(idx))
	for i, r := range idx {
		out[i] = t.vrps[r]
	}
	return out
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
	go func() {
		defer wg.Done()
		o := sortedOrder4(t.vrps)
		t.v4.build(t.vrps, o, bucketBits(len(o), 16))
	}()
	go func() {
		defer wg.Done()
		o := sortedOrder(t.vrps, false)
		t.v6.build(t.vrps, o, bucketBits(len(o), 20))
	}()
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

func (f *family) build(v []VRP, order []int32, bb uint) {
	f.bb = bb
	f.asn = make([]uint32, len(order))
	f.maxLen = make([]uint8, len(order))
	f.ref = order
	f.hi, f.lo = make([]uint64, 0, len(order)), make([]uint64, 0, len(order))
	f.bits, f.parent = make([]uint8, 0, len(order)), make([]int32, 0, len(order))
	f.start = make([]int32, 0, len(order)+1)
	var stack []int32
	for i, idx := range order {
		x := &v[idx]
		f.asn[i], f.maxLen[i] = x.ASN, x.MaxLength
		bits := uint8(x.Prefix.Bits())
		hi, lo := addrWords(x.Prefix.Addr())
		if n := len(f.bits); n > 0 && f.hi[n-1] == hi && f.lo[n-1] == lo && f.bits[n-1] == bits {
			continue
		}
		for len(stack) > 0 && !f.covers(stack[len(stack)-1], hi, lo, bits) {
			stack = stack[:len(stack)-1]
		}
		par := int32(-1)
		if len(stack) > 0 {
			par = stack[len(stack)-1]
		}
		f.hi, f.lo, f.bits = append(f.hi, hi), append(f.lo, lo), append(f.bits, bits)
		f.parent, f.start = append(f.parent, par), append(f.start, int32(i))
		stack = append(stack, int32(len(f.bits)-1))
	}
	f.start = append(f.start, int32(len(order)))
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
