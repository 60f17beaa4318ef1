package control

import (
	"fmt"
	"strings"
)

// Version identifies one library version by its content digest, as the database registers it
// and assessments pin it.
type Version struct {
	Name     string `json:"library"`
	Version  string `json:"version"`
	Released string `json:"released"`
	Digest   string `json:"digest"`
}

// Versions returns every library version of the set with its digest, sorted by name and
// version.
func (s *Set) Versions() []Version {
	out := make([]Version, len(s.Libraries))
	for i, l := range s.Libraries {
		out[i] = Version{Name: l.Name, Version: l.Version, Released: l.Released, Digest: l.Digest()}
	}
	return out
}

// VerifyRegistered checks the set against versions registered earlier: a released version is
// never edited, so a registered version that is missing or whose digest changed is an error
// naming each offending version. Versions not registered yet are fine (new releases).
func (s *Set) VerifyRegistered(registered []Version) error {
	var msgs []string
	for _, r := range registered {
		l, ok := s.Library(r.Name, r.Version)
		switch {
		case !ok || r.Version == "":
			msgs = append(msgs, fmt.Sprintf("%s %s is registered but no longer shipped", r.Name, r.Version))
		case l.Digest() != r.Digest:
			msgs = append(msgs, fmt.Sprintf("%s %s changed after release: registered digest %s, shipped %s (publish a new version instead)",
				r.Name, r.Version, r.Digest, l.Digest()))
		}
	}
	if len(msgs) > 0 {
		return fmt.Errorf("control library: %s", strings.Join(msgs, "; "))
	}
	return nil
}
