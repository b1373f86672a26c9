package namefold

import "testing"

func TestFoldAndMatch(t *testing.T) {
	for in, want := range map[string]string{
		"José Núñez-Lefèvre": "jose nunez lefevre",
		"  Chloë   Çelik ":   "chloe celik",
		"O'Brien, Anne":      "o brien anne",
		"Nguyễn Thị Ánh":     "nguyen thi anh",
		"":                   "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	name := Fold("José Núñez-Lefèvre")
	for q, want := range map[string]bool{"nun jo": true, "lef": true, "NÚÑ": true, "jose x": false, "": false, "ez": false} {
		if got := Matches(name, Fold(q)); got != want {
			t.Errorf("Matches(%q, %q) = %v", name, q, got)
		}
	}
}
