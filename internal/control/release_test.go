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
