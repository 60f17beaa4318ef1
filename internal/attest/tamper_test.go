package attest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// tamperPositions picks byte offsets inside the signed ranges: structure,
// page content, the manifest attachment, the signature dictionary, the
// xref and trailer of the signing update, plus seeded random offsets.
func tamperPositions(t *testing.T, signed []byte, br []int64) map[string]int {
	t.Helper()
	find := func(marker string, after int) int {
		i := bytes.Index(signed, []byte(marker))
		if i < 0 {
			t.Fatalf("marker %q not in signed PDF", marker)
		}
		return i + after
	}
	pos := map[string]int{
		"header version digit":         5,
		"page MediaBox":                find("/MediaBox [0 0 595.28", 18),
		"compressed page content":      find("stream\n", 40),
		"manifest attachment stream":   bytes.Index(signed[find("/Type /EmbeddedFile", 0):], []byte("stream\n")) + find("/Type /EmbeddedFile", 0) + 30,
		"font file":                    find("/FontFile2", 12),
		"byte before signature":        int(br[1]) - 1,
		"byte after signature":         int(br[2]),
		"signature dictionary /M date": find("/M (D:", 8),
		"last xref":                    bytes.LastIndex(signed, []byte("startxref")) - 30,
		"startxref offset":             bytes.LastIndex(signed, []byte("startxref")) + 11,
		"last byte":                    len(signed) - 1,
	}
	rng := rand.New(rand.NewPCG(6, 2026))
	for i := 0; i < 6; i++ {
		p := rng.IntN(len(signed))
		if int64(p) >= br[1] && int64(p) < br[2] {
			p = int(br[1]) - 1 - rng.IntN(int(br[1])-1)
		}
		pos[fmt.Sprintf("random %d", i)] = p
	}
	return pos
}

// TestTamperSignedRange flips one bit at positions in the signed byte ranges;
// both pdfsig and Verify must reject every variant.
func TestTamperSignedRange(t *testing.T) {
	signed, signer, _ := signedFixture(t)
	sigs, err := findSignatures(signed)
	if err != nil || len(sigs) != 1 {
		t.Fatalf("findSignatures: %v, %d", err, len(sigs))
	}
	br := sigs[0].byteRange
	for name, p := range tamperPositions(t, signed, br) {
		t.Run(name, func(t *testing.T) {
			if int64(p) >= br[1] && int64(p) < br[2] {
				t.Fatalf("position %d is not in the signed ranges %v", p, br)
			}
			bad := bytes.Clone(signed)
			bad[p] ^= 0x01
			res, err := Verify(bad, signer.TrustPool())
			if err == nil && res.Valid {
				t.Errorf("Verify accepted a file with byte %d changed", p)
			}
			if err == nil && res.Intact && res.WholeFile {
				t.Errorf("byte %d changed but Intact and WholeFile are both true", p)
			}
			if out := pdfsig(t, bad); strings.Contains(out, "Signature is Valid.") {
				t.Errorf("pdfsig accepted a file with byte %d changed:\n%s", p, out)
			}
		})
	}
}

// TestTamperSignatureValue changes bytes of the /Contents hex string, which
// lies outside the signed ranges; Verify must still notice each change.
func TestTamperSignatureValue(t *testing.T) {
	signed, signer, _ := signedFixture(t)
	sigs, err := findSignatures(signed)
	if err != nil {
		t.Fatal(err)
	}
	br := sigs[0].byteRange
	gapStart, gapEnd := int(br[1]), int(br[2])
	lastDigit := bytes.LastIndexFunc(signed[gapStart+1:gapEnd-1], func(r rune) bool { return r != '0' }) + gapStart + 1
	firstLetter := bytes.IndexAny(signed[gapStart+1:gapEnd-1], "abcdefABCDEF") + gapStart + 1
	tests := []struct {
		name   string
		pos    int
		change func(byte) byte
	}{
		{"opening angle bracket", gapStart, func(byte) byte { return '(' }},
		{"DER header", gapStart + 2, func(b byte) byte { return b ^ 0x01 }},
		{"middle of the signature", (gapStart + lastDigit) / 2, func(b byte) byte { return flipHex(b) }},
		{"last DER digit", lastDigit, func(b byte) byte { return flipHex(b) }},
		{"zero padding", gapEnd - 3, func(byte) byte { return '1' }},
		{"non-hex padding", gapEnd - 3, func(byte) byte { return 'x' }},
		{"hex letter case", firstLetter, func(b byte) byte { return b ^ 0x20 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := bytes.Clone(signed)
			bad[tt.pos] = tt.change(bad[tt.pos])
			if bad[tt.pos] == signed[tt.pos] {
				t.Fatalf("byte %d unchanged", tt.pos)
			}
			res, err := Verify(bad, signer.TrustPool())
			t.Logf("verdict: %s (err %v)", res.Verdict(), err)
			if err == nil && res.Valid {
				t.Errorf("Verify accepted a file with signature byte %d changed from %q to %q", tt.pos, signed[tt.pos], bad[tt.pos])
			}
		})
	}
}

// flipHex changes a hex digit into a different hex digit of the same case.
func flipHex(b byte) byte {
	switch b {
	case '0':
		return '1'
	case 'f':
		return 'e'
	case 'F':
		return 'E'
	case '9':
		return '8'
	}
	return b - 1
}
