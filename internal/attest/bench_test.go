package attest

import "testing"

// BenchmarkRenderSign renders and signs a 60-control attestation with the
// ECDSA P-256 development signer.
func BenchmarkRenderSign(b *testing.B) {
	doc := bigDocument(b, 60)
	opts := testOptions(b)
	signer, _, err := EnsureDevSigner(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		unsigned, err := Render(doc, opts)
		if err != nil {
			b.Fatal(err)
		}
		signed, err := Sign(unsigned, signer)
		if err != nil {
			b.Fatal(err)
		}
		size = len(signed)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

// BenchmarkVerify verifies a signed 60-control attestation.
func BenchmarkVerify(b *testing.B) {
	doc := bigDocument(b, 60)
	signer, _, err := EnsureDevSigner(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	unsigned, err := Render(doc, testOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	signed, err := Sign(unsigned, signer)
	if err != nil {
		b.Fatal(err)
	}
	trust := signer.TrustPool()
	for b.Loop() {
		if res, err := Verify(signed, trust); err != nil || !res.Valid {
			b.Fatal(res.Verdict(), err)
		}
	}
}
