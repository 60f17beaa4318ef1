package manrs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// field returns the first present member among the spellings given.
func field(raw map[string]json.RawMessage, names ...string) (json.RawMessage, string) {
	for _, n := range names {
		if v, ok := raw[n]; ok && !isNull(v) {
			return v, n
		}
	}
	return nil, names[0]
}

func isNull(v json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(v), []byte("null")) }

// participant converts one decoded participant object.
func participant(raw map[string]json.RawMessage, program string) (Participant, error) {
	p := Participant{Program: program}
	if v, _ := field(raw, "id"); v != nil {
		p.ID = strings.Trim(string(bytes.TrimSpace(v)), `"`)
	}
	if v, n := field(raw, "name"); v != nil {
		if err := json.Unmarshal(v, &p.Name); err != nil {
			return p, fmt.Errorf("field %q: %s is not a string", n, v)
		}
	}
	v, n := field(raw, "ASNs", "asns", "ASNS")
	if v == nil {
		return p, fmt.Errorf(`field "ASNs" (or "asns") missing`)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return p, fmt.Errorf("field %q: %s is not a list", n, v)
	}
	for i, item := range list {
		asn, err := parseASN(item)
		if err != nil {
			return p, fmt.Errorf("field %q[%d]: %v", n, i, err)
		}
		p.ASNs = append(p.ASNs, asn)
	}
	if v, n := field(raw, "areas_served", "areasServed"); v != nil {
		if err := json.Unmarshal(v, &p.AreasServed); err != nil {
			return p, fmt.Errorf("field %q: %s is not a list of strings", n, v)
		}
	}
	if v, n := field(raw, "member_since", "memberSince"); v != nil {
		t, err := parseDate(v)
		if err != nil {
			return p, fmt.Errorf("field %q: %v", n, err)
		}
		p.MemberSince = t
	}
	for key, v := range raw {
		a, ok, err := action(key, v)
		if err != nil {
			return p, fmt.Errorf("field %q: %v", key, err)
		}
		if ok {
			p.Actions = append(p.Actions, a)
		}
	}
	slices.SortFunc(p.Actions, func(a, b Action) int { return strings.Compare(a.Key, b.Key) })
	return p, nil
}

// action reads an action object (any member that is an object with a "conformance" key).
func action(key string, v json.RawMessage) (Action, bool, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || v[0] != '{' {
		return Action{}, false, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(v, &obj); err != nil {
		return Action{}, false, err
	}
	c, ok := obj["conformance"]
	if !ok {
		return Action{}, false, nil
	}
	a := Action{Key: kebab(key)}
	if !isNull(c) {
		if err := json.Unmarshal(c, &a.Conformance); err != nil {
			return a, false, fmt.Errorf(`"conformance": %s is not a string`, c)
		}
	}
	for sk, sv := range obj {
		if !strings.HasPrefix(strings.ToLower(sk), "score") || isNull(sv) {
			continue
		}
		var s struct {
			Value    *float64 `json:"value"`
			Severity string   `json:"severity"`
		}
		if err := json.Unmarshal(sv, &s); err != nil || s.Value == nil {
			return a, false, fmt.Errorf(`%q: want {"value": number, "severity": string}, got %s`, sk, sv)
		}
		a.Scores = append(a.Scores, Score{Metric: kebab(sk), Value: *s.Value, Severity: s.Severity})
	}
	slices.SortFunc(a.Scores, func(x, y Score) int { return strings.Compare(x.Metric, y.Metric) })
	return a, true, nil
}

// kebab turns "anti_spoofing" and "antiSpoofing" into "anti-spoofing".
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' || r == ' ':
			b.WriteByte('-')
		case unicode.IsUpper(r):
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// parseASN reads an ASN written as a number or as "AS123"/"123".
func parseASN(raw json.RawMessage) (uint32, error) {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "AS"), "as")
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || v == 0 {
		return 0, fmt.Errorf("%s is not an AS number", raw)
	}
	return uint32(v), nil
}

// parseDate reads "2020-01-15" or an RFC 3339 time.
func parseDate(raw json.RawMessage) (time.Time, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, fmt.Errorf("%s is not a date string", raw)
	}
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range []string{time.DateOnly, time.RFC3339Nano} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}
