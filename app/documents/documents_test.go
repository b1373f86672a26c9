package documents

import "testing"

// The list names each kind once, each with a title; a kind that is not on it prints nowhere.
func TestList(t *testing.T) {
	seen := map[Kind]bool{}
	roll := 0
	for _, e := range All() {
		if seen[e.Kind] || e.Kind == "" || e.Title == "" {
			t.Errorf("entry %+v", e)
		}
		seen[e.Kind] = true
		if e.Kind.OnRoll() != e.Roll {
			t.Errorf("%s: OnRoll %v, entry %v", e.Kind, e.Kind.OnRoll(), e.Roll)
		}
		if e.Roll {
			roll++
		}
	}
	if len(seen) != 8 || roll != 4 {
		t.Errorf("%d kinds, %d on the roll", len(seen), roll)
	}
	if _, ok := Of("tax_return"); ok || Kind("tax_return").OnRoll() {
		t.Error("an unknown kind is on the list")
	}
	a := All()
	a[0].Roll = !a[0].Roll
	if All()[0].Roll == a[0].Roll {
		t.Error("All hands out the list itself")
	}
}
