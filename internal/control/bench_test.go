package control_test

import (
	"testing"

	"routewarden/controls"
	"routewarden/internal/control"
)

// BenchmarkLoadShipped measures loading and validating the embedded library tree.
func BenchmarkLoadShipped(b *testing.B) {
	for b.Loop() {
		if _, err := control.Load(controls.FS, "."); err != nil {
			b.Fatal(err)
		}
	}
}
