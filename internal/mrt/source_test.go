package mrt

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"
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

func TestOpenRoutesTruncatedText(t *testing.T) {
	text := readGzip(t, "testdata/bgpdump/updates.20100722.2015.gz.bgp.gz")
	gz := gzipBytes(t, text)
	src, err := OpenRoutes(bytes.NewReader(gz[:len(gz)/2]))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for {
		_, err = src.Next()
		if err != nil {
			break
		}
	}
	if err == io.EOF || err == nil || !strings.Contains(err.Error(), "compressed stream truncated") {
		t.Fatalf("error %v, want a truncation error with a line number", err)
	}
}
