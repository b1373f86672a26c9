package cache

import (
	"database/sql"
	"errors"
	"time"

	"childsupportkiosk/app/domain"
)

// The day's counts (domain.Activity) are one sealed meta value, "activity": counts by UTC hour
// and by what was counted, for the last activityKeep. One value rather than a row an hour, so
// a stolen disk does not tell at which hours the kiosk was used.
const (
	activityMeta = "activity"
	activityKeep = 8 * 24 * time.Hour
)

// activityHours is the sealed value: the Unix hour, then what, then how many.
type activityHours map[int64]map[string]int

// countActivity adds one to what in the hour of at, inside tx, and forgets hours older than
// activityKeep. what "" counts nothing.
func (c *Cache) countActivity(tx *sql.Tx, at time.Time, what string) error {
	if what == "" {
		return nil
	}
	h, err := c.activityIn(tx)
	if err != nil {
		return err
	}
	hour := at.Unix() / 3600
	if h[hour] == nil {
		h[hour] = map[string]int{}
	}
	h[hour][what]++
	oldest := hour - int64(activityKeep/time.Hour)
	for k := range h {
		if k < oldest {
			delete(h, k)
		}
	}
	b, err := c.sealMeta(activityMeta, h)
	if err != nil {
		return err
	}
	return setMeta(sqlStore{tx}, activityMeta, b)
}

// activityIn is the counts kept so far, none before the first.
func (c *Cache) activityIn(q querier) (activityHours, error) {
	h := activityHours{}
	if err := c.readMetaIn(q, activityMeta, &h); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return h, nil
}

// Activity is what the kiosk counted from the hour of from up to to: sign-ins, prints, errors
// (domain.ActivityOf), never who. Hours are UTC hours, so from a local midnight in a time zone
// a whole number of hours from UTC, the counts are exactly that day's.
func (c *Cache) Activity(from, to time.Time) (domain.Activity, error) {
	if c.isClosed() {
		return domain.Activity{}, ErrClosed
	}
	h, err := c.activityIn(c.r)
	if err != nil {
		return domain.Activity{}, c.readErr(err)
	}
	a := domain.Activity{From: from, To: to, Counts: map[string]int{}}
	first, last := from.Unix()/3600, to.Unix()/3600
	for hour, counts := range h {
		if hour < first || hour > last {
			continue
		}
		for what, n := range counts {
			a.Counts[what] += n
		}
	}
	return a, nil
}
