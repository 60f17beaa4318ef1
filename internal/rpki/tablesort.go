package rpki

import (
	"cmp"
	"slices"
)

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

// sortedOrder returns the indexes of the IPv4 (or IPv6) VRPs sorted by prefix, max length and
// ASN, without duplicates (the first occurrence is kept).
func sortedOrder(v []VRP, v4 bool) []int32 {
	n := 0
	for i := range v {
		if v[i].Prefix.Addr().Is4() == v4 {
			n++
		}
	}
	keys := make([]vrpKey, 0, n)
	for i := range v {
		if v[i].Prefix.Addr().Is4() == v4 {
			keys = append(keys, keyOf(&v[i], int32(i)))
		}
	}
	if !slices.IsSortedFunc(keys, cmpKey) {
		slices.SortFunc(keys, cmpKey)
	}
	order := make([]int32, 0, len(keys))
	for i, k := range keys {
		if i > 0 && sameVRP(keys[i-1], k) {
			continue
		}
		order = append(order, k.idx)
	}
	return order
}

func keyOf(v *VRP, idx int32) vrpKey {
	bits := uint8(v.Prefix.Bits())
	hi, lo := addrWords(v.Prefix.Addr())
	mh, ml := mask(bits)
	return vrpKey{hi & mh, lo & ml, bits, v.MaxLength, v.ASN, idx}
}

func sameVRP(a, b vrpKey) bool {
	return a.hi == b.hi && a.lo == b.lo && a.bits == b.bits && a.maxLen == b.maxLen && a.asn == b.asn
}

// sortedOrder4 is sortedOrder for IPv4, made fast for full tables: address, length and index are
// packed into one word and radix-sorted; runs of equal prefixes (usually one or two VRPs) are
// then ordered by max length and ASN.
func sortedOrder4(v []VRP) []int32 {
	if len(v) >= 1<<26 {
		return sortedOrder(v, true)
	}
	packed := make([]uint64, 0, len(v))
	for i := range v {
		a := v[i].Prefix.Addr()
		if !a.Is4() {
			continue
		}
		hi, _ := addrWords(a)
		bits := uint8(v[i].Prefix.Bits())
		mh, _ := mask(bits)
		packed = append(packed, hi&mh|uint64(bits)<<26|uint64(i))
	}
	radixSort38(packed)
	order := make([]int32, 0, len(packed))
	var run []vrpKey
	for i := 0; i < len(packed); {
		j := i + 1
		for j < len(packed) && packed[j]>>26 == packed[i]>>26 {
			j++
		}
		if j-i == 1 {
			order = append(order, int32(packed[i]&(1<<26-1)))
			i = j
			continue
		}
		run = run[:0]
		for _, p := range packed[i:j] {
			idx := int32(p & (1<<26 - 1))
			run = append(run, keyOf(&v[idx], idx))
		}
		slices.SortFunc(run, cmpKey)
		for k, key := range run {
			if k == 0 || !sameVRP(run[k-1], key) {
				order = append(order, key.idx)
			}
		}
		i = j
	}
	return order
}

// radixSort38 sorts words by their top 38 bits (bits 26-63), stably, in three passes.
func radixSort38(a []uint64) {
	if len(a) < 2 {
		return
	}
	const digit = 13
	tmp := make([]uint64, len(a))
	src, dst := a, tmp
	for shift := uint(26); shift < 64; shift += digit {
		var count [1<<digit + 1]int
		for _, x := range src {
			count[(x>>shift)&(1<<digit-1)+1]++
		}
		for d := 1; d < len(count); d++ {
			count[d] += count[d-1]
		}
		for _, x := range src {
			d := (x >> shift) & (1<<digit - 1)
			dst[count[d]] = x
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
}
