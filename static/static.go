// Package static embeds the CSS, scripts, images and fonts served under /static/.
package static

import "embed"

// FS holds css/, fonts/ and js/ (and any img/).
//
//go:embed css fonts js
var FS embed.FS
