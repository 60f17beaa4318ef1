// Package fetch is the small HTTP client shared by Routewarden's live data sources (RIPEstat,
// PeeringDB, the MANRS Observatory, Routinator/rpki-client VRP endpoints).
//
// It adds what every source needs and net/http leaves out: a per-attempt timeout, retries with
// exponential back-off and full jitter on network errors, 5xx and 429 (honouring Retry-After),
// a token-bucket rate limit, an API key sent in the Authorization header, a response size limit,
// and errors that name the URL and the status. It never logs and never puts the API key in an
// error: URLs in errors have secret-looking query values redacted.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// Defaults used when a Config field is zero.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultAttempts      = 4
	DefaultBaseDelay     = 500 * time.Millisecond
	DefaultMaxDelay      = 30 * time.Second
	DefaultMaxBytes      = 64 << 20
	DefaultUserAgent     = "routewarden/1 (+https://github.com/routewarden)"
	DefaultAuthScheme    = "Bearer"
	maxErrorBodySnippet  = 200
	retryAfterHeaderName = "Retry-After"
)

// Config configures a Client. The zero value is usable: every zero field takes its default.
type Config struct {
	// Timeout bounds one attempt: connecting, sending and reading the whole body.
	Timeout time.Duration
	// MaxAttempts is the number of tries, the first included (1 = no retry).
	MaxAttempts int
	// BaseDelay is the back-off before the second attempt; it doubles per attempt up to MaxDelay,
	// and the actual wait is drawn uniformly from [0, that value] (full jitter).
	BaseDelay time.Duration
	// MaxDelay caps the back-off. A Retry-After longer than MaxDelay ends the retries with an
	// error instead of stalling the caller.
	MaxDelay time.Duration
	// Rate is the sustained request rate in requests per second; 0 means unlimited.
	Rate float64
	// Burst is the token-bucket size; 0 means 1.
	Burst int
	// MaxBytes limits the response body; a larger body is an error.
	MaxBytes int64
	// APIKey, when set, is sent as "Authorization: <AuthScheme> <APIKey>".
	APIKey string
	// AuthScheme is the Authorization scheme for APIKey: "Bearer" (default) or e.g. "Api-Key"
	// for PeeringDB.
	AuthScheme string
	// UserAgent is sent with every request.
	UserAgent string
	// Transport replaces http.DefaultTransport (tests, proxies).
	Transport http.RoundTripper
	// Logger, when set, receives one Warn record per retry with the redacted URL, the status
	// and the wait. The API key is never logged.
	Logger *slog.Logger
}

// Client performs GET requests with the policy of its Config. It is safe for concurrent use.
type Client struct {
	cfg     Config
	hc      *http.Client
	limiter *Limiter
	// sleep waits for d or until ctx ends; replaced in tests.
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a value in [0, d]; replaced in tests.
	jitter func(d time.Duration) time.Duration
}

// New returns a Client for cfg, with defaults filled in.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultAttempts
	}
	if cfg.BaseDelay <= 0 {
		cfg.BaseDelay = DefaultBaseDelay
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.AuthScheme == "" {
		cfg.AuthScheme = DefaultAuthScheme
	}
	tr := cfg.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	c := &Client{
		cfg:    cfg,
		hc:     &http.Client{Transport: tr},
		sleep:  sleepCtx,
		jitter: func(d time.Duration) time.Duration { return time.Duration(rand.Int64N(int64(d) + 1)) },
	}
	if cfg.Rate > 0 {
		c.limiter = NewLimiter(cfg.Rate, cfg.Burst)
	}
	return c
}

