// Package ripestat is a client for the RIPEstat Data API (https://stat.ripe.net/data/<call>/
// data.json). It covers the calls Routewarden's checks use — announced-prefixes,
// rpki-validation, routing-status, as-routing-consistency and abuse-contact-finder — and
// returns typed results. The Parse functions read recorded responses, so the same code serves
// live queries and offline replays.
package ripestat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Meta is the RIPEstat envelope information kept with every result.
type Meta struct {
	Call    string    // data_call_name, e.g. "rpki-validation"
	Version string    // data call version
	Time    time.Time // when RIPEstat answered (UTC)
	QueryID string
	Cached  bool
	// CallStatus is data_call_status, e.g. "supported" or "deprecated - ..."; a deprecated call
	// still answers but should be migrated.
	CallStatus string
	// Messages are RIPEstat's notes on the answer ("warning: ...", "info: ..."), e.g. that
	// low-visibility resources were filtered out.
	Messages []string
}

type envelope struct {
	Status         string          `json:"status"`
	StatusCode     int             `json:"status_code"`
	DataCallName   string          `json:"data_call_name"`
	DataCallStatus string          `json:"data_call_status"`
	Version        string          `json:"version"`
	Time           string          `json:"time"`
	QueryID        string          `json:"query_id"`
	Cached         bool            `json:"cached"`
	Messages       [][]string      `json:"messages"`
	Data           json.RawMessage `json:"data"`
}

// parse checks the envelope of a response to call and decodes its data member into v.
// name labels errors (the URL or file name).
func parse(body []byte, name, call string, v any) (Meta, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Meta{}, jsonError(name, "", err)
	}
	if env.Status != "ok" {
		return Meta{}, fmt.Errorf("ripestat: %s: status %q (code %d)%s", name, env.Status, env.StatusCode, messages(env.Messages))
	}
	if env.DataCallName != "" && env.DataCallName != call {
		return Meta{}, fmt.Errorf("ripestat: %s: field data_call_name: got %q, want %q", name, env.DataCallName, call)
	}
	data := bytes.TrimSpace(env.Data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return Meta{}, fmt.Errorf("ripestat: %s: field data: missing", name)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return Meta{}, jsonError(name, "data.", err)
	}
	m := Meta{Call: env.DataCallName, Version: env.Version, QueryID: env.QueryID, Cached: env.Cached,
		CallStatus: env.DataCallStatus}
	for _, msg := range env.Messages {
		m.Messages = append(m.Messages, strings.Join(msg, ": "))
	}
	if env.Time != "" {
		t, err := parseTime(env.Time)
		if err != nil {
			return Meta{}, fieldError(name, "time", err)
		}
		m.Time = t
	}
	return m, nil
}

func messages(ms [][]string) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, strings.Join(m, ": "))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, "; ")
}

// jsonError names the file, byte offset and field of a decoding error.
func jsonError(name, prefix string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		if prefix != "" {
			return fmt.Errorf("ripestat: %s: invalid JSON in %s: %v", name, strings.TrimSuffix(prefix, "."), se)
		}
		return fmt.Errorf("ripestat: %s: byte offset %d: invalid JSON: %v", name, se.Offset, se)
	case errors.As(err, &te):
		where := ""
		if prefix == "" {
			where = fmt.Sprintf("byte offset %d: ", te.Offset)
		}
		return fmt.Errorf("ripestat: %s: %sfield %s%s: cannot use JSON %s as %s", name, where, prefix, te.Field, te.Value, te.Type)
	}
	return fmt.Errorf("ripestat: %s: %s%v", name, prefix, err)
}

func fieldError(name, field string, err error) error {
	return fmt.Errorf("ripestat: %s: field %s: %v", name, field, err)
}

// asnValue reads an AS number that RIPEstat writes as a JSON number or as a string ("3333",
// "AS3333").
func asnValue(raw json.RawMessage) (uint32, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s == "null" {
		return 0, fmt.Errorf("missing AS number")
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
	}
	return ParseASN(s)
}

// ParseASN reads "3333", "AS3333" or "as3333".
func ParseASN(s string) (uint32, error) {
	t := strings.TrimSpace(s)
	if len(t) > 2 && strings.EqualFold(t[:2], "AS") {
		t = t[2:]
	}
	v, err := strconv.ParseUint(t, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%q is not an AS number", s)
	}
	return uint32(v), nil
}

// timeLayouts are the shapes RIPEstat uses: ISO 8601 without zone (UTC), sometimes with
// fractional seconds, sometimes with a zone.
var timeLayouts = []string{"2006-01-02T15:04:05.999999999", time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02 15:04:05"}

// parseTime reads a RIPEstat time; "" gives the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an ISO 8601 time", s)
}

// parsePrefix reads a CIDR prefix and refuses host bits set.
func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR prefix", s)
	}
	if p != p.Masked() {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set", s)
	}
	return p, nil
}
