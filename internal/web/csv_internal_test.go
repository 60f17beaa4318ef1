package web

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-1", "'-1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"", ""}, {"Northwind", "Northwind"}, {"a=b", "a=b"}, {"'=x", "'=x"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := safeCell(tc.in); got != tc.want {
				t.Errorf("safeCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
			var b bytes.Buffer
			if err := writeSafeCSV(&b, [][]string{{tc.in, "x"}}); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&b).ReadAll()
			if err != nil || len(rows) != 1 || rows[0][0] != tc.want || rows[0][1] != "x" {
				t.Errorf("round trip of %q: %v %v", tc.in, rows, err)
			}
		})
	}
}
