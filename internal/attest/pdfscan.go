package attest

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf16"
)

// A bounded reader for the PDF structure verification needs: the cross-reference
// tables, the trailer, the signature dictionary reached through /AcroForm and the
// manifest reached through /Names /EmbeddedFiles. Verification reads files anyone
// can upload, so, unlike a general PDF library, this reader refuses rather than
// tries: every limit below is checked before the work or memory it bounds is
// spent, recursion is bounded by the nesting limit, and the total number of bytes
// the lexer may read is a small multiple of the file size, so overlapping or
// repeated objects cannot make the work quadratic. It understands what
// Routewarden's own signed PDFs contain (fpdf output plus pdfsign's incremental
// update, cross-reference tables only); other shapes get an error that names what
// was refused and where.
//
// Parser differences with other PDF readers cannot make a forgery pass: a
// document verifies only when its signature covers the whole file except the
// signature value, so every byte read here was produced by the signer.

// Limits of the PDF reader. They are far above what an attestation needs (about
// 50 objects, nesting 4, one revision of a few kilobytes on top of the original).
const (
	MaxVerifySize   = 32 << 20 // bytes of PDF Verify accepts
	pdfEOFWindow    = 1024     // %%EOF must be within this many bytes of the end, as PDF readers expect
	pdfMaxNesting   = 64       // arrays and dictionaries inside each other
	pdfMaxObjectNum = 1 << 20  // highest object number a cross-reference section may name
	pdfMaxXrefItems = 100_000  // entries over all cross-reference sections
	pdfMaxRevisions = 32       // cross-reference sections chained by /Prev
	pdfMaxItems     = 100_000  // elements of one array or dictionary
	pdfMaxValues    = 1 << 20  // values parsed in all, against memory blow-up from tiny tokens
	pdfMaxRefHops   = 16       // references to references
	pdfMaxTreeNodes = 1024     // name-tree and form-field nodes visited
)

// pdfName, pdfString, pdfArray, pdfDict, pdfRef and *pdfStream are the parsed
// values; integers are int64, reals float64, booleans bool and null nil.
type (
	pdfName   string
	pdfString []byte
	pdfArray  []any
	pdfDict   map[pdfName]any
	pdfRef    struct{ num, gen int64 }
	pdfStream struct {
		dict       pdfDict
		start, end int // raw data in the file
	}
)

type xrefEntry struct {
	offset int64
	gen    int64
	free   bool
}

// pdfFile is an opened PDF: its cross-reference table merged over all
// revisions (newest wins) and the newest trailer.
type pdfFile struct {
	ctx     context.Context
	data    []byte
	xref    map[int64]xrefEntry
	trailer pdfDict
	cache   map[int64]any
	budget  int // bytes the lexer may still read
	values  int // values it may still build
	checked int // budget at the last context check
}

// openPDF checks the header, finds %%EOF and startxref from the end and reads
// every cross-reference section.
func openPDF(ctx context.Context, data []byte) (*pdfFile, error) {
	if len(data) > MaxVerifySize {
		return nil, fmt.Errorf("the file has %d bytes, more than the %d MiB an attestation may have", len(data), MaxVerifySize>>20)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, errors.New("no %PDF- header at byte 0")
	}
	f := &pdfFile{ctx: ctx, data: data, xref: map[int64]xrefEntry{}, cache: map[int64]any{},
		budget: 4*len(data) + 64<<10, values: pdfMaxValues}
	f.checked = f.budget
	start, err := f.startXref()
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for off, rev := start, 0; ; rev++ {
		if rev == pdfMaxRevisions {
			return nil, fmt.Errorf("more than %d cross-reference sections chained by /Prev", pdfMaxRevisions)
		}
		if seen[off] {
			return nil, fmt.Errorf("cross-reference /Prev chain loops back to byte %d", off)
		}
		seen[off] = true
		trailer, err := f.readXref(off)
		if err != nil {
			return nil, err
		}
		if f.trailer == nil {
			f.trailer = trailer
		}
		prev, ok := trailer["Prev"]
		if !ok {
			break
		}
		p, ok := prev.(int64)
		if !ok || p < 0 || p >= int64(len(data)) {
			return nil, fmt.Errorf("trailer /Prev %v is not a byte offset in the file", prev)
		}
		off = p
	}
	return f, nil
}

