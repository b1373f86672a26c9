package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"childsupportkiosk/assets"
)

// qrLinks are the QR codes on screen, by the name of their picture, which qr makes from the
// link's hash.
func qrLinks(r *rig) []string {
	var out []string
	walk(r.c, func(o fyne.CanvasObject, visible bool) {
		if img, ok := o.(*canvas.Image); ok && visible && img.Resource != nil && strings.HasPrefix(img.Resource.Name(), "qr-") {
			out = append(out, img.Resource.Name())
		}
	})
	slices.Sort(out)
	return out
}

func qrName(url string) string {
	sum := sha256.Sum256([]byte(url))
	return "qr-" + hex.EncodeToString(sum[:6]) + ".png"
}

// The Help screen shows the profile's tutorial videos and no other code, and Make a payment
// shows the profile's pay-online page: for each agency, only the links its profile names (an
// agency with no tutorial video page shows none, rather than a code to its home page).
func TestScreensShowOnlyTheProfilesLinks(t *testing.T) {
	r := newRig(t, shared(t))
	s := r.s["noncustodial"]
	r.signIn(t, s.Participant, s.PIN)
	saved := r.k.prof
	defer func() { r.k.prof = saved }()
	for _, id := range []string{"CA", "NY", "OH"} {
		p, err := assets.Profile(id)
		if err != nil {
			t.Fatal(err)
		}
		r.k.prof = p
		var videos []string
		for _, v := range p.Videos {
			videos = append(videos, qrName(v.URL))
			if v.URL == p.Contacts.Website {
				t.Errorf("%s: a video opens the home page", id)
			}
		}
		slices.Sort(videos)
		r.k.show(scrHelp)
		if got := qrLinks(r); !slices.Equal(got, videos) {
			t.Errorf("%s: Help shows codes %v, want the profile's videos %v", id, got, videos)
		}
		if len(p.Videos) == 0 {
			mustNotHave(t, r.c, r.tr("ui.help.videos"))
		}
		for _, v := range p.Videos {
			mustHave(t, r.c, r.tr(v.TitleKey))
		}
		r.k.show(scrPay)
		if got, want := qrLinks(r), []string{qrName(p.Remit.Website)}; !slices.Equal(got, want) {
			t.Errorf("%s: Make a payment shows codes %v, want the pay-online page %v", id, got, want)
		}
	}
}
