// Package posixlocale replaces a "C" or "POSIX" locale by English before Fyne reads it: Fyne
// parses the locale while its packages initialise and logs an error for "C". Imported for its
// effect only; it must not import Fyne, so that Go initialises it first (packages are
// initialised in import-path order once their own imports are ready).
package posixlocale

import (
	"os"
	"strings"
)

func init() {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		switch l := os.Getenv(v); {
		case l == "C", l == "POSIX", strings.HasPrefix(l, "C."), strings.HasPrefix(l, "POSIX."):
			os.Setenv(v, "en_US.UTF-8")
		}
	}
}
