package domain_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/assets"
)

// The links of every shipped profile go where their titles say: each tutorial video and the
// "pay online" page is an https page of its own, titled in every language, and never the
// agency's home page (California's videos opened the sign-in page and the home page).
func TestShippedProfileLinks(t *testing.T) {
	cat, err := i18n.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"CA", "NY", "OH"} {
		p, err := assets.Profile(id)
		if err != nil {
			t.Fatal(err)
		}
		home := strings.TrimRight(p.Contacts.Website, "/")
		seen := map[string]bool{}
		links := append([]domain.Link(nil), p.Videos...)
		if p.Remit.Website == "" {
			t.Errorf("%s: no pay-online page", id)
		}
		links = append(links, domain.Link{TitleKey: "ui.pay.website", URL: p.Remit.Website})
		for _, l := range links {
			u, err := url.Parse(l.URL)
			if err != nil || u.Scheme != "https" || u.Host == "" {
				t.Errorf("%s: %q is not an https address", id, l.URL)
			}
			if strings.TrimRight(l.URL, "/") == home || u.Path == "" || u.Path == "/" {
				t.Errorf("%s: %s opens the home page %q", id, l.TitleKey, l.URL)
			}
			if seen[strings.TrimRight(l.URL, "/")] {
				t.Errorf("%s: %q is shown twice", id, l.URL)
			}
			seen[strings.TrimRight(l.URL, "/")] = true
			for _, lang := range cat.Languages() {
				if !cat.Lang(lang).Has(l.TitleKey) {
					t.Errorf("%s: %s has no title in %s", id, l.TitleKey, lang)
				}
			}
		}
	}
}

// A profile whose video is empty, not https, the home page (however written) or a second copy
// of another link, or whose pay-online page is the home page, is refused.
func TestProfileRefusesMisleadingLinks(t *testing.T) {
	base, err := assets.Profile("CA")
	if err != nil {
		t.Fatal(err)
	}
	if err := base.Check(); err != nil {
		t.Fatalf("the shipped profile: %v", err)
	}
	home := base.Contacts.Website // https://childsupport.ca.gov
	video := func(u string) func(*domain.Profile) {
		return func(p *domain.Profile) {
			p.Videos = append([]domain.Link{{TitleKey: "video.customer_connect", URL: u}}, p.Videos[1:]...)
		}
	}
	for name, edit := range map[string]func(*domain.Profile){
		"empty video":             video(""),
		"blank video":             video("  "),
		"video at the home page":  video(home),
		"home page with a slash":  video(home + "/"),
		"home page with www":      video("https://www.childsupport.ca.gov/"),
		"home page in capitals":   video("https://ChildSupport.CA.gov"),
		"video over http":         video("http://childsupport.ca.gov/customer-connect/"),
		"video with no host":      video("https:///customer-connect/"),
		"untitled video":          func(p *domain.Profile) { p.Videos[0].TitleKey = "" },
		"the same video twice":    func(p *domain.Profile) { p.Videos = append(p.Videos, p.Videos[0]) },
		"pay online is home":      func(p *domain.Profile) { p.Remit.Website = home + "/" },
		"pay online is a video":   func(p *domain.Profile) { p.Remit.Website = p.Videos[0].URL },
		"pay online is not https": func(p *domain.Profile) { p.Remit.Website = "ftp://childsupport.ca.gov/pay" },
	} {
		p := base
		p.Videos = append([]domain.Link(nil), base.Videos...)
		edit(&p)
		if err := p.Check(); !errors.Is(err, domain.ErrBadProfile) {
			t.Errorf("%s: Check = %v, want a bad profile", name, err)
		}
	}
	// Fewer codes is fine: an agency without a tutorial video page has no videos.
	p := base
	p.Videos = nil
	if err := p.Check(); err != nil {
		t.Errorf("no videos: %v", err)
	}
}
