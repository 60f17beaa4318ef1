package web

import (
	"testing"

	"routewarden/internal/score"
)

// TestNextOpenSection: "what next" in the portal points at the next section with something
// missing after the one shown, wraps round, and never at the section already shown.
func TestNextOpenSection(t *testing.T) {
	secs := []score.SectionProgress{{Family: "a", Required: 2, Done: 2}, {Family: "b", Required: 3, Done: 1},
		{Family: "c", Required: 1, Done: 1}, {Family: "d", Required: 4, Done: 0}}
	for _, tt := range []struct {
		current, want string
	}{
		{"a", "b"}, {"b", "d"}, {"c", "d"}, {"d", "b"}, {"", "b"}, {"unknown", "b"},
	} {
		got := nextOpenSection(secs, tt.current)
		if got == nil || got.Family != tt.want {
			t.Errorf("after %q: %v, want %s", tt.current, got, tt.want)
		}
	}
	if got := nextOpenSection(secs[:1], "a"); got != nil {
		t.Errorf("all complete: %v, want none", got)
	}
	if got := nextOpenSection(secs[1:2], "b"); got != nil {
		t.Errorf("only the section shown is open: %v, want none", got)
	}
	if got := nextOpenSection(nil, ""); got != nil {
		t.Errorf("no sections: %v", got)
	}
}
