package protocol

import (
	"bytes"
	"encoding/json"
	"testing"

	"childsupportkiosk/app/domain"
)

// A PIN item's data is the PIN update with its base beside it, flat; a kiosk from before bases
// sends the same without one.
func TestPINPushWireFormat(t *testing.T) {
	base := int64(7)
	b, err := json.Marshal(PINPush{PINUpdate: domain.PINUpdate{Participant: "1000000001",
		PIN: domain.PIN{Verifier: "$argon2id$x", Version: 8}}, Base: &base})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"participant":"1000000001","pin":{"verifier":"$argon2id$x","version":8},"base":7}`; string(b) != want {
		t.Fatalf("PINPush is %s, want %s", b, want)
	}
	for _, c := range []struct {
		data string
		base *int64
	}{
		{`{"participant":"1","pin":{"version":8},"base":7}`, &base},
		{`{"participant":"1","pin":{"version":8}}`, nil},
	} {
		var p PINPush
		dec := json.NewDecoder(bytes.NewReader([]byte(c.data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("%s: %v", c.data, err)
		}
		if p.Participant != "1" || p.PIN.Version != 8 || (p.Base == nil) != (c.base == nil) || p.Base != nil && *p.Base != *c.base {
			t.Fatalf("%s: %+v", c.data, p)
		}
	}
	s, _ := json.Marshal(StaffPush{StaffUpdate: domain.StaffUpdate{Staff: "S1", Password: domain.PIN{Failures: 1, Version: 3}}, Base: &base})
	if want := `{"staff":"S1","password":{"failures":1,"version":3},"base":7}`; string(s) != want {
		t.Fatalf("StaffPush is %s, want %s", s, want)
	}
}
