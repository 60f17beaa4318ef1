package attest

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// buildPDF writes objects 1..n with a correct cross-reference table; object 1
// is the catalog. extra goes into the trailer dictionary.
func buildPDF(extra string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, extra, xref)
	return b.Bytes()
}

// The three shapes of issue 11 that crashed or stalled the server through the
// general PDF parser.

// nestedTrailer is a PDF whose trailer holds n arrays inside each other.
func nestedTrailer(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	xref := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root ")
	b.WriteString(strings.Repeat("[", n))
	b.WriteString(strings.Repeat("]", n))
	fmt.Fprintf(&b, " >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// noEOF is n bytes of PDF-looking text without %%EOF.
func noEOF(n int) []byte {
	b := []byte("%PDF-1.4\n")
	for len(b) < n {
		b = append(b, "1 0 obj\n<< /Type /Catalog >>\nendobj\n"...)
	}
	return b[:n]
}

// hugeXrefStart is a cross-reference subsection starting at object 2^31-1000
// (389 bytes in the report; a general parser grows its table to that index).
func hugeXrefStart() []byte {
	return []byte("%PDF-1.4\nxref\n2147482647 1\n0000000009 00000 n \ntrailer\n<< /Size 2147482648 /Root 2147482647 0 R >>\nstartxref\n9\n%%EOF\n")
}

func TestOpenPDFRefuses(t *testing.T) {
	// Objects that each contain the next: object k's string holds object k+1,
	// so reading all of them would cost the square of the file size.
	var chain bytes.Buffer
	const n = 3000
	chain.WriteString("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /AcroForm << /Fields [")
	for k := 3; k <= n; k++ {
		fmt.Fprintf(&chain, "%d 0 R ", k)
	}
	chain.WriteString("] >> >>\nendobj\n")
	offs := map[int]int{1: 9}
	for k := 3; k <= n; k++ {
		offs[k] = chain.Len()
		fmt.Fprintf(&chain, "%d 0 obj (", k)
	}
	for k := 3; k <= n; k++ {
		chain.WriteString(") endobj ")
	}
	xref := chain.Len()
	fmt.Fprintf(&chain, "\nxref\n0 %d\n", n+1)
	for k := 0; k <= n; k++ {
		if off, ok := offs[k]; ok {
			fmt.Fprintf(&chain, "%010d 00000 n \n", off)
		} else {
			chain.WriteString("0000000000 65535 f \n")
		}
	}
	fmt.Fprintf(&chain, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", n+1, xref)

	valid := buildPDF("", "<< /Type /Catalog >>")
	xrefAt := bytes.LastIndex(valid, []byte("xref\n0 "))
	withTail := func(tail string) []byte { return append(bytes.Clone(valid), tail...) }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		// The trailer dictionary is the first level, so the 64th [ is refused.
		{"5M nested [ in the trailer", nestedTrailer(5_000_000), fmt.Sprintf("nesting deeper than 64 at byte %d", bytes.IndexByte(nestedTrailer(10), '[')+63)},
		{"1 MiB without %%EOF", noEOF(1 << 20), "no %%EOF in the last 1024 bytes"},
		{"%%EOF 2 KiB before the end", withTail(strings.Repeat(" ", 2048)), "no %%EOF in the last 1024 bytes"},
		{"huge xref start index", hugeXrefStart(), "starts at object 2147482647; at most 1048576 objects"},
		{"xref subsection larger than the file", bytes.Replace(valid, []byte("xref\n0 2\n"), []byte("xref\n0 900000\n"), 1), "claims 900000 entries but only"},
		{"xref stream with a huge /Size", []byte("%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 400000000 /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n"), "cross-reference streams are not supported"},
		{"/Prev loop", bytes.Replace(valid, []byte("/Root 1 0 R "), fmt.Appendf(nil, "/Root 1 0 R /Prev %d ", xrefAt), 1), "loops back"},
		{"startxref past the end", bytes.Replace(valid, fmt.Appendf(nil, "startxref\n%d", xrefAt), []byte("startxref\n99999999"), 1), "not followed by a byte offset in the file"},
		{"integer overflow", bytes.Replace(valid, []byte("/Size 2"), []byte("/Size 99999999999999999999999"), 1), "too large integer"},
		{"objects inside each other's strings", chain.Bytes(), "overlap or repeat"},
		{"larger than the limit", append([]byte("%PDF-1.4\n"), make([]byte, MaxVerifySize)...), "more than the 32 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Verify(tt.data, x509.NewCertPool())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Verify error = %v, want %q", err, tt.want)
			}
			if res.Valid || len(res.Reasons) == 0 || !strings.Contains(res.Reasons[0], tt.want) {
				t.Errorf("Result = %+v", res)
			}
		})
	}
}