// startXref finds the last %%EOF in the final pdfEOFWindow bytes and the
// startxref value before it.
func (f *pdfFile) startXref() (int64, error) {
	n := len(f.data)
	from := max(0, n-pdfEOFWindow)
	eof := bytes.LastIndex(f.data[from:], []byte("%%EOF"))
	if eof < 0 {
		return 0, fmt.Errorf("no %%%%EOF in the last %d bytes", pdfEOFWindow)
	}
	eof += from
	wfrom := max(0, eof-pdfEOFWindow)
	sx := bytes.LastIndex(f.data[wfrom:eof], []byte("startxref"))
	if sx < 0 {
		return 0, fmt.Errorf("no startxref in the %d bytes before %%%%EOF at byte %d", pdfEOFWindow, eof)
	}
	l := f.lexer(wfrom + sx + len("startxref"))
	l.end = eof
	t, err := l.next()
	if err != nil {
		return 0, err
	}
	if t.kind != tInt || t.num < 0 || t.num >= int64(n) {
		return 0, fmt.Errorf("startxref at byte %d is not followed by a byte offset in the file", wfrom+sx)
	}
	return t.num, nil
}

// readXref reads one cross-reference table at off and its trailer. Entries
// already known (from a newer section) are kept.
func (f *pdfFile) readXref(off int64) (pdfDict, error) {
	l := f.lexer(int(off))
	t, err := l.next()
	if err != nil {
		return nil, err
	}
	if t.kind == tInt {
		return nil, fmt.Errorf("byte %d: cross-reference streams are not supported; Routewarden attestations use cross-reference tables", off)
	}
	if !t.is("xref") {
		return nil, fmt.Errorf("byte %d: no cross-reference table where startxref or /Prev points", off)
	}
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		if t.is("trailer") {
			break
		}
		cnt, err := l.next()
		if err != nil {
			return nil, err
		}
		if t.kind != tInt || cnt.kind != tInt {
			return nil, fmt.Errorf("byte %d: malformed cross-reference subsection header", t.pos)
		}
		first, count := t.num, cnt.num
		switch {
		case first < 0 || first > pdfMaxObjectNum:
			return nil, fmt.Errorf("byte %d: cross-reference subsection starts at object %d; at most %d objects are supported", t.pos, first, pdfMaxObjectNum)
		case count < 0 || first+count > pdfMaxObjectNum+1:
			return nil, fmt.Errorf("byte %d: cross-reference subsection of %d entries from object %d exceeds %d objects", t.pos, count, first, pdfMaxObjectNum)
		case count*18 > int64(len(f.data)-l.pos):
			return nil, fmt.Errorf("byte %d: cross-reference subsection claims %d entries but only %d bytes follow", t.pos, count, len(f.data)-l.pos)
		case int64(len(f.xref))+count > pdfMaxXrefItems:
			return nil, fmt.Errorf("byte %d: more than %d cross-reference entries", t.pos, pdfMaxXrefItems)
		}
		for i := range count {
			o, err1 := l.next()
			g, err2 := l.next()
			k, err3 := l.next()
			if err := errors.Join(err1, err2, err3); err != nil {
				return nil, err
			}
			if o.kind != tInt || g.kind != tInt || !(k.is("n") || k.is("f")) {
				return nil, fmt.Errorf("byte %d: malformed cross-reference entry", o.pos)
			}
			if _, known := f.xref[first+i]; !known {
				f.xref[first+i] = xrefEntry{offset: o.num, gen: g.num, free: k.is("f")}
			}
		}
	}
	v, err := l.value(0)
	if err != nil {
		return nil, err
	}
	d, ok := v.(pdfDict)
	if !ok {
		return nil, fmt.Errorf("byte %d: trailer is not a dictionary", off)
	}
	return d, nil
}

