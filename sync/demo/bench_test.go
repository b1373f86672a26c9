package demo_test

import (
	"testing"

	"childsupportkiosk/sync/demo"
)

func BenchmarkGenerateLarge(b *testing.B) {
	for b.Loop() {
		if _, _, err := demo.Generate(demo.Options{Seed: 1, Offices: 1, Participants: 10000}); err != nil {
			b.Fatal(err)
		}
	}
}
