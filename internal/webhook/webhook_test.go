package webhook

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	body := []byte(`{"type":"alert.opened"}`)
	at := time.Unix(1764800000, 0)
	h := Sign("whsec-test", at, body)
	if !strings.HasPrefix(h, "t=1764800000,v1=") || len(h) != len("t=1764800000,v1=")+64 {
		t.Fatalf("header %q", h)
	}
	if err := Verify("whsec-test", h, body, at.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("valid signature refused: %v", err)
	}
	for name, c := range map[string]struct {
		secret, header string
		body           []byte
		now            time.Time
	}{
		"other secret":  {"whsec-other", h, body, at},
		"body changed":  {"whsec-test", h, []byte(`{"type":"alert.resolved"}`), at},
		"too old":       {"whsec-test", h, body, at.Add(time.Hour)},
		"malformed":     {"whsec-test", "v1=abc", body, at},
		"tampered time": {"whsec-test", strings.Replace(h, "t=1764800000", "t=1764800001", 1), body, at},
	} {
		if err := Verify(c.secret, c.header, c.body, c.now, 5*time.Minute); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCheckURL(t *testing.T) {
	strict, open := Policy{}, Policy{AllowPrivate: true}
	for _, tc := range []struct {
		url          string
		strict, open bool // accepted?
	}{
		{"https://hooks.example.com/rw", true, true},
		{"http://203.0.114.10/hook", true, true},
		{"ftp://hooks.example.com/", false, false},
		{"javascript:alert(1)", false, false},
		{"https://user:pw@hooks.example.com/", false, false},
		{"/relative", false, false},
		{"http://127.0.0.1:9000/", false, true},
		{"http://localhost/", false, true},
		{"http://[::1]/", false, true},
		{"http://10.1.2.3/", false, true},
		{"http://192.168.1.1/", false, true},
		{"http://169.254.169.254/latest/meta-data", false, true},
		{"http://[fe80::1]/", false, true},
		{"http://100.64.0.1/", false, true},
		{"http://[::ffff:127.0.0.1]/", false, true},
		{"http://0.0.0.0/", false, true},
	} {
		if got := strict.CheckURL(tc.url) == nil; got != tc.strict {
			t.Errorf("strict %s: accepted=%v, want %v", tc.url, got, tc.strict)
		}
		if got := open.CheckURL(tc.url) == nil; got != tc.open {
			t.Errorf("allow-private %s: accepted=%v, want %v", tc.url, got, tc.open)
		}
	}
}

// TestDialGuard shows that the address actually dialled is checked, whatever the URL said:
// the strict client cannot reach a loopback receiver even past the URL check.
func TestDialGuard(t *testing.T) {
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit = true }))
	defer srv.Close()
	c := NewClient(Policy{}, time.Second)
	resp, err := c.http.Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err == nil {
		resp.Body.Close()
		t.Fatal("strict client connected to a loopback address")
	}
	if !strings.Contains(err.Error(), "not public") || hit {
		t.Errorf("err = %v, hit = %v", err, hit)
	}
}

func TestDeliverSigned(t *testing.T) {
	var got, sig, event string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, sig, event = string(b), r.Header.Get(SignatureHeader), r.Header.Get("Routewarden-Event")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	c := NewClient(Policy{AllowPrivate: true}, time.Second)
	now := time.Now()
	r := c.Deliver(context.Background(), srv.URL+"/hook", "s3cret-s3cret-s3cret", "alert.opened", []byte(`{"a":1}`), now)
	if !r.OK() || r.StatusCode != http.StatusAccepted {
		t.Fatalf("result %+v", r)
	}
	if got != `{"a":1}` || event != "alert.opened" || Verify("s3cret-s3cret-s3cret", sig, []byte(got), now, time.Minute) != nil {
		t.Errorf("receiver got body %q event %q sig %q", got, event, sig)
	}
	// A redirect is not followed (it could lead inside) and is not a success.
	redir := httptest.NewServer(http.RedirectHandler("http://169.254.169.254/", http.StatusFound))
	defer redir.Close()
	if r := c.Deliver(context.Background(), redir.URL, "s", "test", nil, now); r.OK() || r.StatusCode != http.StatusFound {
		t.Errorf("redirect result %+v", r)
	}
}