// object returns indirect object num, parsed at its cross-reference offset.
func (f *pdfFile) object(num int64) (any, error) {
	if v, ok := f.cache[num]; ok {
		return v, nil
	}
	e, ok := f.xref[num]
	if !ok || e.free {
		return nil, nil // a missing object is null
	}
	if e.offset < 0 || e.offset >= int64(len(f.data)) {
		return nil, fmt.Errorf("object %d: offset %d is outside the file", num, e.offset)
	}
	f.cache[num] = nil // a reference back to num while parsing it reads null
	l := f.lexer(int(e.offset))
	n, err1 := l.next()
	g, err2 := l.next()
	k, err3 := l.next()
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	if n.kind != tInt || n.num != num || g.kind != tInt || g.num != e.gen || !k.is("obj") {
		return nil, fmt.Errorf("byte %d: object %d %d obj expected where the cross-reference table points", e.offset, num, e.gen)
	}
	v, err := l.value(0)
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	end, err := l.next()
	if err != nil {
		return nil, err
	}
	switch {
	case end.is("endobj"):
	case end.is("stream"):
		d, ok := v.(pdfDict)
		if !ok {
			return nil, fmt.Errorf("byte %d: stream of object %d has no dictionary", end.pos, num)
		}
		s, err := f.stream(d, l)
		if err != nil {
			return nil, fmt.Errorf("object %d: %w", num, err)
		}
		v = s
	default:
		return nil, fmt.Errorf("byte %d: object %d does not end with endobj", end.pos, num)
	}
	f.cache[num] = v
	return v, nil
}

// stream reads the raw data after the stream keyword (l is just past it).
func (f *pdfFile) stream(d pdfDict, l *lexer) (*pdfStream, error) {
	p := l.pos
	switch {
	case bytes.HasPrefix(f.data[p:], []byte("\r\n")):
		p += 2
	case bytes.HasPrefix(f.data[p:], []byte("\n")):
		p++
	default:
		return nil, fmt.Errorf("byte %d: stream keyword not followed by an end of line", p)
	}
	lv, err := f.resolve(d["Length"])
	if err != nil {
		return nil, err
	}
	n, ok := lv.(int64)
	if !ok || n < 0 || n > int64(len(f.data)-p) {
		return nil, fmt.Errorf("byte %d: stream /Length %v does not fit in the file", p, lv)
	}
	l.pos = p + int(n)
	t, err := l.next()
	if err != nil {
		return nil, err
	}
	if !t.is("endstream") {
		return nil, fmt.Errorf("byte %d: endstream expected after %d bytes of stream data", t.pos, n)
	}
	return &pdfStream{dict: d, start: p, end: p + int(n)}, nil
}