// TestHugeXrefStartDoesNotAllocate: the 389-byte file made a general parser
// allocate about 3 GB; refusing it must cost next to nothing.
func TestHugeXrefStartDoesNotAllocate(t *testing.T) {
	data := hugeXrefStart()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Verify(data, nil)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("accepted")
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("refusing a %d-byte file allocated %d bytes", len(data), got)
	}
}

// TestVerifyStopsWithContext: an ended context stops verification with its error.
func TestVerifyStopsWithContext(t *testing.T) {
	signed, trust := committedFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := VerifyContext(ctx, signed, trust)
	if err == nil || !strings.Contains(err.Error(), "context canceled") || res.Valid {
		t.Fatalf("VerifyContext(cancelled) = %s, %v", res.Verdict(), err)
	}
}

// derNest wraps a NULL in depth SEQUENCEs, with definite lengths.
func derNest(depth int) []byte {
	inner := []byte{0x05, 0x00}
	var headers [][]byte
	size := len(inner)
	for range depth {
		h := []byte{0x30}
		switch {
		case size < 0x80:
			h = append(h, byte(size))
		case size < 0x100:
			h = append(h, 0x81, byte(size))
		case size < 0x10000:
			h = append(h, 0x82, byte(size>>8), byte(size))
		default:
			h = append(h, 0x83, byte(size>>16), byte(size>>8), byte(size))
		}
		headers = append(headers, h)
		size += len(h)
	}
	out := make([]byte, 0, size)
	for i := len(headers) - 1; i >= 0; i-- {
		out = append(out, headers[i]...)
	}
	return append(out, inner...)
}

func TestCheckBER(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string // "" accepts
	}{
		{"shallow", derNest(10), ""},
		{"with padding", append(derNest(10), 0, 0, 0), ""},
		{"deep", derNest(1000), "nesting deeper than 48"},
		{"indefinite", []byte{0x30, 0x80, 0x05, 0x00, 0x00, 0x00}, "indefinite length"},
		{"overrun", []byte{0x30, 0x03, 0x04, 0x05, 0x00, 0x00}, "overruns its container"},
		{"truncated", []byte{0x30, 0x05, 0x05}, "overruns"},
		{"empty", nil, "ends inside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkBER(tt.data, maxCMSNesting)
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("checkBER = %v, want %q", err, tt.want)
			}
		})
	}
}

// sigBomb is a PDF with a signature field whose /Contents nests depth
// SEQUENCEs: pkcs7.Parse recurses once per level.
func sigBomb(depth int) []byte {
	return buildPDF("",
		"<< /Type /Catalog /AcroForm << /Fields [2 0 R] /SigFlags 3 >> >>",
		"<< /FT /Sig /T (Signature 1) /V 3 0 R >>",
		"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 5] /Contents <"+hex.EncodeToString(derNest(depth))+"> >>")
}

func TestVerifyRefusesDeepSignature(t *testing.T) {
	res, err := Verify(sigBomb(100_000), nil)
	if err != nil || res.Valid || res.Intact || !strings.Contains(res.Verdict(), "ASN.1 nesting deeper than 48") {
		t.Fatalf("Verify = %s, %v", res.Verdict(), err)
	}
}

