// Package controls embeds Routewarden's control library: one YAML file per released version of
// each library (routewarden-manrs/<version>.yaml) and the obligation catalogue (obligations/).
// Package routewarden/internal/control loads and validates it.
package controls

import "embed"

// FS holds the released library versions and the obligation catalogue.
//
//go:embed routewarden-manrs/*.yaml obligations/*.yaml
var FS embed.FS

// AlertRules holds the released versions of the monitoring alert rules (alert-rules/<version>.yaml).
//
//go:embed alert-rules/*.yaml
var AlertRules embed.FS