// Error is the error returned for a failed fetch. It names the URL (with secret query values
// redacted), the last HTTP status (0 when no response arrived) and the number of attempts.
type Error struct {
	URL      string
	Status   int
	Attempts int
	// Reason describes the failure, e.g. "HTTP 503 Service Unavailable" or "timeout".
	Reason string
	// Err is the underlying error, if any.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	s := "fetch " + e.URL + ": " + e.Reason
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Header is one extra request header.
type Header struct{ Name, Value string }

// Get fetches rawURL and returns the whole body of a 2xx response. Extra headers (e.g.
// Accept) are added to the request.
func (c *Client) Get(ctx context.Context, rawURL string, headers ...Header) ([]byte, error) {
	safe := Redact(rawURL)
	if _, err := url.ParseRequestURI(rawURL); err != nil {
		return nil, &Error{URL: safe, Reason: "invalid URL", Err: err}
	}
	var last *attemptError
	for attempt := 1; attempt <= c.cfg.MaxAttempts; attempt++ {
		if attempt > 1 {
			wait := c.backoff(attempt - 1)
			if last.retryAfter > 0 {
				if last.retryAfter > c.cfg.MaxDelay {
					return nil, last.final(attempt-1, fmt.Sprintf("; server asked to retry after %s, more than the %s limit", last.retryAfter, c.cfg.MaxDelay))
				}
				wait = max(wait, last.retryAfter)
			}
			if c.cfg.Logger != nil {
				c.cfg.Logger.Warn("fetch: retrying", "url", safe, "status", last.Status,
					"reason", last.Reason, "attempt", attempt, "wait", wait)
			}
			if err := c.sleep(ctx, wait); err != nil {
				return nil, last.final(attempt-1, "; "+err.Error())
			}
		}
		body, fail := c.attempt(ctx, rawURL, safe, headers)
		if fail == nil {
			return body, nil
		}
		last = fail
		if !fail.retry || ctx.Err() != nil {
			return nil, fail.final(attempt, "")
		}
	}
	return nil, last.final(c.cfg.MaxAttempts, "")
}

// attemptError is the outcome of one failed attempt.
type attemptError struct {
	Error
	retry      bool
	retryAfter time.Duration
}

func (a *attemptError) final(attempts int, suffix string) *Error {
	e := a.Error
	e.Attempts = attempts
	e.Reason += suffix
	return &e
}

func (c *Client) attempt(ctx context.Context, rawURL, safe string, headers []Header) ([]byte, *attemptError) {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, &attemptError{Error: Error{URL: safe, Reason: "rate limiter: " + err.Error(), Err: err}}
		}
	}
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, &attemptError{Error: Error{URL: safe, Reason: "building request", Err: err}}
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", c.cfg.AuthScheme+" "+c.cfg.APIKey)
	}
	for _, h := range headers {
		req.Header.Set(h.Name, h.Value)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, c.networkError(ctx, safe, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBytes+1))
	if err != nil {
		return nil, c.networkError(ctx, safe, err)
	}
	if int64(len(body)) > c.cfg.MaxBytes {
		return nil, &attemptError{Error: Error{URL: safe, Status: resp.StatusCode,
			Reason: fmt.Sprintf("response body exceeds the %d-byte limit", c.cfg.MaxBytes)}}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return body, nil
	}
	return nil, statusError(safe, resp, body)
}

func statusError(safe string, resp *http.Response, body []byte) *attemptError {
	reason := "HTTP " + resp.Status
	if snip := snippet(body); snip != "" {
		reason += ": " + snip
	}
	a := &attemptError{Error: Error{URL: safe, Status: resp.StatusCode, Reason: reason}}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		a.retry = true
		a.retryAfter = parseRetryAfter(resp.Header.Get(retryAfterHeaderName), time.Now())
	}
	return a
}

func (c *Client) networkError(ctx context.Context, safe string, err error) *attemptError {
	reason := "network error: " + err.Error()
	switch {
	case ctx.Err() != nil:
		// The caller gave up: do not retry, and say so plainly.
		reason = "cancelled: " + ctx.Err().Error()
		return &attemptError{Error: Error{URL: safe, Reason: reason, Err: ctx.Err()}}
	case errors.Is(err, context.DeadlineExceeded):
		reason = fmt.Sprintf("timeout after %s", c.cfg.Timeout)
	}
	// net/http errors quote the URL; strip it so a key in the query never leaks.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
		if !errors.Is(err, context.DeadlineExceeded) {
			reason = "network error: " + err.Error()
		}
	}
	return &attemptError{Error: Error{URL: safe, Reason: reason, Err: err}, retry: true}
}

// backoff returns the jittered wait before retry number n (1-based).
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.BaseDelay
	for i := 1; i < n && d < c.cfg.MaxDelay; i++ {
		d *= 2
	}
	return c.jitter(min(d, c.cfg.MaxDelay))
}
