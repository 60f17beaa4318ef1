// Package monitor watches vendor networks between assessments: it re-checks every vendor ASN over
// the latest routing data, keeps the history of what changed, and evaluates the alert rules
// (controls/alert-rules) over consecutive results. The evaluation is pure; Runner ties it to the
// stores.
package monitor

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	rw "routewarden/internal/routewarden"
)

// Rule kinds; see controls/alert-rules for their meaning.
const (
	KindPresent  = "present"
	KindAdded    = "added"
	KindRemoved  = "removed"
	KindDrop     = "drop"
	KindBelow    = "below"
	KindLost     = "lost"
	KindChanged  = "changed"
	KindStale    = "stale"
	KindExpiring = "expiring"
)

// Rule is one alert rule.
type Rule struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	Control     string   `yaml:"control"`
	Check       string   `yaml:"check"`
	Kind        string   `yaml:"kind"`
	Severity    string   `yaml:"severity"`
	Points      float64  `yaml:"points"`
	Min         *float64 `yaml:"min"`
	Days        int      `yaml:"days"`
	MaxAgeHours int      `yaml:"max_age_hours"`
}

// Event reports whether alerts of the rule mark a change (they stay until acknowledged) rather
// than a condition that holds (they resolve when it clears).
func (r *Rule) Event() bool {
	switch r.Kind {
	case KindAdded, KindRemoved, KindDrop, KindChanged:
		return true
	}
	return false
}

// Rules is one released version of the alert rules.
type Rules struct {
	Version string `yaml:"version"`
	Rules   []Rule `yaml:"rules"`
}

// Find returns the rule with the given ID.
func (rs *Rules) Find(id string) (*Rule, bool) {
	for i := range rs.Rules {
		if rs.Rules[i].ID == id {
			return &rs.Rules[i], true
		}
	}
	return nil, false
}

// LoadRules reads every alert-rules/<version>.yaml in fsys, validates each, and returns the newest
// version. knownControl reports whether a control ID exists in the control library (nil: not
// checked).
func LoadRules(fsys fs.FS, knownControl func(string) bool) (*Rules, error) {
	names, err := fs.Glob(fsys, "alert-rules/*.yaml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("alert rules: no alert-rules/*.yaml")
	}
	sort.Strings(names)
	var latest *Rules
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		rs, err := ParseRules(b, knownControl)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if want := strings.TrimSuffix(path.Base(name), ".yaml"); rs.Version != want {
			return nil, fmt.Errorf("%s: version %q does not match the file name", name, rs.Version)
		}
		latest = rs
	}
	return latest, nil
}

// ParseRules decodes and validates one rules file; unknown fields are refused.
func ParseRules(b []byte, knownControl func(string) bool) (*Rules, error) {
	var rs Rules
	if err := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField()).Decode(&rs); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if rs.Version == "" {
		return nil, fmt.Errorf("version missing")
	}
	seen := map[string]bool{}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		if err := r.validate(knownControl); err != nil {
			return nil, fmt.Errorf("rule %d (%s): %w", i+1, r.ID, err)
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("rule %s: duplicate id", r.ID)
		}
		seen[r.ID] = true
	}
	return &rs, nil
}

func (r *Rule) validate(knownControl func(string) bool) error {
	switch {
	case r.ID == "" || r.Title == "":
		return fmt.Errorf("id and title are required")
	case r.Control == "":
		return fmt.Errorf("control is required: every rule names the control it concerns")
	case knownControl != nil && !knownControl(r.Control):
		return fmt.Errorf("control %s is not in the control library", r.Control)
	case !rw.ValidSeverity(r.Severity):
		return fmt.Errorf("severity %q is not one of critical, high, medium, low", r.Severity)
	}
	switch r.Kind {
	case KindPresent, KindAdded, KindRemoved, KindChanged, KindLost:
	case KindDrop:
		if r.Points <= 0 {
			return fmt.Errorf("kind drop needs points > 0")
		}
	case KindBelow:
		if r.Min == nil {
			return fmt.Errorf("kind below needs min")
		}
	case KindStale:
		if r.MaxAgeHours <= 0 {
			return fmt.Errorf("kind stale needs max_age_hours > 0")
		}
		return nil
	case KindExpiring:
		if r.Days <= 0 {
			return fmt.Errorf("kind expiring needs days > 0")
		}
		return nil
	default:
		return fmt.Errorf("unknown kind %q", r.Kind)
	}
	if _, ok := rw.FindCheck(r.Check); !ok {
		return fmt.Errorf("unknown check %q", r.Check)
	}
	return nil
}
