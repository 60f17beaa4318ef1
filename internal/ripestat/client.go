package ripestat

import (
	"context"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"routewarden/internal/fetch"
)

// DefaultBaseURL is the RIPEstat Data API root.
const DefaultBaseURL = "https://stat.ripe.net/data/"

// Client queries the RIPEstat Data API.
type Client struct {
	HTTP *fetch.Client
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	// SourceApp identifies the caller to RIPEstat (the sourceapp parameter RIPE NCC asks
	// regular users to send); defaults to "routewarden".
	SourceApp string
}

// NewClient returns a client with a polite default rate (4 requests/s, burst 8).
func NewClient() *Client {
	return &Client{HTTP: fetch.New(fetch.Config{Rate: 4, Burst: 8})}
}

func (c *Client) get(ctx context.Context, call string, params url.Values) ([]byte, string, error) {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	app := c.SourceApp
	if app == "" {
		app = "routewarden"
	}
	params.Set("sourceapp", app)
	u := strings.TrimSuffix(base, "/") + "/" + call + "/data.json?" + params.Encode()
	body, err := c.HTTP.Get(ctx, u, fetch.Header{Name: "Accept", Value: "application/json"})
	return body, fetch.Redact(u), err
}

func asParam(asn uint32) string { return "AS" + strconv.FormatUint(uint64(asn), 10) }

// AnnouncedPrefixes returns the prefixes asn announced in RIPEstat's default window (the last
// two weeks), seen by at least RIPEstat's default number of RIS peers.
func (c *Client) AnnouncedPrefixes(ctx context.Context, asn uint32) (*AnnouncedPrefixes, error) {
	body, u, err := c.get(ctx, "announced-prefixes", url.Values{"resource": {asParam(asn)}})
	if err != nil {
		return nil, err
	}
	return ParseAnnouncedPrefixes(body, u)
}

// RPKIValidation returns the RPKI validation state of prefix originated by asn.
func (c *Client) RPKIValidation(ctx context.Context, asn uint32, prefix netip.Prefix) (*RPKIValidation, error) {
	body, u, err := c.get(ctx, "rpki-validation", url.Values{
		"resource": {strconv.FormatUint(uint64(asn), 10)}, "prefix": {prefix.String()}})
	if err != nil {
		return nil, err
	}
	return ParseRPKIValidation(body, u)
}

// RoutingStatus returns the current routing status of resource: "AS3333" or a prefix.
func (c *Client) RoutingStatus(ctx context.Context, resource string) (*RoutingStatus, error) {
	body, u, err := c.get(ctx, "routing-status", url.Values{"resource": {resource}})
	if err != nil {
		return nil, err
	}
	return ParseRoutingStatus(body, u)
}

// ASRoutingConsistency compares asn's BGP announcements and neighbours with its IRR data.
func (c *Client) ASRoutingConsistency(ctx context.Context, asn uint32) (*ASRoutingConsistency, error) {
	body, u, err := c.get(ctx, "as-routing-consistency", url.Values{"resource": {asParam(asn)}})
	if err != nil {
		return nil, err
	}
	return ParseASRoutingConsistency(body, u)
}

// AbuseContacts returns the abuse-c e-mail addresses registered for resource (an ASN as
// "AS3333", a prefix or an address).
func (c *Client) AbuseContacts(ctx context.Context, resource string) (*AbuseContacts, error) {
	body, u, err := c.get(ctx, "abuse-contact-finder", url.Values{"resource": {resource}})
	if err != nil {
		return nil, err
	}
	return ParseAbuseContacts(body, u)
}
