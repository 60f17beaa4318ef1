package control

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Digest returns the SHA-256 (hex) of the library's canonical content: its decoded fields as
// JSON with sorted keys and without empty values. Comments, quoting, key order, indentation
// and block or flow style of the YAML source do not change it; any change of meaning does.
func (l *Library) Digest() string {
	return digest(l)
}

// Digest returns the SHA-256 (hex) of the catalogue's canonical content (see Library.Digest).
func (c *Catalogue) Digest() string {
	return digest(c)
}

func digest(v any) string {
	sum := sha256.Sum256([]byte(canonical(v)))
	return hex.EncodeToString(sum[:])
}

// canonical renders v as compact JSON with sorted object keys, dropping nulls, empty strings,
// empty lists and objects and false, so that absent and empty YAML values compare equal.
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only channels, functions and cyclic values fail; library types have none.
		panic("control: canonical: " + err.Error())
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		panic("control: canonical: " + err.Error())
	}
	out, _ := json.Marshal(prune(tree))
	return string(out)
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range x {
			if p := prune(e); p != nil {
				m[k] = p
			}
		}
		if len(m) == 0 {
			return nil
		}
		return m
	case []any:
		if len(x) == 0 {
			return nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = prune(e)
		}
		return out
	case string:
		if x == "" {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	}
	return v
}
