// Package static embeds the CSS, scripts, images and fonts served under /static/.
package static

import "embed"

// FS holds css/ and fonts/ (and any js/ or img/).
//
//go:embed css fonts
var FS embed.FS
