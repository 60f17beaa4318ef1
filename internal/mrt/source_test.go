package mrt

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"testing"
)

func TestOpenRoutes(t *testing.T) {
	mrtData, err := os.ReadFile("testdata/mrtparse/quagga_rib")
	if err != nil {
		t.Fatal(err)
	}
	text := readGzip(t, "testdata/mrtparse/quagga_rib.bgp.gz")
	var gzText bytes.Buffer
	zw := gzip.NewWriter(&gzText)
	zw.Write(text)
	zw.Close()
	tests := []struct {
		name string
		data []byte
		text bool
	}{
		{"mrt", mrtData, false},
		{"text", text, true},
		{"gzip text", gzText.Bytes(), true},
		{"gzip mrt", gzipBytes(t, mrtData), false},
	}
	var want []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := OpenRoutes(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if _, isText := src.(*TextReader); isText != tt.text {
				t.Fatalf("got %T", src)
			}
			var got []string
			for {
				r, err := src.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, r.PeerIP.String()+" "+r.Prefix.String()+" "+r.Path.String())
			}
			if want == nil {
				want = got
			}
			if len(got) == 0 || len(got) != len(want) || got[len(got)-1] != want[len(want)-1] {
				t.Errorf("%d routes, want %d", len(got), len(want))
			}
		})
	}
}
