package store

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestBackupKinds(t *testing.T) {
	for _, tc := range []struct {
		decl string
		want Kind
	}{{"INTEGER", KindInt}, {"BIGINT", KindInt}, {"BOOLEAN", KindBool}, {"DATETIME", KindTime}, {"TEXT", KindText},
		{"BLOB", KindBytes}, {"DOUBLE PRECISION", KindFloat}, {"VARCHAR(20)", KindText}} {
		t.Run(tc.decl, func(t *testing.T) {
			if got, err := sqliteKind(tc.decl); err != nil || got != tc.want {
				t.Errorf("sqliteKind(%q) = %q, %v; want %q", tc.decl, got, err, tc.want)
			}
		})
	}
	if _, err := sqliteKind("NUMERIC"); err == nil {
		t.Error("an unknown SQLite type was accepted; its values could be carried wrongly")
	}
	if _, err := pgKind("inet"); err == nil {
		t.Error("an unknown PostgreSQL type was accepted")
	}
}

// TestBackupValues: what either driver returns becomes one Go type per kind, survives the
// archive's JSON form, and SQLite's nanoseconds and PostgreSQL's microseconds digest alike.
func TestBackupValues(t *testing.T) {
	at := time.Date(2026, 12, 4, 14, 30, 15, 123456789, time.UTC)
	cases := []struct {
		kind Kind
		in   any
		want any
	}{
		{KindInt, int64(4294967295), int64(4294967295)},
		{KindInt, []byte("42"), int64(42)},
		{KindFloat, 0.1, 0.1},
		{KindFloat, int64(3), 3.0},
		{KindBool, int64(1), true},
		{KindBool, false, false},
		{KindText, []byte("Łódź 🙂"), "Łódź 🙂"},
		{KindTime, at.In(time.FixedZone("CET", 3600)), at},
		{KindTime, "2026-12-04 14:30:15.123456789+00:00", at},
		{KindTime, "2026-12-04 14:30:15", at.Truncate(time.Second)},
		{KindBytes, []byte{0, 0xff, '%'}, []byte{0, 0xff, '%'}},
		{KindText, nil, nil},
	}
	for _, tc := range cases {
		t.Run(string(tc.kind), func(t *testing.T) {
			got, err := normalize(tc.kind, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(archiveValue(got))
			var raw any
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.UseNumber()
			dec.Decode(&raw)
			back, err := decodeValue(tc.kind, raw)
			if err != nil {
				t.Fatal(err)
			}
			if a, _ := json.Marshal(canonicalValue(back)); string(a) != mustJSON(canonicalValue(tc.want)) {
				t.Errorf("%v → %s → %v, want %v", tc.in, b, back, tc.want)
			}
		})
	}
	if _, err := normalize(KindTime, "yesterday"); err == nil {
		t.Error("a time column holding text that is no time was accepted")
	}
	var ns, us digester
	ns.add([]any{at})
	us.add([]any{at.Truncate(time.Microsecond)})
	if ns.sum() != us.sum() {
		t.Error("a SQLite time and its PostgreSQL copy digest differently")
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
