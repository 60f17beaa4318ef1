package fetch

import (
	"bytes"
	"context"
	"fmt"
)

// VRPMaxBytes is a response limit suited to full VRP exports (a complete rpki-client JSON
// export with ASPA is well over the 64 MiB default); use it as Config.MaxBytes for the Client
// passed to VRPs.
const VRPMaxBytes = 1 << 30

// VRPs fetches a Routinator (/json) or rpki-client JSON export from rawURL and returns the raw
// body for the VRP reader. It checks only that the body is a JSON object, so that an HTML
// error page served with status 200 is refused here, with the URL and byte offset, rather than
// deep inside the VRP parser.
func VRPs(ctx context.Context, c *Client, rawURL string) ([]byte, error) {
	body, err := c.Get(ctx, rawURL, Header{"Accept", "application/json"})
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	off := len(body) - len(trimmed)
	if len(trimmed) == 0 {
		return nil, &Error{URL: Redact(rawURL), Status: 200, Attempts: 1, Reason: "empty response body, expected a JSON VRP export"}
	}
	if trimmed[0] != '{' {
		return nil, &Error{URL: Redact(rawURL), Status: 200, Attempts: 1,
			Reason: fmt.Sprintf("byte offset %d: expected a JSON object (VRP export), found %q", off, snippet(trimmed[:min(len(trimmed), 40)]))}
	}
	return body, nil
}
