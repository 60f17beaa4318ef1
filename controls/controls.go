// Package controls embeds Routewarden's control library: one YAML file per released version of
// each library (routewarden-manrs/<version>.yaml) and the obligation catalogue (obligations/).
// Package routewarden/internal/control loads and validates it; Shipped keeps the loaded tree.
package controls

import (
	"embed"
	"sync"

	"routewarden/internal/control"
)

// FS holds the released library versions and the obligation catalogue.
//
//go:embed routewarden-manrs/*.yaml obligations/*.yaml
var FS embed.FS

// AlertRules holds the released versions of the monitoring alert rules (alert-rules/<version>.yaml).
//
//go:embed alert-rules/*.yaml
var AlertRules embed.FS

// Shipped is the embedded library tree, loaded and validated once per process (parsing it takes
// about a third of a second). The set and its libraries are shared: callers read them and never
// modify them.
var Shipped = sync.OnceValues(func() (*control.Set, error) { return control.Load(FS, ".") })
