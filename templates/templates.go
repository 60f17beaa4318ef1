// Package templates embeds the server-rendered HTML: layout/ (the page frame), partials/ (shared
// pieces) and pages/ (one file per page, each defining "content").
package templates

import "embed"

// FS holds layout/*.html, partials/*.html and pages/*.html.
//
//go:embed layout partials pages
var FS embed.FS
