package attest

import (
	"bytes"
	"fmt"

	"github.com/digitorus/pdf"
)

// sigField is what Verify needs from a signature dictionary.
type sigField struct {
	byteRange []int64
	contents  []byte // the decoded /Contents value, padding included
}

// findSignatures returns the signature dictionaries (objects with
// /Filter /Adobe.PPKLite, as pdfsign's verifier looks for them).
func findSignatures(data []byte) (sigs []sigField, err error) {
	defer func() {
		if r := recover(); r != nil {
			sigs, err = nil, fmt.Errorf("not a readable PDF: %v", r)
		}
	}()
	rdr, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a readable PDF: %w", err)
	}
	for _, x := range rdr.Xref() {
		v := rdr.Resolve(x.Ptr(), x.Ptr())
		if v.Key("Filter").Name() != "Adobe.PPKLite" {
			continue
		}
		br := v.Key("ByteRange")
		s := sigField{contents: []byte(v.Key("Contents").RawString())}
		for i := 0; i < br.Len(); i++ {
			s.byteRange = append(s.byteRange, br.Index(i).Int64())
		}
		sigs = append(sigs, s)
	}
	return sigs, nil
}

// checkCoverage makes sure the signed byte range is the whole file except
// the /Contents hex string: [0, a) and [b, end of file), with data[a:b]
// being "<hex digits>". Without this a signature over an earlier revision
// would still verify after bytes were appended. Hex digits must all be of
// one case, because 'a' and 'A' decode alike and a case flip would otherwise
// change a byte without changing the signature.
func checkCoverage(data []byte, br []int64) error {
	if len(br) != 4 {
		return fmt.Errorf("signature /ByteRange has %d numbers, want 4", len(br))
	}
	n := int64(len(data))
	a, b := br[1], br[2]
	if br[0] != 0 || a <= 0 || b <= a+1 || br[3] < 0 || b+br[3] != n {
		return fmt.Errorf("signature /ByteRange %v does not cover the whole file of %d bytes", br, n)
	}
	if data[a] != '<' || data[b-1] != '>' {
		return fmt.Errorf("signature /ByteRange %v: the unsigned gap at byte %d is not a hex string", br, a)
	}
	upper, lower := false, false
	for i := a + 1; i < b-1; i++ {
		c := data[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return fmt.Errorf("byte %d: %q in the signature hex string", i, c)
		}
	}
	if upper && lower {
		return fmt.Errorf("signature hex string at byte %d mixes upper and lower case", a)
	}
	return nil
}
