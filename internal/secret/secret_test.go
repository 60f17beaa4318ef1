package secret

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", Fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$") || strings.Contains(h, "horse") {
		t.Fatalf("hash %q", h)
	}
	if !CheckPassword(h, "correct horse battery staple") {
		t.Error("right password refused")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple"} {
		if CheckPassword(h, wrong) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	h2, _ := HashPassword("correct horse battery staple", Fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=x$a$b", "$bcrypt$..."} {
		if CheckPassword(bad, "x") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken("rw_"), NewToken("rw_")
	if a == b || !strings.HasPrefix(a, "rw_") || len(a) != 3+43 {
		t.Fatalf("tokens %q %q", a, b)
	}
	ha, again := HashToken(a), HashToken(a)
	if ha == HashToken(b) || len(ha) != 64 || ha != again {
		t.Error("token hashes")
	}
	if CheckStrength("short") == nil || CheckStrength("twelve chars") != nil {
		t.Error("strength")
	}
}
