package score

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// AllowedOriginsQuestion asks which other networks are authorised to originate the customer's
// prefixes (for example a DDoS scrubbing provider). The AS numbers in its answer are an
// allow-list for hijack.other-origins: a declared scrubbing provider is not a hijacker.
const AllowedOriginsQuestion = "RS-MON-01.Q3"

const otherOriginsCheck = "hijack.other-origins"

var (
	asTokenRE  = regexp.MustCompile(`(?i)\bAS\s?(\d{1,10})\b`)
	listOnlyRE = regexp.MustCompile(`^[\s,;]*(\d{1,10}[\s,;]+)*\d{1,10}[\s,;]*$`)
	digitsRE   = regexp.MustCompile(`\d{1,10}`)
)

// ParseASNList returns the AS numbers in a free-text answer: every "AS64500" (or "as 64500")
// token, or, when the answer is nothing but a list of numbers, those numbers. Numbers inside
// prose ("2 providers") are not AS numbers.
func ParseASNList(s string) []uint32 {
	var raw []string
	for _, m := range asTokenRE.FindAllStringSubmatch(s, -1) {
		raw = append(raw, m[1])
	}
	if len(raw) == 0 && listOnlyRE.MatchString(s) {
		raw = digitsRE.FindAllString(s, -1)
	}
	var out []uint32
	for _, r := range raw {
		n, err := strconv.ParseUint(r, 10, 32)
		if err != nil || n == 0 || slices.Contains(out, uint32(n)) {
			continue
		}
		out = append(out, uint32(n))
	}
	return out
}

// AllowedOrigins returns the AS numbers the vendor declared as authorised origins, when the
// assessment's library asks the question and it is answered.
func AllowedOrigins(in Input) []uint32 {
	if in.Library == nil {
		return nil
	}
	if _, _, ok := in.Library.Question(AllowedOriginsQuestion); !ok {
		return nil
	}
	a := in.Answers[AllowedOriginsQuestion]
	if a == nil || a.Empty() {
		return nil
	}
	return ParseASNList(strings.Join(a.Values, " "))
}

// declaredAuthorised is how hijack.other-origins notes an origin the check itself was told is
// authorised; such an origin is not in its figure.
const declaredAuthorised = "declared as authorised"

// allowDeclaredOrigins takes the declared authorised origins out of the hijack.other-origins
// measurements: the check reports each third-party origin as one detail (kind "origin"), so the
// figure drops by the declared origins among them. Other measurements are returned unchanged;
// the input slice is not modified.
func allowDeclaredOrigins(in Input) []rw.Measurement {
	allowed := AllowedOrigins(in)
	if len(allowed) == 0 {
		return in.Measurements
	}
	out := slices.Clone(in.Measurements)
	for i := range out {
		m := &out[i]
		if m.Check != otherOriginsCheck || m.Figure == nil {
			continue
		}
		var left []string
		details := slices.Clone(m.Details)
		for j := range details {
			d := &details[j]
			if d.Kind != "origin" || !slices.Contains(allowed, d.Origin) || strings.HasPrefix(d.Note, declaredAuthorised) {
				continue
			}
			left = append(left, fmt.Sprintf("AS%d", d.Origin))
			d.Note = declaredAuthorised + " in " + AllowedOriginsQuestion + ": " + d.Note
		}
		if len(left) == 0 {
			continue
		}
		fig := max(0, *m.Figure-float64(len(left)))
		m.Figure, m.Details = &fig, details
		m.Summary += fmt.Sprintf(" %s declared authorised in %s and left out: %d third-party origin(s) remain.", strings.Join(left, ", "), AllowedOriginsQuestion, int(fig))
		if rule, ok := ruleOf(in, otherOriginsCheck); ok {
			m.Status = rw.CheckStatus(rule.Grade(fig))
		}
	}
	return out
}

// ruleOf returns the first rule of the library that grades the check.
func ruleOf(in Input, check string) (control.CheckRule, bool) {
	for _, c := range in.Library.Controls {
		for _, r := range c.Checks {
			if r.Check == check {
				return r, true
			}
		}
	}
	return control.CheckRule{}, false
}
