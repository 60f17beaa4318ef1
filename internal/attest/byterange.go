package attest

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// maxSignatureSize bounds the decoded /Contents of a signature: a CMS blob with
// a certificate chain, a timestamp token and revocation data is a few tens of
// kilobytes.
const maxSignatureSize = 512 << 10

// sigField is what Verify needs from a signature dictionary.
type sigField struct {
	byteRange []int64
	contents  []byte    // the decoded /Contents value, padding included
	name      string    // /Name, the signer's name as the signing software wrote it
	signedAt  time.Time // /M, claimed by the signer; zero if absent or unreadable
}

// findSignatures returns the signature dictionaries of data's signature fields.
func findSignatures(data []byte) ([]sigField, error) {
	f, err := openPDF(context.Background(), data)
	if err != nil {
		return nil, fmt.Errorf("not a readable PDF: %w", err)
	}
	return f.signatures()
}

// signatures returns the values of the signature fields listed in the
// catalog's /AcroForm /Fields (with their /Kids), as PDF readers find them.
func (f *pdfFile) signatures() ([]sigField, error) {
	root, err := f.dict(f.trailer["Root"])
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, errors.New("the trailer names no document catalog (/Root)")
	}
	form, err := f.dict(root["AcroForm"])
	if err != nil || form == nil {
		return nil, err
	}
	type node struct {
		v     any
		depth int
	}
	fields, err := f.resolve(form["Fields"])
	if err != nil {
		return nil, err
	}
	var todo []node
	if a, ok := fields.(pdfArray); ok {
		for _, v := range a {
			todo = append(todo, node{v, 0})
		}
	}
	var sigs []sigField
	seen := map[pdfRef]bool{}
	for visited := 0; len(todo) > 0; visited++ {
		if visited == pdfMaxTreeNodes {
			return nil, fmt.Errorf("the form has more than %d fields", pdfMaxTreeNodes)
		}
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if r, ok := n.v.(pdfRef); ok {
			if seen[r] {
				continue
			}
			seen[r] = true
		}
		field, err := f.dict(n.v)
		if err != nil {
			return nil, err
		}
		if field == nil {
			continue
		}
		if kids, err := f.resolve(field["Kids"]); err != nil {
			return nil, err
		} else if a, ok := kids.(pdfArray); ok && n.depth < 16 {
			for _, v := range a {
				todo = append(todo, node{v, n.depth + 1})
			}
		}
		if field["FT"] != pdfName("Sig") || field["V"] == nil {
			continue
		}
		if r, ok := field["V"].(pdfRef); ok {
			if seen[r] {
				continue
			}
			seen[r] = true
		}
		v, err := f.dict(field["V"])
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		s, err := f.sigField(v)
		if err != nil {
			return nil, err
		}
		sigs = append(sigs, s)
	}
	return sigs, nil
}

func (f *pdfFile) sigField(v pdfDict) (sigField, error) {
	var s sigField
	br, err := f.resolve(v["ByteRange"])
	if err != nil {
		return s, err
	}
	a, ok := br.(pdfArray)
	if !ok {
		return s, errors.New("the signature has no /ByteRange array")
	}
	if len(a) > 8 {
		return s, fmt.Errorf("signature /ByteRange has %d numbers, want 4", len(a))
	}
	for i, x := range a {
		n, ok := x.(int64)
		if !ok {
			return s, fmt.Errorf("signature /ByteRange element %d is not an integer", i)
		}
		s.byteRange = append(s.byteRange, n)
	}
	c, ok := v["Contents"].(pdfString)
	if !ok {
		return s, errors.New("the signature has no /Contents string")
	}
	if len(c) > maxSignatureSize {
		return s, fmt.Errorf("signature /Contents has %d bytes, more than %d", len(c), maxSignatureSize)
	}
	s.contents = []byte(c)
	s.name = textString(v["Name"])
	if t, err := time.Parse("D:20060102150405Z07'00'", textString(v["M"])); err == nil {
		s.signedAt = t
	}
	return s, nil
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
