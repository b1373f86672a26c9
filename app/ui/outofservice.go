package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/i18n"
	"childsupportkiosk/sync/syncstate"
)

// Out of service: when the case server withdraws a kiosk (HTTP 410 to a sync), the sync client
// wipes the cache and the sync reports domain.ErrRevoked. The kiosk then drops whoever is at
// the screen — a parent, staff, an assisted session — empties every screen it built, the kept
// parts too, and shows the out-of-service screen for good: in every language of the profile at
// once, since nobody has chosen one, with the reason for staff. It takes no key and offers no
// sign-in. A kiosk restarted on the wiped directory shows the same screen (ShowOutOfService).

// SyncOutcome hears the outcome of every sync of this kiosk's cache: cmd/kiosk hands it the
// background sync's (client.Client.Run's done callback), and staff's Sync now reports through
// it too. A withdrawal takes the kiosk out of service. It may be called from any goroutine but
// the UI's own: the change is handed over through the bridge.
func (k *Kiosk) SyncOutcome(res syncstate.Result, err error) {
	if !errors.Is(err, domain.ErrRevoked) {
		return
	}
	at := res.Started
	if at.IsZero() {
		at = k.mgr.Now()
	}
	k.bridge.deliver(func() { k.goOutOfService(at) })
}

// goOutOfService ends every session and shows the out-of-service screen from now on.
func (k *Kiosk) goOutOfService(at time.Time) {
	if k.withdrawn {
		return
	}
	k.withdrawn, k.revokedAt = true, at
	k.bridge.stopTicking()
	// The parts kept from screen to screen go with the rest: with nothing kept, the last
	// screen is emptied whole when the out-of-service screen replaces it (scrub.go).
	k.head, k.pad, k.navc, k.foot = keptPart{}, keptPart{}, keptPart{}, keptPart{}
	k.warn, k.warnKey = nil, ""
	if k.staff != nil {
		k.endStaff(scrOutOfService, "")
	} else {
		k.signOut(scrOutOfService, "")
	}
	k.st = staffState{} // a half-typed staff sign-in too
	if k.o.OutOfService != nil {
		k.o.OutOfService(at)
	}
}

// outOfServiceScreen is the running kiosk's out-of-service screen.
func (k *Kiosk) outOfServiceScreen() fyne.CanvasObject {
	return outOfServiceView(k.o.Catalog, k.prof.Languages, k.local(k.revokedAt), k.revokedAt.IsZero())
}

// outOfServiceView says, in each of langs side by side, that the kiosk is out of service and
// why; at is the day the withdrawal was heard, in the agency's time, unless undated.
func outOfServiceView(cat *i18n.Catalog, langs []string, at time.Time, undated bool) fyne.CanvasObject {
	if len(langs) == 0 {
		langs = cat.Languages()
	}
	cols := make([]fyne.CanvasObject, 0, len(langs))
	for _, code := range langs {
		l := cat.Lang(code)
		reason := l.T("ui.out_of_service.staff_undated")
		if !undated {
			reason = l.T("ui.out_of_service.staff", "date", l.LongDate(domain.DateOf(at)))
		}
		cols = append(cols, container.NewVBox(
			heading(l.T("ui.out_of_service.title")),
			text(l.T("ui.out_of_service.explain")),
			widget.NewSeparator(),
			boldLabel(l.T("ui.out_of_service.for_staff")),
			text(reason)))
	}
	icon := widget.NewIcon(theme.WarningIcon())
	top := container.NewCenter(sized(96, 96, icon))
	if len(cols) > 4 {
		// Eight languages do not stand side by side on a 1280 px screen: four to a row, the
		// rows scrolled.
		grid := container.NewGridWithColumns(4, cols...)
		return container.NewPadded(container.NewVScroll(container.NewVBox(top, grid)))
	}
	body := container.NewVBox(layout.NewSpacer(), top, container.NewGridWithColumns(len(cols), cols...), layout.NewSpacer())
	return container.NewPadded(body)
}

// OutOfServiceOptions say how a kiosk started on a wiped data directory shows that it is out
// of service.
type OutOfServiceOptions struct {
	Catalog   *i18n.Catalog
	Languages []string // of the profile, when known; all the catalog's when empty
	// At is when the withdrawal was heard; zero when not known (the screen then gives no day).
	At       time.Time
	Location *time.Location // the agency's time zone; the machine's when nil
}

// ShowOutOfService shows the out-of-service screen in w, for a kiosk that starts after the case
// server withdrew it: nothing to unlock or sign in to, until it is enrolled again.
func ShowOutOfService(w fyne.Window, o OutOfServiceOptions) error {
	if o.Catalog == nil {
		return errors.New("ui: Catalog is required")
	}
	loc := o.Location
	if loc == nil {
		loc = time.Local
	}
	fyne.CurrentApp().Settings().SetTheme(&kioskTheme{})
	w.Canvas().SetOnTypedRune(nil)
	w.Canvas().SetOnTypedKey(nil)
	w.SetContent(outOfServiceView(o.Catalog, o.Languages, o.At.In(loc), o.At.IsZero()))
	return nil
}

// watchedSyncer is staff's Syncer, reporting each outcome of Sync now to the kiosk: a
// withdrawal heard there takes the kiosk out of service as one heard in the background does.
type watchedSyncer struct {
	Syncer
	k *Kiosk
}

func (s watchedSyncer) Sync(ctx context.Context) (syncstate.Result, error) {
	res, err := s.Syncer.Sync(ctx)
	s.k.SyncOutcome(res, err)
	return res, err
}
