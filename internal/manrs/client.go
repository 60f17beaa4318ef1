package manrs

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"routewarden/internal/fetch"
)

// DefaultBaseURL is the MANRS Observatory API v2 root.
const DefaultBaseURL = "https://observatory.manrs.org/api/v2/"

// Programs are the MANRS programmes with conformance reports.
var Programs = []string{"net-ops", "cdns", "ixps", "vendors"}

// Client queries the MANRS Observatory API v2 with a bearer key.
type Client struct {
	HTTP *fetch.Client
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	// ConformancePath is the path of a programme's conformance report under BaseURL, with
	// "{program}" replaced. The v2 path is not in the public migration guide we could read, so
	// it defaults to the v1 layout "conformance/{program}" and can be changed without a release.
	ConformancePath string
}

// NewClient returns a client sending key as "Authorization: Bearer <key>". The Observatory
// API needs a key; an empty key is an error.
func NewClient(key string) (*Client, error) {
	if strings.TrimSpace(key) == "" {
		return nil, errors.New("manrs: the MANRS Observatory API needs an API key (request one at https://www.manrs.org/resources/api)")
	}
	return &Client{HTTP: fetch.New(fetch.Config{APIKey: key, Rate: 1, Burst: 4})}, nil
}

func (c *Client) url(path string, q url.Values) string {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u := strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(path, "/")
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// ASNs fetches the list of participant ASNs (GET asns).
func (c *Client) ASNs(ctx context.Context) (*DB, error) {
	u := c.url("asns", nil)
	body, err := c.HTTP.Get(ctx, u, fetch.Header{Name: "Accept", Value: "application/json"})
	if err != nil {
		return nil, err
	}
	return Read(bytes.NewReader(body), fetch.Redact(u))
}

// Conformance fetches a programme's conformance report for the month containing month
// (the zero time asks for the latest).
func (c *Client) Conformance(ctx context.Context, program string, month time.Time) (*DB, error) {
	path := c.ConformancePath
	if path == "" {
		path = "conformance/{program}"
	}
	q := url.Values{}
	if !month.IsZero() {
		// v2 takes an RFC 3339 timestamp and uses only its year and month.
		m := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
		q.Set("month", m.Format(time.RFC3339))
	}
	u := c.url(strings.ReplaceAll(path, "{program}", url.PathEscape(program)), q)
	body, err := c.HTTP.Get(ctx, u, fetch.Header{Name: "Accept", Value: "application/json"})
	if err != nil {
		return nil, err
	}
	db := New()
	if err := db.Add(bytes.NewReader(body), fetch.Redact(u), program); err != nil {
		return nil, err
	}
	return db, nil
}
