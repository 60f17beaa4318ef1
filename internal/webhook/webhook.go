// Package webhook signs and delivers event notifications to admin-managed HTTP endpoints, and
// keeps those endpoints from reaching the internal network: URLs are checked when saved, and the
// address actually dialled is checked again after DNS resolution.
//
// Signature: header Routewarden-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>.<body>")>. Receivers recompute the HMAC over the raw body and refuse old timestamps.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// SignatureHeader carries the signature of a delivery.
const SignatureHeader = "Routewarden-Signature"

// Sign returns the signature header value for body at time t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header against body and secret, refusing timestamps further than
// tolerance from now.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return errors.New("signature header malformed: want t=<unix>,v1=<hex>")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("signature timestamp %s is outside the %s tolerance", time.Unix(sec, 0).UTC(), tolerance)
	}
	want := Sign(secret, time.Unix(sec, 0), body)
	if !hmac.Equal([]byte(want), []byte("t="+ts+",v1="+sig)) {
		return errors.New("signature does not match")
	}
	return nil
}

// Policy says which targets a webhook may reach.
type Policy struct {
	// AllowPrivate permits loopback, private, link-local and other non-public targets
	// (ROUTEWARDEN_WEBHOOK_ALLOW_PRIVATE=1), for deployments whose receivers live inside.
	AllowPrivate bool
}

// CheckURL validates a webhook URL when it is saved: http or https, a host, no credentials,
// and — unless the policy allows it — no literal non-public address. Names are checked again
// after resolution at delivery time.
func (p Policy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("url %q is not an absolute http(s) URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("url scheme %q is not allowed: use http or https", u.Scheme)
	}
	if u.User != nil {
		return errors.New("url must not carry credentials; use the webhook secret")
	}
	if len(raw) > 2000 {
		return errors.New("url longer than 2000 characters")
	}
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		return p.checkAddr(a)
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return p.checkAddr(netip.MustParseAddr("127.0.0.1"))
	}
	return nil
}

func (p Policy) checkAddr(a netip.Addr) error {
	if p.AllowPrivate {
		return nil
	}
	a = a.Unmap()
	if !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || isShared(a) {
		return fmt.Errorf("target address %s is not public (loopback, private, link-local or reserved); set ROUTEWARDEN_WEBHOOK_ALLOW_PRIVATE=1 to allow internal receivers", a)
	}
	return nil
}

// isShared reports carrier-grade NAT space (RFC 6598) and the IPv4 benchmarking and
// documentation blocks that IsGlobalUnicast accepts.
func isShared(a netip.Addr) bool {
	for _, p := range []string{"100.64.0.0/10", "198.18.0.0/15", "192.0.0.0/24", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32", "64:ff9b:1::/48"} {
		if netip.MustParsePrefix(p).Contains(a) {
			return true
		}
	}
	return false
}

// Client delivers payloads with the policy enforced at connect time.
type Client struct {
	Policy  Policy
	Timeout time.Duration // per attempt; default 10 s
	http    *http.Client
}

// NewClient returns a client that refuses to connect to addresses the policy forbids, whatever
// a name resolves to (DNS rebinding), and never follows redirects.
func NewClient(p Policy, timeout time.Duration) *Client {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	d := &net.Dialer{Timeout: timeout, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return err
		}
		return p.checkAddr(ap.Addr())
	}}
	tr := &http.Transport{DialContext: d.DialContext, Proxy: nil, TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout, MaxIdleConns: 10}
	return &Client{Policy: p, Timeout: timeout, http: &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Result is the outcome of one attempt.
type Result struct {
	StatusCode int
	Err        error
}

// OK reports a 2xx answer.
func (r Result) OK() bool { return r.Err == nil && r.StatusCode >= 200 && r.StatusCode < 300 }

// Deliver POSTs body to target, signed with secret at now.
func (c *Client) Deliver(ctx context.Context, target, secret, event string, body []byte, now time.Time) Result {
	if err := c.Policy.CheckURL(target); err != nil {
		return Result{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return Result{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Routewarden-Webhook/1")
	req.Header.Set("Routewarden-Event", event)
	req.Header.Set(SignatureHeader, Sign(secret, now, body))
	resp, err := c.http.Do(req)
	if err != nil {
		return Result{Err: err}
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Result{StatusCode: resp.StatusCode, Err: fmt.Errorf("receiver answered HTTP %d", resp.StatusCode)}
	}
	return Result{StatusCode: resp.StatusCode}
}
