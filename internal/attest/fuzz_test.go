package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"reflect"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store/storetest"
)

// The fuzz targets start from the committed testdata/signed.pdf rather than
// rendering one, because every fuzz worker repeats the setup.

// minimalPDF builds a small PDF, with a correct xref table, whose only
// content is an uncompressed embedded file called ManifestName.
func minimalPDF(manifest string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 4 0 R /Names << /EmbeddedFiles << /Names [(m) 2 0 R] >> >> >>",
		"<< /Type /Filespec /F (" + ManifestName + ") /EF << /F 3 0 R >> >>",
		fmt.Sprintf("<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream", len(manifest), manifest),
		"<< /Type /Pages /Kids [] /Count 0 >>",
	}
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
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

const seedManifest = `{"schema":"routewarden/attestation-manifest/v1","document_id":"RW-ATT-SEED-1"}`

func TestMinimalPDFSeed(t *testing.T) {
	m, err := ExtractManifest(minimalPDF(seedManifest))
	if err != nil || m.DocumentID != "RW-ATT-SEED-1" {
		t.Fatalf("ExtractManifest(minimal PDF) = %+v, %v", m, err)
	}
	if _, err := Verify(minimalPDF(seedManifest), nil); err == nil || !strings.Contains(err.Error(), "no signature") {
		t.Fatalf("Verify(minimal unsigned PDF) error = %v", err)
	}
}

// FuzzVerify feeds mutated PDFs to Verify. Besides not panicking, only the
// exact file that was signed may ever be judged valid.
func FuzzVerify(f *testing.F) {
	signed, trust := committedFixture(f)
	sum := sha256.Sum256(signed)
	want := hex.EncodeToString(sum[:])
	f.Add(signed)
	f.Add(minimalPDF(seedManifest))
	f.Add([]byte("%PDF-1.7\n%%EOF\n"))
	f.Add(append(bytes.Clone(signed), "\n%%EOF\n"...))
	addHostileSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Verify(data, trust)
		if (err != nil || !res.Valid) && len(res.Reasons) == 0 {
			t.Fatalf("invalid without a reason: err %v", err)
		}
		if res.Valid && res.SHA256 != want {
			t.Fatalf("a file other than the signed one verified as valid (sha256 %s)", res.SHA256)
		}
	})
}

// addHostileSeeds adds the shapes of issue 11 (scaled down to fuzzer-friendly
// sizes) that crashed or stalled a general PDF parser.
func addHostileSeeds(f *testing.F) {
	f.Add(nestedTrailer(10_000))
	f.Add(noEOF(8 << 10))
	f.Add(hugeXrefStart())
	f.Add(sigBomb(200))
	f.Add([]byte("%PDF-1.5\n1 0 obj\n<< /Type /XRef /Size 400000000 /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n9\n%%EOF\n"))
	f.Add(buildPDF("/Prev 9 ", "<< /Type /Catalog >>"))
}

// FuzzVerifyAttestation checks the full verdict, registry included: a hostile file gives a
// refusal or a not-valid verdict, never a panic, an internal error or a valid verdict.
func FuzzVerifyAttestation(f *testing.F) {
	signed, trust := committedFixture(f)
	c := &Checker{Trust: trust, Registry: storetest.SQLite(f)}
	f.Add(signed)
	f.Add(minimalPDF(seedManifest))
	addHostileSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := c.VerifyAttestation(context.Background(), data)
		if err != nil {
			if rw.ErrorCode(err) != rw.EINVALID || rw.ErrorMessage(err) == "" {
				t.Fatalf("error %v is not a refusal", err)
			}
			return
		}
		if v.Valid || len(v.Reasons) == 0 {
			t.Fatalf("unregistered file judged %s", v.Summary())
		}
	})
}

// FuzzExtractManifest feeds mutated PDFs to the attachment reader.
func FuzzExtractManifest(f *testing.F) {
	signed, _ := committedFixture(f)
	f.Add(signed)
	f.Add(minimalPDF(seedManifest))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"))
	addHostileSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ExtractManifest(data)
		if err == nil && (m.Schema != ManifestSchema || m.DocumentID == "") {
			t.Fatalf("accepted manifest %+v", m)
		}
	})
}

// FuzzParseManifest checks that any accepted manifest survives a JSON round
// trip unchanged.
func FuzzParseManifest(f *testing.F) {
	raw, err := json.Marshal(BuildManifest(testDocument(f)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{"schema":"routewarden/attestation-manifest/v1","document_id":"x"}`))
	f.Add([]byte(`{"schema":"routewarden/attestation-manifest/v1","document_id":"x","extra":1}`))
	f.Add([]byte(`{} {}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := parseManifest(raw)
		if err != nil {
			return
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		m2, err := parseManifest(again)
		if err != nil {
			t.Fatalf("re-encoded manifest refused: %v", err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip changed the manifest:\n%+v\n%+v", m, m2)
		}
	})
}

// FuzzParseSignerID feeds mutated CMS blobs to the signer-identifier parser.
func FuzzParseSignerID(f *testing.F) {
	signed, _ := committedFixture(f)
	sigs, err := findSignatures(signed)
	if err != nil || len(sigs) != 1 {
		f.Fatalf("findSignatures: %v", err)
	}
	// Without the zero padding: the fuzzer's minimiser is slow on large
	// inputs, and the padding check has its own test.
	f.Add(bytes.TrimRight(sigs[0].contents, "\x00"))
	f.Add([]byte{0x30, 0x03, 0x06, 0x01, 0x00})
	f.Fuzz(func(t *testing.T, contents []byte) {
		id, err := parseSignerID(contents)
		if err == nil && id.skid == nil && id.serial == nil {
			t.Fatal("accepted a signer identifier with neither serial nor key identifier")
		}
		if err == nil {
			id.matches(&x509.Certificate{SerialNumber: big.NewInt(1)})
		}
	})
}

// FuzzCheckCoverage must never index outside the file, whatever the
// /ByteRange claims.
func FuzzCheckCoverage(f *testing.F) {
	f.Add([]byte("abc<00>def"), int64(0), int64(3), int64(7), int64(3))
	f.Add([]byte("<>"), int64(0), int64(0), int64(2), int64(0))
	f.Add([]byte("x"), int64(-1), int64(1<<62), int64(-1<<62), int64(5))
	f.Fuzz(func(t *testing.T, data []byte, a, b, c, d int64) {
		if checkCoverage(data, []int64{a, b, c, d}) == nil {
			if a != 0 || c+d != int64(len(data)) || data[b] != '<' || data[c-1] != '>' {
				t.Fatalf("accepted %v for %d bytes", []int64{a, b, c, d}, len(data))
			}
		}
	})
}

// FuzzParsePEM feeds mutated PEM to the certificate and key readers.
func FuzzParsePEM(f *testing.F) {
	certFile, keyFile := writePEM(f, issue(f, certSpec{cn: "fuzz"}, nil))
	for _, p := range []string{certFile, keyFile} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, err := parseCertPEM("fuzz.pem", data)
		if err == nil && len(certs) == 0 {
			t.Fatal("no error and no certificates")
		}
		k, err := parseKeyPEM("fuzz.pem", data)
		if err == nil && k == nil {
			t.Fatal("no error and no key")
		}
	})
}
