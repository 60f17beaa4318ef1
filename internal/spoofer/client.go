package spoofer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"routewarden/internal/fetch"
)

// DefaultBaseURL is the Spoofer Data API root.
const DefaultBaseURL = "https://api.spoofer.caida.org"

// maxPages bounds pagination so that a server looping on hydra:next cannot keep a sync busy.
const maxPages = 200

// Client queries the public Spoofer Data API (no key; CAIDA asks for at most ~1000
// requests a day without notice, so the default rate is low).
type Client struct {
	HTTP *fetch.Client
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
}

// NewClient returns a client limited to one request per second.
func NewClient() *Client { return &Client{HTTP: fetch.New(fetch.Config{Rate: 1, Burst: 2})} }

// Sessions fetches every public session measured from asn since the given time (the zero
// time means all), following the API's pagination, and returns them as a DB.
func (c *Client) Sessions(ctx context.Context, asn uint32, since time.Time) (*DB, error) {
	base := strings.TrimSuffix(c.BaseURL, "/")
	if base == "" {
		base = DefaultBaseURL
	}
	q := url.Values{"asn": {strconv.FormatUint(uint64(asn), 10)}}
	if !since.IsZero() {
		q.Set("timestamp[after]", since.UTC().Format(time.DateOnly))
	}
	next := "/sessions?" + q.Encode()
	db := New()
	for page := 1; next != ""; page++ {
		if page > maxPages {
			return nil, fmt.Errorf("spoofer: %s: more than %d pages, stopping", base, maxPages)
		}
		u := base + next
		body, err := c.HTTP.Get(ctx, u, fetch.Header{Name: "Accept", Value: "application/ld+json"})
		if err != nil {
			return nil, err
		}
		if err := db.Add(bytes.NewReader(body), u); err != nil {
			return nil, err
		}
		if next, err = nextPage(body, u); err != nil {
			return nil, err
		}
	}
	return db, nil
}

// nextPage returns the path of the next page named by hydra:view, or "" on the last page.
func nextPage(body []byte, name string) (string, error) {
	var page struct {
		View struct {
			Next string `json:"hydra:next"`
		} `json:"hydra:view"`
	}
	if bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
		return "", nil // plain JSON arrays carry no pagination
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return "", fmt.Errorf("spoofer: %s: field \"hydra:view\": %v", name, err)
	}
	if page.View.Next != "" && !strings.HasPrefix(page.View.Next, "/") {
		return "", fmt.Errorf("spoofer: %s: field \"hydra:view\".\"hydra:next\": %q is not a path on the same server", name, page.View.Next)
	}
	return page.View.Next, nil
}
