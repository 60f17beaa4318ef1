package attest

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// localTSA serves RFC 3161 responses made by `openssl ts -reply`, signed by
// a throw-away TSA certificate.
func localTSA(t *testing.T) *httptest.Server {
	t.Helper()
	openssl := requireTool(t, "openssl")
	dir := t.TempDir()
	// OpenSSL insists on a critical extended key usage of exactly timeStamping.
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	if err != nil {
		t.Fatal(err)
	}
	tsa := issueWithExtensions(t, "Test TSA", []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}})
	certFile, keyFile := writePEM(t, tsa)
	cfg := filepath.Join(dir, "tsa.cnf")
	must(t, os.WriteFile(filepath.Join(dir, "serial"), []byte("01\n"), 0o600))
	must(t, os.WriteFile(cfg, []byte("[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\nserial = "+filepath.Join(dir, "serial")+
		"\nsigner_digest = sha256\ndefault_policy = 1.3.6.1.4.1.99999.1\ndigests = sha256, sha384, sha512\naccuracy = secs:1\ness_cert_id_alg = sha256\n"), 0o600))
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := io.ReadAll(r.Body)
		if err != nil || r.Header.Get("Content-Type") != "application/timestamp-query" {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		qf, rf := filepath.Join(dir, "q.tsq"), filepath.Join(dir, "r.tsr")
		if err := os.WriteFile(qf, q, 0o600); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		out, err := exec.Command(openssl, "ts", "-reply", "-config", cfg, "-queryfile", qf,
			"-signer", certFile, "-inkey", keyFile, "-out", rf).CombinedOutput()
		if err != nil {
			http.Error(w, string(out), http.StatusInternalServerError)
			return
		}
		resp, err := os.ReadFile(rf)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(resp)
	}))
}

func issueWithExtensions(t *testing.T, cn string, ext []pkix.Extension) Signer {
	t.Helper()
	s := issue(t, certSpec{cn: cn, extUsage: []x509.ExtKeyUsage{}}, nil)
	// Re-issue with the extra extensions, self-signed with the same key.
	tmpl := *s.Certificate
	tmpl.ExtKeyUsage, tmpl.UnknownExtKeyUsage, tmpl.ExtraExtensions = nil, nil, ext
	der, err := x509.CreateCertificate(nil, &tmpl, &tmpl, s.Key.Public(), s.Key)
	if err != nil {
		t.Fatal(err)
	}
	if s.Certificate, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestSignWithTimestamp(t *testing.T) {
	srv := localTSA(t)
	defer srv.Close()
	signer, _, err := EnsureDevSigner(t.TempDir())
	must(t, err)
	signer.TSA = TSA{URL: srv.URL}
	unsigned, err := Render(testDocument(t), testOptions(t))
	must(t, err)
	before := time.Now().Add(-time.Minute)
	signed, err := Sign(unsigned, signer)
	must(t, err)
	res, err := Verify(signed, signer.TrustPool())
	if err != nil || !res.Valid {
		t.Fatalf("Verify = %s, %v", res.Verdict(), err)
	}
	if res.TimestampTime.Before(before) || res.TimestampTime.After(time.Now().Add(time.Minute)) {
		t.Errorf("TimestampTime = %v, want about now", res.TimestampTime)
	}
	if out := pdfsig(t, signed); !strings.Contains(out, "Signature is Valid.") {
		t.Errorf("pdfsig on timestamped file:\n%s", out)
	}
}

func TestSignTimestampFailures(t *testing.T) {
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "TSA down for maintenance", http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer silent.Close()
	defer close(release)
	signer, _, err := EnsureDevSigner(t.TempDir())
	must(t, err)
	unsigned, err := Render(testDocument(t), testOptions(t))
	must(t, err)
	tests := []struct {
		name string
		tsa  TSA
		want string
	}{
		{"error status", TSA{URL: failing.URL}, "TSA down for maintenance"},
		{"no answer", TSA{URL: silent.URL, Timeout: 300 * time.Millisecond}, "did not answer within 300ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := signer
			s.TSA = tt.tsa
			_, err := Sign(unsigned, s)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.tsa.URL) {
				t.Fatalf("Sign error = %v, want %q and the TSA URL", err, tt.want)
			}
		})
	}
}
