package routewarden_test

import (
	"testing"

	rw "routewarden/internal/routewarden"
)

func TestVendorSort(t *testing.T) {
	for _, tc := range []struct{ key, dir, want string }{
		{"", "", "name"},
		{"name", "desc", "-name"},
		{"rating", "", "rating"},
		{"rating", "desc", "-rating"},
		{"-due", "", "-due"},
		{"-due", "asc", "due"},
		{"tier", "sideways", "tier"},
		{"updated", "desc", "-updated"},
		{"ceo", "desc", "-name"},
		{"state", "asc", "state"},
	} {
		if got := rw.VendorSort(tc.key, tc.dir); got != tc.want {
			t.Errorf("VendorSort(%q, %q) = %q, want %q", tc.key, tc.dir, got, tc.want)
		}
	}
}
