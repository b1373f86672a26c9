package ui

import (
	"slices"

	"childsupportkiosk/app/session"
)

// The person's own language: the agency's export may say which language a participant reads
// (domain.Participant.Language). At sign-in the kiosk switches to it when the profile offers
// it, unless the person picked a language on the screen before signing in, which is their
// choice at this moment. The language buttons still switch, and every sign-out (Quick Exit, a
// time-out) returns the kiosk to its own language for the next person.

// speakTheirLanguage switches to the signed-in person's preferred language, where it applies.
func (k *Kiosk) speakTheirLanguage(s *session.Session) {
	if k.langChosen || s == nil {
		return
	}
	code := s.Participant().Language
	if code == "" || code == k.lang.Code() || !slices.Contains(k.prof.Languages, code) ||
		!slices.Contains(k.o.Catalog.Languages(), code) {
		return
	}
	k.lang = k.o.Catalog.Lang(code)
}
