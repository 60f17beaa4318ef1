package web

import (
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// defaultLibrary is the control library the pages and the API show unless ?library= names
// another one.
const defaultLibrary = "routewarden-manrs"

// libraryRef identifies the library version a page shows, for links and the version picker.
type libraryRef struct {
	Name, Version, Digest string
	Short                 string   // the digest's first 12 hex digits
	Versions              []string // every version of the library, oldest first
	Newest                bool
}

// library returns the control library version a request selects with ?library= and ?version=
// (default: the newest version of routewarden-manrs) and the obligation catalogue.
func (s *Server) library(c *gin.Context) (*control.Library, *control.Catalogue, error) {
	set := s.deps.Library
	if set == nil {
		return nil, nil, rw.Errorf(rw.EINTERNAL, "the server was started without a control library")
	}
	name, version := c.Query("library"), c.Query("version")
	if name == "" {
		name = defaultLibrary
	}
	l, ok := set.Library(name, version)
	if !ok {
		if version != "" {
			return nil, nil, rw.Errorf(rw.ENOTFOUND, "There is no version %q of control library %q.", version, name)
		}
		return nil, nil, rw.Errorf(rw.ENOTFOUND, "There is no control library %q.", name)
	}
	return l, set.Catalogue, nil
}

// ref describes l for the pages: its versions and whether it is the newest one.
func (s *Server) ref(l *control.Library) libraryRef {
	r := libraryRef{Name: l.Name, Version: l.Version, Digest: digestOf(l)}
	r.Short = r.Digest[:min(12, len(r.Digest))]
	for _, x := range s.deps.Library.Libraries {
		if x.Name == l.Name {
			r.Versions = append(r.Versions, x.Version)
		}
	}
	r.Newest = len(r.Versions) > 0 && r.Versions[len(r.Versions)-1] == l.Version
	return r
}

// digests caches Library.Digest (a canonical JSON rendering, milliseconds per call) by library;
// a loaded library never changes.
var digests sync.Map

func digestOf(l *control.Library) string {
	if d, ok := digests.Load(l); ok {
		return d.(string)
	}
	d := l.Digest()
	digests.Store(l, d)
	return d
}

// Query returns the query string that keeps this library version selected on other pages
// ("" for the default library's newest version), starting with "?".
func (r libraryRef) Query() string { return r.With("", "") }

// With returns Query with one more parameter (a filter), e.g. "?manrs=netops-1".
func (r libraryRef) With(key, value string) string {
	q := url.Values{}
	if r.Name != defaultLibrary {
		q.Set("library", r.Name)
	}
	if !r.Newest {
		q.Set("version", r.Version)
	}
	if key != "" {
		q.Set(key, value)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// controlFilter holds the control-list filters shared by the page and the API. Empty fields
// do not filter.
type controlFilter struct {
	Family, Provider, MANRS, Obligation, Basis string
}

// parseControlFilter reads the filters and rejects values the library does not know, naming
// the parameter and the accepted values.
func parseControlFilter(c *gin.Context, l *control.Library, cat *control.Catalogue) (controlFilter, error) {
	f := controlFilter{Family: strings.TrimSpace(c.Query("family")), Provider: strings.TrimSpace(c.Query("provider")),
		MANRS: strings.TrimSpace(c.Query("manrs")), Obligation: strings.TrimSpace(c.Query("obligation")),
		Basis: strings.TrimSpace(c.Query("basis"))}
	var errs rw.ValidationErrors
	if _, ok := l.Family(f.Family); f.Family != "" && !ok {
		var ids []string
		for _, fam := range l.Families {
			ids = append(ids, fam.ID)
		}
		errs = append(errs, rw.FieldError("family", "Unknown family %q; use one of %s.", f.Family, strings.Join(ids, ", ")))
	}
	if f.Provider != "" && !slices.Contains(control.ProviderTypes, f.Provider) {
		errs = append(errs, rw.FieldError("provider", "Unknown provider type %q; use one of %s.", f.Provider, strings.Join(control.ProviderTypes, ", ")))
	}
	if _, ok := control.FindAction(f.MANRS); f.MANRS != "" && !ok {
		errs = append(errs, rw.FieldError("manrs", "Unknown MANRS action %q; use an ID such as netops-1, cdn-4 or ixp-1.", f.MANRS))
	}
	if _, ok := cat.Obligation(f.Obligation); f.Obligation != "" && !ok {
		errs = append(errs, rw.FieldError("obligation", "Unknown obligation %q; use an ID such as DORA-28.4.d (see /api/v1/obligations).", f.Obligation))
	}
	if f.Basis != "" && !slices.Contains(control.Bases, f.Basis) {
		errs = append(errs, rw.FieldError("basis", "Unknown verification basis %q; use one of %s.", f.Basis, strings.Join(control.Bases, ", ")))
	}
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}

// Match reports whether a control passes every set filter.
func (f controlFilter) Match(c *control.Control) bool {
	return (f.Family == "" || c.Family == f.Family) &&
		(f.Provider == "" || slices.Contains(c.AppliesTo, f.Provider)) &&
		(f.MANRS == "" || slices.Contains(c.MANRS, f.MANRS)) &&
		(f.Obligation == "" || slices.Contains(c.Obligations, f.Obligation)) &&
		(f.Basis == "" || c.Basis == f.Basis)
}

// Active reports whether any filter is set.
func (f controlFilter) Active() bool { return f != controlFilter{} }

// strongestBasis returns the strongest verification basis among controls (measured before
// evidenced before declared), or "" when there are none.
func strongestBasis(cs []*control.Control) string {
	for _, b := range control.Bases {
		if slices.ContainsFunc(cs, func(c *control.Control) bool { return c.Basis == b }) {
			return b
		}
	}
	return ""
}

// providerLabel names a control provider type for people.
func providerLabel(t string) string {
	if l := rw.ProviderType(t).Label(); l != "" {
		return l
	}
	return t
}
