package cache

import (
	"fmt"
	"strings"
	"testing"

	"childsupportkiosk/app/i18n"
)

// A person who tries to sign in during the first sync is told what is happening, in every
// language, not "something went wrong".
func TestInitialSyncTranslated(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range cat.Languages() {
		lang := cat.Lang(l)
		got := lang.Problem(fmt.Errorf("reading: %w", ErrInitialSync))
		if got == lang.T("problem.unexpected") || strings.Contains(got, "⟦") {
			t.Errorf("%s: initial sync shows %q", l, got)
		}
	}
}
