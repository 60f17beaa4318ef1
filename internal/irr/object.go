package irr

import (
	"fmt"
	"net/netip"
	"strings"
)

// addObject indexes one scanned object; classes the checks do not read are only counted.
func (db *DB) addObject(o *Object, file string) error {
	db.counts[o.Class]++
	switch o.Class {
	case "route", "route6":
		return db.addRoute(o, file)
	case "aut-num":
		return db.addAutNum(o, file)
	case "as-set":
		return db.addASSet(o, file)
	case "inetnum", "inet6num":
		return db.addInetnum(o, file)
	case "organisation":
		if v := o.Get("abuse-c"); v != "" {
			db.orgAbuse[strings.ToUpper(o.Key)] = v
		}
	case "role", "irt":
		if v := o.Get("abuse-mailbox"); v != "" {
			handle := o.Get("nic-hdl")
			if o.Class == "irt" {
				handle = o.Key
			}
			if handle != "" {
				db.mailbox[strings.ToUpper(handle)] = v
			}
		}
	}
	return nil
}

func objErr(file string, line int, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Reason: fmt.Sprintf(format, args...)}
}

func (db *DB) addRoute(o *Object, file string) error {
	p, err := netip.ParsePrefix(o.Key)
	if err != nil {
		return objErr(file, o.Line, "%s: bad prefix %q", o.Class, o.Key)
	}
	if p.Addr().Is4() != (o.Class == "route") || p.Addr().Is4In6() {
		return objErr(file, o.Line, "%s: %s is the wrong address family for the class", o.Class, p)
	}
	if p != p.Masked() {
		return objErr(file, o.Line, "%s: %s has host bits set (network is %s)", o.Class, p, p.Masked())
	}
	origins := o.All("origin")
	if len(origins) != 1 {
		return objErr(file, o.Line, "%s %s: want exactly one origin attribute, got %d", o.Class, p, len(origins))
	}
	asn, err := ParseASN(origins[0].Value)
	if err != nil {
		return objErr(file, origins[0].Line, "origin: %v", err)
	}
	db.addIndexed(Route{Prefix: p, Origin: asn, Source: strings.ToUpper(o.Get("source")),
		File: file, Line: o.Line})
	return nil
}

func (db *DB) addAutNum(o *Object, file string) error {
	asn, err := ParseASN(o.Key)
	if err != nil {
		return objErr(file, o.Line, "aut-num: %v", err)
	}
	a := &AutNum{ASN: asn, Name: o.Get("as-name"), AbuseC: o.Get("abuse-c"), Org: o.Get("org"),
		Source: strings.ToUpper(o.Get("source")), File: file, Line: o.Line}
	for _, at := range o.Attrs {
		switch at.Name {
		case "import", "mp-import":
			a.Imports = append(a.Imports, at.Value)
		case "export", "mp-export":
			a.Exports = append(a.Exports, at.Value)
		case "mnt-by":
			a.MntBy = append(a.MntBy, splitList(at.Value)...)
		case "admin-c":
			a.AdminC = append(a.AdminC, at.Value)
		case "tech-c":
			a.TechC = append(a.TechC, at.Value)
		case "member-of":
			for _, name := range splitList(at.Value) {
				set, err := NormalizeSetName(name)
				if err != nil {
					return objErr(file, at.Line, "member-of: %v", err)
				}
				a.MemberOf = append(a.MemberOf, set)
				db.refs[set] = append(db.refs[set], a)
			}
		}
	}
	db.autNums[asn] = append(db.autNums[asn], a)
	return nil
}

func (db *DB) addASSet(o *Object, file string) error {
	name, err := NormalizeSetName(o.Key)
	if err != nil {
		return objErr(file, o.Line, "as-set: %v", err)
	}
	s := &ASSet{Name: name, Source: strings.ToUpper(o.Get("source")), File: file, Line: o.Line}
	for _, at := range o.Attrs {
		switch at.Name {
		case "members":
			if err := s.addMembers(at.Value); err != nil {
				return objErr(file, at.Line, "members: %v", err)
			}
		case "mbrs-by-ref":
			s.MbrsByRef = append(s.MbrsByRef, splitList(at.Value)...)
		}
	}
	db.asSets[name] = append(db.asSets[name], s)
	return nil
}