// TestSignaturesThroughForm: the signature is found through /AcroForm
// /Fields and /Kids; a field referenced twice counts once.
func TestSignaturesThroughForm(t *testing.T) {
	sig := "<< /Type /Sig /ByteRange [0 1 2 3] /Contents <00> /Name (Jane) /M (D:20261127213123+00'00') >>"
	tests := []struct {
		name string
		objs []string
		want int
	}{
		{"direct", []string{"<< /AcroForm << /Fields [2 0 R 2 0 R] >> >>", "<< /FT /Sig /V 3 0 R >>", sig}, 1},
		{"in kids", []string{"<< /AcroForm << /Fields [2 0 R] >> >>", "<< /Kids [4 0 R] >>", sig, "<< /FT /Sig /V 3 0 R >>"}, 1},
		{"two", []string{"<< /AcroForm << /Fields [2 0 R 4 0 R] >> >>", "<< /FT /Sig /V 3 0 R >>", sig, "<< /FT /Sig /V 5 0 R >>", sig}, 2},
		{"kids loop", []string{"<< /AcroForm << /Fields [2 0 R] >> >>", "<< /Kids [2 0 R] /FT /Sig /V 3 0 R >>", sig}, 1},
		{"no form", []string{"<< /Type /Catalog >>"}, 0},
		{"text field", []string{"<< /AcroForm << /Fields [2 0 R] >> >>", "<< /FT /Tx /V (x) >>"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, err := findSignatures(buildPDF("", tt.objs...))
			if err != nil || len(sigs) != tt.want {
				t.Fatalf("findSignatures = %d, %v; want %d", len(sigs), err, tt.want)
			}
			if tt.want > 0 && (sigs[0].name != "Jane" || sigs[0].signedAt.IsZero() || len(sigs[0].byteRange) != 4) {
				t.Errorf("signature = %+v", sigs[0])
			}
		})
	}
}

// TestLexer covers the PDF syntax the reader accepts.
func TestLexer(t *testing.T) {
	obj := `<< /A [1 -2 +3.5 .5 true false null] /B (a\(b\)\n\101\
c (nested)) /C <48 656c6c6f 2> /D#20x 4 0 R /E << >> % comment
/F [] >>`
	data := buildPDF("", obj)
	f, err := openPDF(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.object(1)
	if err != nil {
		t.Fatal(err)
	}
	d := v.(pdfDict)
	want := pdfDict{
		"A":   pdfArray{int64(1), int64(-2), 3.5, 0.5, true, false, nil},
		"B":   pdfString("a(b)\nAc (nested)"),
		"C":   pdfString("Hello "),
		"D x": pdfRef{4, 0},
		"E":   pdfDict{},
		"F":   pdfArray(nil),
	}
	if fmt.Sprint(d) != fmt.Sprint(want) {
		t.Errorf("parsed\n%#v\nwant\n%#v", d, want)
	}
	if got := textString(pdfString("\xfe\xff\x00J\x00\xe9\xd8\x3d\xde\x00")); got != "Jé😀" {
		t.Errorf("UTF-16 text = %q", got)
	}
	if got := textString(pdfString("Z\xfcrich")); got != "Zürich" {
		t.Errorf("PDFDocEncoding text = %q", got)
	}
}

// BenchmarkVerifyRefusals measures how fast the malicious shapes are refused
// (`make bench`); before the bounded reader, the no-%%EOF file took seconds.
func BenchmarkVerifyRefusals(b *testing.B) {
	for name, data := range map[string][]byte{
		"nested-5M":  nestedTrailer(5_000_000),
		"noEOF-1MiB": noEOF(1 << 20),
		"hugeXref":   hugeXrefStart(),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Verify(data, nil); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}

// TestVerifyRejectsChangedContentType: the CMS content type lies outside the signed bytes and
// pkcs7 does not check it; found by FuzzVerify (testdata/fuzz/FuzzVerify/5737f6c9650e777c).
func TestVerifyRejectsChangedContentType(t *testing.T) {
	signed, trust := committedFixture(t)
	sigs, err := findSignatures(signed)
	if err != nil {
		t.Fatal(err)
	}
	gap := int(sigs[0].byteRange[1])
	i := bytes.Index(signed[gap:], []byte("2a864886f70d010701"))
	if i < 0 {
		t.Fatal("no id-data OID in the signature")
	}
	changed := bytes.Clone(signed)
	copy(changed[gap+i:], "2a864886f70d020701")
	res, err := Verify(changed, trust)
	if err != nil || res.Valid || !strings.Contains(res.Verdict(), "not detached over data") {
		t.Fatalf("Verify = %s, %v", res.Verdict(), err)
	}
}