// resolve follows references to the value they name.
func (f *pdfFile) resolve(v any) (any, error) {
	for range pdfMaxRefHops {
		r, ok := v.(pdfRef)
		if !ok {
			return v, nil
		}
		var err error
		if v, err = f.object(r.num); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("a reference chain is longer than %d", pdfMaxRefHops)
}

// dict resolves v and returns it as a dictionary (nil for null or another type).
func (f *pdfFile) dict(v any) (pdfDict, error) {
	v, err := f.resolve(v)
	if s, ok := v.(*pdfStream); ok {
		return s.dict, err
	}
	d, _ := v.(pdfDict)
	return d, err
}

// decoded returns the stream's data after its filters (none or FlateDecode),
// at most limit bytes; more is an error.
func (f *pdfFile) decoded(s *pdfStream, limit int) ([]byte, error) {
	raw := f.data[s.start:s.end]
	filter, err := f.resolve(s.dict["Filter"])
	if err != nil {
		return nil, err
	}
	if a, ok := filter.(pdfArray); ok && len(a) == 1 {
		filter = a[0]
	}
	if _, ok := s.dict["DecodeParms"]; ok {
		return nil, errors.New("stream /DecodeParms are not supported")
	}
	var r io.Reader
	switch filter {
	case nil:
		r = bytes.NewReader(raw)
	case pdfName("FlateDecode"):
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("byte %d: stream data: %w", s.start, err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("byte %d: stream filter %v is not supported", s.start, filter)
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("byte %d: stream data: %w", s.start, err)
	}
	if len(out) > limit {
		return nil, fmt.Errorf("byte %d: stream decodes to more than %d bytes", s.start, limit)
	}
	return out, nil
}

// ---- lexer ----

type tokKind uint8

const (
	tEOF tokKind = iota
	tInt
	tReal
	tName
	tString
	tKeyword
	tArrayOpen
	tArrayClose
	tDictOpen
	tDictClose
)

type pdfToken struct {
	kind tokKind
	pos  int
	num  int64
	real float64
	str  []byte // name, string or keyword
}

func (t pdfToken) is(kw string) bool { return t.kind == tKeyword && string(t.str) == kw }

type lexer struct {
	f        *pdfFile
	pos, end int
}

func (f *pdfFile) lexer(pos int) *lexer { return &lexer{f: f, pos: pos, end: len(f.data)} }

func isSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

// charge spends budget for bytes read from start to l.pos and checks the
// context every 256 KiB.
func (l *lexer) charge(start int) error {
	f := l.f
	f.budget -= l.pos - start
	if f.budget < 0 {
		return fmt.Errorf("byte %d: the file's objects overlap or repeat (more than 4 times its size read)", l.pos)
	}
	if f.checked-f.budget >= 256<<10 {
		f.checked = f.budget
		if err := f.ctx.Err(); err != nil {
			return fmt.Errorf("reading PDF stopped at byte %d: %w", l.pos, err)
		}
	}
	return nil
}

// next reads the next token; at the end of input it returns tEOF.
func (l *lexer) next() (t pdfToken, err error) {
	start := l.pos
	defer func() {
		if err == nil {
			err = l.charge(start)
		}
	}()
	d := l.f.data[:l.end]
	for l.pos < len(d) {
		c := d[l.pos]
		if isSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(d) && d[l.pos] != '\n' && d[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		break
	}
	t.pos = l.pos
	if l.pos >= len(d) {
		return t, nil
	}
	c := d[l.pos]
	switch {
	case c == '[':
		l.pos++
		t.kind = tArrayOpen
	case c == ']':
		l.pos++
		t.kind = tArrayClose
	case c == '<' && l.pos+1 < len(d) && d[l.pos+1] == '<':
		l.pos += 2
		t.kind = tDictOpen
	case c == '>' && l.pos+1 < len(d) && d[l.pos+1] == '>':
		l.pos += 2
		t.kind = tDictClose
	case c == '<':
		t.kind = tString
		t.str, err = l.hexString()
	case c == '(':
		t.kind = tString
		t.str, err = l.literalString()
	case c == '/':
		t.kind = tName
		t.str, err = l.name()
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		t, err = l.number()
	case isDelim(c):
		return t, fmt.Errorf("byte %d: unexpected %q", l.pos, c)
	default:
		s := l.pos
		for l.pos < len(d) && !isSpace(d[l.pos]) && !isDelim(d[l.pos]) {
			l.pos++
		}
		t.kind, t.str = tKeyword, d[s:l.pos]
	}
	return t, err
}

func (l *lexer) number() (pdfToken, error) {
	d := l.f.data[:l.end]
	t := pdfToken{pos: l.pos}
	s := l.pos
	if d[l.pos] == '+' || d[l.pos] == '-' {
		l.pos++
	}
	real := false
	for l.pos < len(d) && (d[l.pos] >= '0' && d[l.pos] <= '9' || d[l.pos] == '.') {
		real = real || d[l.pos] == '.'
		l.pos++
	}
	lit := string(d[s:l.pos])
	if real {
		v, err := strconv.ParseFloat(lit, 64)
		if err != nil {
			return t, fmt.Errorf("byte %d: malformed number %q", s, lit)
		}
		t.kind, t.real = tReal, v
		return t, nil
	}
	v, err := strconv.ParseInt(lit, 10, 64)
	if err != nil {
		return t, fmt.Errorf("byte %d: malformed or too large integer %.20q", s, lit)
	}
	t.kind, t.num = tInt, v
	return t, nil
}

func (l *lexer) name() ([]byte, error) {
	d := l.f.data[:l.end]
	l.pos++ // '/'
	var out []byte
	for l.pos < len(d) && !isSpace(d[l.pos]) && !isDelim(d[l.pos]) {
		c := d[l.pos]
		if c == '#' && l.pos+2 < len(d) {
			if v, err := strconv.ParseUint(string(d[l.pos+1:l.pos+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				l.pos += 3
				continue
			}
		}
		out = append(out, c)
		l.pos++
	}
	return out, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (l *lexer) hexString() ([]byte, error) {
	d := l.f.data[:l.end]
	start := l.pos
	l.pos++ // '<'
	var out []byte
	half, odd := byte(0), false
	for ; l.pos < len(d); l.pos++ {
		c := d[l.pos]
		if c == '>' {
			l.pos++
			if odd {
				out = append(out, half<<4)
			}
			return out, nil
		}
		if isSpace(c) {
			continue
		}
		v, ok := unhex(c)
		if !ok {
			return nil, fmt.Errorf("byte %d: %q in a hex string", l.pos, c)
		}
		if odd {
			out = append(out, half<<4|v)
		} else {
			half = v
		}
		odd = !odd
	}
	return nil, fmt.Errorf("byte %d: hex string not closed", start)
}

func (l *lexer) literalString() ([]byte, error) {
	d := l.f.data[:l.end]
	start := l.pos
	l.pos++ // '('
	var out []byte
	depth := 1
	for l.pos < len(d) {
		c := d[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, nil
			}
		case '\\':
			if l.pos >= len(d) {
				continue
			}
			e := d[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(d) && d[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for i := 0; i < 2 && l.pos < len(d) && d[l.pos] >= '0' && d[l.pos] <= '7'; i++ {
						v = v*8 + int(d[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, fmt.Errorf("byte %d: string not closed", start)
}

// value parses one value; depth counts the arrays and dictionaries around it.
func (l *lexer) value(depth int) (any, error) {
	t, err := l.next()
	if err != nil {
		return nil, err
	}
	return l.valueFrom(t, depth)
}

func (l *lexer) valueFrom(t pdfToken, depth int) (any, error) {
	if l.f.values--; l.f.values < 0 {
		return nil, fmt.Errorf("byte %d: more than %d values in the file", t.pos, pdfMaxValues)
	}
	switch t.kind {
	case tEOF:
		return nil, fmt.Errorf("byte %d: unexpected end of file", t.pos)
	case tReal:
		return t.real, nil
	case tName:
		return pdfName(t.str), nil
	case tString:
		return pdfString(t.str), nil
	case tInt:
		return l.intOrRef(t)
	case tArrayOpen, tDictOpen:
		if depth >= pdfMaxNesting {
			return nil, fmt.Errorf("nesting deeper than %d at byte %d", pdfMaxNesting, t.pos)
		}
		if t.kind == tArrayOpen {
			return l.array(t, depth+1)
		}
		return l.dictBody(t, depth+1)
	case tKeyword:
		switch string(t.str) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
	}
	return nil, fmt.Errorf("byte %d: unexpected %s", t.pos, t.describe())
}

func (t pdfToken) describe() string {
	switch t.kind {
	case tKeyword:
		return fmt.Sprintf("keyword %.20q", t.str)
	case tArrayClose:
		return "]"
	case tDictClose:
		return ">>"
	}
	return "token"
}

// intOrRef reads "N G R" as a reference, otherwise the integer N.
func (l *lexer) intOrRef(t pdfToken) (any, error) {
	save := l.pos
	g, err := l.next()
	if err == nil && g.kind == tInt {
		r, err := l.next()
		if err == nil && r.is("R") {
			if t.num < 0 || g.num < 0 {
				return nil, fmt.Errorf("byte %d: negative object reference", t.pos)
			}
			return pdfRef{t.num, g.num}, nil
		}
	}
	l.pos = save
	return t.num, nil
}

func (l *lexer) array(open pdfToken, depth int) (any, error) {
	var a pdfArray
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tArrayClose {
			return a, nil
		}
		if len(a) == pdfMaxItems {
			return nil, fmt.Errorf("byte %d: array has more than %d elements", open.pos, pdfMaxItems)
		}
		v, err := l.valueFrom(t, depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
}

func (l *lexer) dictBody(open pdfToken, depth int) (any, error) {
	d := pdfDict{}
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		if t.kind == tDictClose {
			return d, nil
		}
		if t.kind != tName {
			return nil, fmt.Errorf("byte %d: dictionary key is not a name but %s", t.pos, t.describe())
		}
		if len(d) == pdfMaxItems {
			return nil, fmt.Errorf("byte %d: dictionary has more than %d entries", open.pos, pdfMaxItems)
		}
		v, err := l.value(depth)
		if err != nil {
			return nil, err
		}
		d[pdfName(t.str)] = v
	}
}

// textString decodes a PDF text string: UTF-16BE with a byte-order mark, else
// PDFDocEncoding, read here as Latin-1.
func textString(v any) string {
	s, ok := v.(pdfString)
	if !ok {
		return ""
	}
	if len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(s))
	for i, c := range s {
		r[i] = rune(c)
	}
	return string(r)
}