func (s *ASSet) addMembers(v string) error {
	for _, m := range splitList(v) {
		if asn, err := ParseASN(m); err == nil {
			s.ASNs = append(s.ASNs, asn)
			continue
		}
		set, err := NormalizeSetName(m)
		if err != nil {
			return fmt.Errorf("%q is neither an AS number nor an as-set name", m)
		}
		s.Sets = append(s.Sets, set)
	}
	return nil
}

// splitList splits an RPSL list value on commas and white space.
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t'
	})
}

// Inetnum is an inetnum or inet6num object, reduced to its abuse contact.
type Inetnum struct {
	Class  string // "inetnum" or "inet6num"
	Key    string // as written, e.g. "193.0.0.0 - 193.0.7.255"
	AbuseC string
	Org    string
	Source string
	File   string
	Line   int
}

// addInetnum indexes an inetnum or inet6num under the prefixes its range is made of. Ranges
// that do not parse are skipped: they carry no routing data and must not refuse a dump.
func (db *DB) addInetnum(o *Object, file string) error {
	n := &Inetnum{Class: o.Class, Key: o.Key, AbuseC: o.Get("abuse-c"), Org: o.Get("org"),
		Source: strings.ToUpper(o.Get("source")), File: file, Line: o.Line}
	if n.AbuseC == "" && n.Org == "" {
		return nil
	}
	var prefixes []netip.Prefix
	if o.Class == "inet6num" {
		if p, err := netip.ParsePrefix(strings.TrimSpace(o.Key)); err == nil {
			prefixes = []netip.Prefix{p.Masked()}
		}
	} else if a, b, ok := strings.Cut(o.Key, "-"); ok {
		first, err1 := netip.ParseAddr(strings.TrimSpace(a))
		last, err2 := netip.ParseAddr(strings.TrimSpace(b))
		if err1 == nil && err2 == nil && first.Is4() && last.Is4() && first.Compare(last) <= 0 {
			prefixes = rangePrefixes(first, last)
		}
	}
	for _, p := range prefixes {
		db.inetnums[p] = n
	}
	return nil
}

// rangePrefixes returns the CIDR prefixes that make up [first, last].
func rangePrefixes(first, last netip.Addr) []netip.Prefix {
	var out []netip.Prefix
	for a := first; a.IsValid() && a.Compare(last) <= 0; {
		bits := a.BitLen()
		for bits > 0 {
			p := netip.PrefixFrom(a, bits-1).Masked()
			if p.Addr() != a || lastOf(p).Compare(last) > 0 {
				break
			}
			bits--
		}
		p := netip.PrefixFrom(a, bits)
		out = append(out, p)
		a = lastOf(p).Next()
	}
	return out
}

func lastOf(p netip.Prefix) netip.Addr {
	b := p.Addr().As16()
	start := 0
	if p.Addr().Is4() {
		start = 12
	}
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	for i := start; i < 16; i++ {
		for j := 0; j < 8; j++ {
			if i*8+j >= bits {
				b[i] |= 0x80 >> j
			}
		}
	}
	if p.Addr().Is4() {
		return netip.AddrFrom4([4]byte(b[12:]))
	}
	return netip.AddrFrom16(b)
}

// AbuseForPrefix returns the abuse contact of the most specific inetnum or inet6num that covers
// p and names one (its abuse-c, else its organisation's), with the object.
func (db *DB) AbuseForPrefix(p netip.Prefix) (handle, mailbox string, obj *Inetnum, ok bool) {
	p = p.Masked()
	for bits := p.Bits(); bits >= 0; bits-- {
		n := db.inetnums[netip.PrefixFrom(p.Addr(), bits).Masked()]
		if n == nil {
			continue
		}
		handle = n.AbuseC
		if handle == "" && n.Org != "" {
			handle = db.orgAbuse[strings.ToUpper(n.Org)]
		}
		if handle != "" {
			return handle, db.mailbox[strings.ToUpper(handle)], n, true
		}
	}
	return "", "", nil, false
}
