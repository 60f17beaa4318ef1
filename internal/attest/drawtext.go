package attest

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text that reaches the PDF comes from users: vendor names, evidence file names, waiver
// justifications. fpdf draws only what its embedded TrueType font maps and only runes below
// U+10000 (an emoji makes it fail, so one file name blocked every attestation of an
// assessment). drawableDocument passes every string of the document through one mapping,
// textMapper.drawable; the manifest keeps the original text.

// glyphSet records which runes of the Basic Multilingual Plane a font has a glyph for.
type glyphSet [0x10000 / 64]uint64

func (g *glyphSet) has(r rune) bool { return r < 0x10000 && g[r/64]&(1<<(r%64)) != 0 }

// fontGlyphs reads the Windows Unicode BMP cmap subtable (platform 3, encoding 1, format 4)
// of a TrueType font.
func fontGlyphs(ttf []byte) (*glyphSet, error) {
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(ttf[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(ttf[off:])), true
	}
	n, ok := u16(4)
	if !ok {
		return nil, fmt.Errorf("not a TrueType font")
	}
	cmap := -1
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			break
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil, fmt.Errorf("the font has no cmap table")
	}
	sub := -1
	nsub, _ := u16(cmap + 2)
	for i := range nsub {
		pid, _ := u16(cmap + 4 + 8*i)
		eid, _ := u16(cmap + 6 + 8*i)
		off, ok := u32(cmap + 8 + 8*i)
		if ok && pid == 3 && eid == 1 {
			sub = cmap + off
		}
	}
	if f, ok := u16(sub); sub < 0 || !ok || f != 4 {
		return nil, fmt.Errorf("the font has no Unicode BMP cmap (format 4)")
	}
	segX2, ok := u16(sub + 6)
	if !ok {
		return nil, fmt.Errorf("the font's cmap is truncated")
	}
	ends, starts := sub+14, sub+16+segX2
	deltas, ranges := starts+segX2, starts+2*segX2
	var g glyphSet
	for s := 0; s < segX2; s += 2 {
		end, ok1 := u16(ends + s)
		start, ok2 := u16(starts + s)
		delta, ok3 := u16(deltas + s)
		ro, ok4 := u16(ranges + s)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, fmt.Errorf("the font's cmap is truncated")
		}
		for c := start; c <= end && c < 0xFFFF; c++ {
			gid := 0
			if ro == 0 {
				gid = (c + delta) & 0xFFFF
			} else if v, ok := u16(ranges + s + ro + 2*(c-start)); ok && v != 0 {
				gid = (v + delta) & 0xFFFF
			}
			if gid != 0 {
				g[c/64] |= 1 << (c % 64)
			}
		}
	}
	return &g, nil
}

// textMapper maps text to what the fonts can draw.
type textMapper struct {
	fonts []*glyphSet // nil when a font's cmap could not be read: then any BMP rune passes
}

func newTextMapper(fonts ...[]byte) *textMapper {
	m := &textMapper{}
	for _, f := range fonts {
		g, err := fontGlyphs(f)
		if err != nil {
			return &textMapper{}
		}
		m.fonts = append(m.fonts, g)
	}
	return m
}

func (m *textMapper) canDraw(r rune) bool {
	if r >= 0x10000 {
		return false
	}
	for _, g := range m.fonts {
		if !g.has(r) {
			return false
		}
	}
	return true
}

// isBidiControl reports the embedding, override and isolate controls (U+202A–U+202E,
// U+2066–U+2069) and the directional marks, which can make text read in another order than
// it is stored.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// drawable maps s for drawing: invalid UTF-8 becomes U+FFFD; the text is composed (NFC), so
// a letter with a combining accent becomes the accented letter where one exists; line feeds
// stay, tabs become spaces and other control characters go; bidirectional controls show as
// "[U+202E]" so that a reader sees they were there; other invisible format characters
// (zero-width space, joiners, byte-order mark) go; and a rune the fonts have no glyph for,
// such as an emoji, shows as "[U+1F600]". Combining marks, Arabic and Hebrew letters the font
// has are kept; fpdf draws left to right, so right-to-left runs are put in visual order here
// (visualOrder). Arabic is not shaped: its letters show in their isolated forms.
func (m *textMapper) drawable(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7F {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r):
		case isBidiControl(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
		case unicode.Is(unicode.Cf, r):
		case r == utf8.RuneError && !m.canDraw(r):
			b.WriteByte('?')
		case !m.canDraw(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
		default:
			b.WriteRune(r)
		}
	}
	out := b.String()
	for _, r := range out {
		if isRTL(r) {
			lines := strings.Split(out, "\n")
			for i, l := range lines {
				lines[i] = visualOrder(l)
			}
			return strings.Join(lines, "\n")
		}
	}
	return out
}

