// Package assets embeds what the kiosk ships besides code: the agency profiles
// (profiles/*.json) and the TrueType fonts for printed documents (fonts/). Profiles are parsed
// and checked here, once, so a broken profile stops the program at start with its reason.
package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"childsupportkiosk/app/domain"
)

//go:embed profiles/*.json
var profileFS embed.FS

//go:embed fonts/*.ttf
var fontFS embed.FS

var (
	loadOnce sync.Once
	profiles map[string]domain.Profile
	loadErr  error
)

func load() {
	profiles = map[string]domain.Profile{}
	names, err := fs.Glob(profileFS, "profiles/*.json")
	if err != nil {
		loadErr = err
		return
	}
	for _, n := range names {
		b, err := profileFS.ReadFile(n)
		if err != nil {
			loadErr = err
			return
		}
		p, err := domain.ParseProfile(b)
		if err != nil {
			loadErr = fmt.Errorf("%s: %w", n, err)
			return
		}
		if want := strings.TrimSuffix(strings.TrimPrefix(n, "profiles/"), ".json"); p.ID != want {
			loadErr = fmt.Errorf("%s: id %q does not match the file name", n, p.ID)
			return
		}
		profiles[p.ID] = p
	}
}

// Profile returns the shipped agency profile with the given ID ("CA", "NY", "OH").
func Profile(id string) (domain.Profile, error) {
	loadOnce.Do(load)
	if loadErr != nil {
		return domain.Profile{}, loadErr
	}
	p, ok := profiles[id]
	if !ok {
		return domain.Profile{}, fmt.Errorf("%w: no agency profile %q (shipped: %s)", domain.ErrBadProfile, id,
			strings.Join(ProfileIDs(), ", "))
	}
	return p, nil
}

// ProfileIDs lists the shipped profiles, sorted.
func ProfileIDs() []string {
	loadOnce.Do(load)
	ids := make([]string, 0, len(profiles))
	for id := range profiles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Font returns the bytes of a shipped TrueType font: "NotoSans-Regular.ttf" or
// "NotoSans-Bold.ttf".
func Font(name string) ([]byte, error) { return fontFS.ReadFile("fonts/" + name) }
