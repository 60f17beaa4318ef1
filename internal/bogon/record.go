package bogon

import (
	"math"
	"net/netip"
	"strconv"
)

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
			return nil
		}
		p.d.asns = append(p.d.asns, ASNBlock{Registry: f[0], Status: status, First: first, Last: last, Line: p.line})
	case "ipv4":
		first, last, err := p.ipv4Range(f[3], f[4])
		if err != nil {
			return err
		}
		p.d.known = append(p.d.known, span{first, last})
		if !free {
			return nil
		}
		p.d.blocks = append(p.d.blocks, Block{Registry: f[0], Status: status, First: first, Last: last, Line: p.line})
	case "ipv6":
		first, last, err := p.ipv6Range(f[3], f[4])
		if err != nil {
			return err
		}
		p.d.known = append(p.d.known, span{first, last})
		if !free {
			return nil
		}
		p.d.blocks = append(p.d.blocks, Block{Registry: f[0], Status: status, First: first, Last: last, Line: p.line})
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
