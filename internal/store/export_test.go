package store

import (
	"context"
	"fmt"
)

// QueryRows runs query and returns every row as column → value (bytes as text), for tests
// that must look at everything a table holds.
func (db *DB) QueryRows(ctx context.Context, query string, args ...any) ([]map[string]any, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := map[string]any{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				m[c] = string(b)
			} else {
				m[c] = fmt.Sprint(vals[i])
			}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
