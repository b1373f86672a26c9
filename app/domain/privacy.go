package domain

// The privacy rules of what a person may see live here, and every path reads a participant's
// cases through them: the screens (app/session), every printed kind (ReadRecords), the staff
// screens and kioskctl. Nothing outside this package calls CaseFile.Cases directly; a test in
// app/domain walks the source tree to hold that.

// CasesOf reads a participant's cases with the privacy rules applied (Shield).
func CasesOf(cf CaseFile, participant string) ([]Case, error) {
	cs, err := cf.Cases(participant)
	if err != nil {
		return nil, err
	}
	return Shield(cs), nil
}

// Shield applies the family-violence rule to one person's cases: when any of them carries the
// indicator, no case names the other party, on screen or on paper, and every case is marked
// Shielded. A survivor's other cases may be with the same other parent under another number,
// or with someone who would pass the name on; hiding only the flagged case would still show
// the name. The cases are copied; the caller's slice is left as it was.
func Shield(cs []Case) []Case {
	out := make([]Case, len(cs))
	copy(out, cs)
	if !AnyFamilyViolence(out) {
		return out
	}
	for i := range out {
		out[i].OtherParty = ""
		out[i].Shielded = true
	}
	return out
}

// AnyFamilyViolence reports whether any of a person's cases carries the indicator.
func AnyFamilyViolence(cs []Case) bool {
	for _, c := range cs {
		if c.FamilyViolence {
			return true
		}
	}
	return false
}

// OtherPartyShown reports whether anything about another parent may be shown for this person
// at all (the Other Party screen, a name on a statement): never when any case carries the
// family-violence indicator, nor when no case names one.
func OtherPartyShown(cs []Case) bool {
	if AnyFamilyViolence(cs) {
		return false
	}
	for _, c := range cs {
		if c.ShowOtherParty() {
			return true
		}
	}
	return false
}

// ShieldedParticipant reports whether the family-violence rule hides every other party of
// participant pid, given the agency's records of the participant's cases: the case server
// applies it to each case view before it leaves, so that the name reaches no kiosk.
func ShieldedParticipant(pid string, records []CaseRecord) bool {
	for _, r := range records {
		if !r.FamilyViolence {
			continue
		}
		for _, p := range r.Parties {
			if p.Participant == pid && pid != "" {
				return true
			}
		}
	}
	return false
}
