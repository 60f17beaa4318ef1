package mrt

import (
	"net/netip"
	"strconv"
)

var zeroV4 = netip.AddrFrom4([4]byte{})

// appendIPv4 appends a dotted-quad IPv4 address.
func appendIPv4(dst []byte, a [4]byte) []byte {
	for i, x := range a {
		if i > 0 {
			dst = append(dst, '.')
		}
		dst = strconv.AppendUint(dst, uint64(x), 10)
	}
	return dst
}

// appendIPv6 appends an IPv6 address formatted as bgpdump's fmt_ipv6 does: IPv4-mapped
// (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms, and "::" for the first longest run of
// zero groups even when it is a single group.
func appendIPv6(dst []byte, a [16]byte) []byte {
	var w [8]uint16
	for i := range w {
		w[i] = uint16(a[2*i])<<8 | uint16(a[2*i+1])
	}
	if w[0]|w[1]|w[2]|w[3]|w[4] == 0 {
		last := uint32(w[6])<<16 | uint32(w[7])
		if w[5] == 0xffff {
			return appendIPv4(append(dst, "::ffff:"...), [4]byte(a[12:]))
		}
		if w[5] == 0 && last > 1 {
			return appendIPv4(append(dst, "::"...), [4]byte(a[12:]))
		}
	}
	best, bestLen := -1, 0
	for i := 0; i < 8; {
		if w[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && w[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	for i := 0; i < 8; i++ {
		if i == best {
			if i == 0 {
				dst = append(dst, ':')
			}
			dst = append(dst, ':')
			i += bestLen - 1
			continue
		}
		dst = strconv.AppendUint(dst, uint64(w[i]), 16)
		if i != 7 {
			dst = append(dst, ':')
		}
	}
	return dst
}

// appendAddr appends an address in bgpdump's style; an invalid address prints as IPv4 0.0.0.0.
func appendAddr(dst []byte, a netip.Addr) []byte {
	switch {
	case a.Is4():
		return appendIPv4(dst, a.As4())
	case a.Is6():
		return appendIPv6(dst, a.As16())
	}
	return append(dst, "0.0.0.0"...)
}
