// Package archtest holds one test: the rules of ARCHITECTURE.md on which package may depend on
// which, checked against the build graph (go list), so that a room that imports what it must
// not fails the tests instead of waiting for a review.
package archtest
