package web

import (
	"net/url"
	"strings"
	"testing"
)

// TestSafeNext: after login the browser is sent to next only when, read the way a browser reads
// a Location header, it is a path on this site. Browsers drop tabs and line breaks anywhere,
// trim spaces and controls at the ends, and take a backslash for a slash, so "/\t/evil.example"
// and "/\evil.example" are "//evil.example": another host.
func TestSafeNext(t *testing.T) {
	for _, tt := range []struct {
		name, next, want string
	}{
		{"local path", "/vendors/3", "/vendors/3"},
		{"local path with query", "/vendors?q=a%20b&page=2", "/vendors?q=a%20b&page=2"},
		{"backslash in the query stays", `/vendors?q=a\b`, `/vendors?q=a\b`},
		{"encoded slashes stay a path", "/%2F%2Fevil.example", "/%2F%2Fevil.example"},
		{"empty", "", "/vendors"},
		{"relative", "vendors", "/vendors"},
		{"scheme", "https://evil.example/", "/vendors"},
		{"javascript", "javascript:alert(1)", "/vendors"},
		{"protocol-relative", "//evil.example", "/vendors"},
		{"tab between slashes", "/\t/evil.example", "/vendors"},
		{"CR LF between slashes", "/\r\n/evil.example", "/vendors"},
		{"newline between slashes", "/\n/evil.example", "/vendors"},
		{"backslash", `/\evil.example`, "/vendors"},
		{"two backslashes", `\\evil.example`, "/vendors"},
		{"backslash after tab", "/\t\\evil.example", "/vendors"},
		{"percent-encoded slashes (decoded once already)", "%2F%2Fevil.example", "/vendors"},
		{"leading space", " //evil.example", "/vendors"},
		{"leading control", "\x00//evil.example", "/vendors"},
		{"three slashes", "///evil.example", "/vendors"},
		{"userinfo", "//user@evil.example", "/vendors"},
		{"control inside", "/vendors\x00x", "/vendors"},
		{"tab inside a local path is dropped", "/vendors/\t3", "/vendors/3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := safeNext(tt.next)
			if got != tt.want {
				t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
			}
			// Whatever comes out, a browser resolving it against this site stays on this site.
			base, _ := url.Parse("https://rw.example/login")
			ref, err := url.Parse(got)
			if err != nil || base.ResolveReference(ref).Host != "rw.example" || !strings.HasPrefix(got, "/") {
				t.Errorf("safeNext(%q) = %q leaves the site", tt.next, got)
			}
		})
	}
}

// FuzzSafeNext: no input makes safeNext return something a browser would read as another host.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/vendors", "//x", "/\t/x", `/\x`, "/\r\n/x", "%2F%2Fx", "https://x", " /x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(got)
		if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		if u, err := url.Parse(got); err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("safeNext(%q) = %q parses with a host or scheme", next, got)
		}
	})
}
