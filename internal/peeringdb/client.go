package peeringdb

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"routewarden/internal/fetch"
)

// DefaultBaseURL is the PeeringDB API root.
const DefaultBaseURL = "https://www.peeringdb.com/api/"

// Client queries the live PeeringDB API. Configure its fetch.Client with
// AuthScheme "Api-Key" and the key to see contacts visible to users, not only public ones.
type Client struct {
	HTTP *fetch.Client
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
}

// NewClient returns a client for the public API, sending apiKey (if any) as PeeringDB expects.
// PeeringDB throttles anonymous clients, so the rate is kept low.
func NewClient(apiKey string) *Client {
	return &Client{HTTP: fetch.New(fetch.Config{APIKey: apiKey, AuthScheme: "Api-Key", Rate: 0.5, Burst: 2})}
}

// Network fetches the net record for asn and its contacts (/net?asn=N, then /poc?net_id=ID)
// and returns them as a DB holding that one network. A missing ASN is an error.
func (c *Client) Network(ctx context.Context, asn uint32) (*DB, error) {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	base = strings.TrimSuffix(base, "/") + "/"
	netURL := base + "net?" + url.Values{"asn": {strconv.FormatUint(uint64(asn), 10)}}.Encode()
	body, err := c.HTTP.Get(ctx, netURL, fetch.Header{Name: "Accept", Value: "application/json"})
	if err != nil {
		return nil, err
	}
	db, err := Read(bytes.NewReader(body), netURL)
	if err != nil {
		return nil, err
	}
	n, ok := db.Network(asn)
	if !ok {
		return nil, fmt.Errorf("peeringdb: AS%d has no PeeringDB network record", asn)
	}
	pocURL := base + "poc?" + url.Values{"net_id": {strconv.Itoa(n.ID)}}.Encode()
	body, err = c.HTTP.Get(ctx, pocURL, fetch.Header{Name: "Accept", Value: "application/json"})
	if err != nil {
		return nil, err
	}
	if err := db.Add(bytes.NewReader(body), pocURL); err != nil {
		return nil, err
	}
	return db, nil
}
