package control_test

import (
	"strings"
	"testing"

	"routewarden/internal/control"
)

func TestVerifyRegistered(t *testing.T) {
	set := loadValid(t)
	vs := set.Versions()
	if len(vs) != 2 || vs[0].Version != "1.0" || vs[1].Version != "1.1" || len(vs[0].Digest) != 64 {
		t.Fatalf("versions %+v", vs)
	}
	tests := []struct {
		name string
		reg  []control.Version
		want string
	}{
		{"all match", vs, ""},
		{"nothing registered", nil, ""},
		{"content changed", []control.Version{{Name: "demo", Version: "1.0", Digest: strings.Repeat("0", 64)}},
			"demo 1.0 changed after release"},
		{"version gone", []control.Version{{Name: "demo", Version: "0.9", Digest: vs[0].Digest}},
			"demo 0.9 is registered but no longer shipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := set.VerifyRegistered(tt.reg)
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// released pins the digest of every released library version: a released file is never
// edited (PRODUCT.md section 4); a change is a new version file, which adds a line here.
var released = map[string]string{
	"routewarden-manrs 2026.1": "53a7e3abb5140e7f37b8bed5c4fd5e039c7c8fd7fa21ddf1fa4295fe8a16e419",
	"routewarden-manrs 2026.2": "1f776c10d982409f6185b96faf43bddb6b2f6ee2770b7c84070450a990f2e531",
}

func TestReleasedVersionsUnchanged(t *testing.T) {
	set, _ := shipped(t)
	for _, v := range set.Versions() {
		key := v.Name + " " + v.Version
		want, ok := released[key]
		if !ok {
			t.Errorf("%s is shipped but not pinned in released", key)
			continue
		}
		if v.Digest != want {
			t.Errorf("%s digest %s, pinned %s: released files must not change", key, v.Digest, want)
		}
	}
}
