// Package migrations embeds the numbered SQL files that own Routewarden's schema, one folder per
// SQL dialect (sqlite, postgres) holding the same logical schema.
package migrations

import "embed"

// FS holds sqlite/NNNN_name.sql and postgres/NNNN_name.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