// isRTL reports a strong right-to-left letter (Hebrew, Arabic and the other right-to-left
// scripts of the BMP).
func isRTL(r rune) bool {
	return unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko, unicode.Samaritan, unicode.Mandaic) &&
		!unicode.Is(unicode.Mn, r) && !unicode.IsDigit(r)
}

// visualOrder reverses each right-to-left run of a line written in a left-to-right document,
// as the Unicode bidirectional algorithm would lay it out: a run goes from a right-to-left
// letter to the last one before a left-to-right letter, neutrals between included. Within a
// run, a letter keeps its combining marks after it, digits keep their order, and brackets
// are mirrored.
func visualOrder(line string) string {
	rs := []rune(line)
	var out []rune
	for i := 0; i < len(rs); {
		if !isRTL(rs[i]) {
			out = append(out, rs[i])
			i++
			continue
		}
		last := i
		for k := i + 1; k < len(rs); k++ {
			if isRTL(rs[k]) {
				last = k
			} else if unicode.IsLetter(rs[k]) {
				break
			}
		}
		end := last + 1
		for end < len(rs) && unicode.In(rs[end], unicode.Mn, unicode.Me) {
			end++
		}
		var clusters [][]rune
		for j := i; j < end; {
			k := j + 1
			switch {
			case unicode.IsDigit(rs[j]):
				for k < end && (unicode.IsDigit(rs[k]) || (strings.ContainsRune(".,", rs[k]) && k+1 < end && unicode.IsDigit(rs[k+1]))) {
					k++
				}
			default:
				for k < end && unicode.In(rs[k], unicode.Mn, unicode.Me) {
					k++
				}
			}
			c := rs[j:k]
			if len(c) == 1 {
				if m, ok := mirrored[c[0]]; ok {
					c = []rune{m}
				}
			}
			clusters = append(clusters, c)
			j = k
		}
		for j := len(clusters) - 1; j >= 0; j-- {
			out = append(out, clusters[j]...)
		}
		i = end
	}
	return string(out)
}

var mirrored = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«'}

// drawableDocument returns a copy of doc with every string, at any depth, passed through
// drawable. It walks the type by reflection so that a field added to Document later is
// covered without a change here.
func drawableDocument(doc *Document, opts Options) *Document {
	m := newTextMapper(opts.Font, opts.BoldFont)
	cp := *doc
	mapStrings(reflect.ValueOf(&cp).Elem(), m.drawable)
	return &cp
}

// mapStrings replaces, in place, every string reachable from the settable value v through
// exported struct fields, slices, arrays, pointers and maps; slices, pointers and maps are
// copied first, so the original document is not changed.
func mapStrings(v reflect.Value, fn func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(fn(v.String()))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mapStrings(v.Field(i), fn)
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			mapStrings(v.Index(i), fn)
		}
	case reflect.Slice:
		if v.IsNil() || !v.CanSet() {
			return
		}
		cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(cp, v)
		v.Set(cp)
		for i := range v.Len() {
			mapStrings(v.Index(i), fn)
		}
	case reflect.Pointer:
		if v.IsNil() || !v.CanSet() {
			return
		}
		cp := reflect.New(v.Type().Elem())
		cp.Elem().Set(v.Elem())
		v.Set(cp)
		mapStrings(cp.Elem(), fn)
	case reflect.Map:
		if v.IsNil() || !v.CanSet() {
			return
		}
		cp := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(iter.Key())
			mapStrings(k, fn)
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			mapStrings(e, fn)
			cp.SetMapIndex(k, e)
		}
		v.Set(cp)
	}
}
