package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// sqliteTimeFormats are the text forms a SQLite DATETIME column may hold (the driver's own
// first, then what SQL functions such as datetime('now') produce).
var sqliteTimeFormats = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	time.RFC3339Nano,
}

// normalize turns a value read by either driver into the one Go type of its kind: int64,
// float64, string, bool, time.Time (UTC), []byte, or nil.
func normalize(k Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case KindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case float64:
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		case []byte:
			return strconv.ParseInt(string(x), 10, 64)
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case KindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		case []byte:
			return strconv.ParseFloat(string(x), 64)
		case string:
			return strconv.ParseFloat(x, 64)
		}
	case KindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64, float64, bool:
			return fmt.Sprint(x), nil
		}
	case KindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case []byte:
			return strconv.ParseBool(string(x))
		case string:
			return strconv.ParseBool(x)
		}
	case KindTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case []byte:
			return parseTime(string(x))
		case string:
			return parseTime(x)
		case int64:
			return time.Unix(x, 0).UTC(), nil
		}
	case KindBytes:
		switch x := v.(type) {
		case []byte:
			return bytes.Clone(x), nil
		case string:
			return []byte(x), nil
		}
	}
	return nil, fmt.Errorf("a %T value in a %s column", v, k)
}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSuffix(s, "Z")
	for _, f := range sqliteTimeFormats {
		if t, err := time.Parse(f, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// archiveValue is the JSON form of a normalised value in the archive: times in RFC 3339 with
// every digit the source kept, bytes in base64 (encoding/json's form for []byte).
func archiveValue(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.Format(time.RFC3339Nano)
	}
	return v
}

// canonicalValue is the form the content digest covers: like the archive's, but times cut to
// microseconds, PostgreSQL's precision, so a SQLite database and its PostgreSQL copy agree.
func canonicalValue(v any) any {
	if t, ok := v.(time.Time); ok {
		return t.Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
	}
	return v
}

// decodeValue reads one archive value of kind k (the decoder uses json.Number for numbers).
func decodeValue(k Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case KindInt:
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
	case KindFloat:
		if n, ok := v.(json.Number); ok {
			return n.Float64()
		}
	case KindText:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case KindBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case KindTime:
		if s, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339Nano, s)
			return t.UTC(), err
		}
	case KindBytes:
		if s, ok := v.(string); ok {
			return base64.StdEncoding.DecodeString(s)
		}
	}
	return nil, fmt.Errorf("%T is not a %s value", v, k)
}

// digester computes a table's content digest: the SHA-256 of the sorted SHA-256 sums of its
// rows' canonical forms, so neither the row order nor the dialect changes it.
type digester struct {
	sums [][sha256.Size]byte
	buf  []any
}

func (d *digester) add(row []any) error {
	d.buf = d.buf[:0]
	for _, v := range row {
		d.buf = append(d.buf, canonicalValue(v))
	}
	b, err := json.Marshal(d.buf)
	if err != nil {
		return err
	}
	d.sums = append(d.sums, sha256.Sum256(b))
	return nil
}

func (d *digester) sum() string {
	sort.Slice(d.sums, func(i, j int) bool { return bytes.Compare(d.sums[i][:], d.sums[j][:]) < 0 })
	h := sha256.New()
	for i := range d.sums {
		h.Write(d.sums[i][:])
	}
	return hex.EncodeToString(h.Sum(nil))
}
