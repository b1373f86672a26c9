// Package translations embeds the kiosk's text in every language it ships, one JSON file per
// language (en.json, es.json, fr.json, zh-Hans.json, zh-Hant.json, vi.json, ko.json, tl.json):
// every string a person reads, on screen or on paper, comes from here.
package translations

import "embed"

// FS holds the *.json translation files.
//
//go:embed *.json
var FS embed.FS
