package assets

import (
	"bytes"
	"testing"
)

func TestProfilesLoad(t *testing.T) {
	ids := ProfileIDs()
	if len(ids) != 3 {
		t.Fatalf("profiles %v, want CA, NY, OH", ids)
	}
	ca, err := Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	if ca.ParticipantID.Length != 10 || ca.Remit.Lines[0] != "P.O. Box 989067" || ca.MaxFailures > 5 {
		t.Fatalf("CA profile off: %+v", ca)
	}
	ny, _ := Profile("NY")
	if ny.PINLength != 5 {
		t.Fatalf("NY PIN length %d, want 5 (seed 002)", ny.PINLength)
	}
	oh, _ := Profile("OH")
	if oh.ParticipantID.Length != 12 {
		t.Fatalf("OH Web ID length %d, want 12 (seed 003)", oh.ParticipantID.Length)
	}
	if _, err := Profile("ZZ"); err == nil {
		t.Fatal("unknown profile accepted")
	}
}

func TestFontsAreTrueType(t *testing.T) {
	for _, n := range []string{"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"} {
		b, err := Font(n)
		if err != nil {
			t.Fatal(err)
		}
		// gofpdf reads plain TrueType only: sfnt version 0x00010000, not OpenType CFF ("OTTO").
		if !bytes.HasPrefix(b, []byte{0, 1, 0, 0}) {
			t.Fatalf("%s is not plain TrueType", n)
		}
	}
}
