package session

import (
	"sort"

	"childsupportkiosk/app/domain"
)

// PageSize is how many payments one page lists, as on Customer Connect.
const PageSize = 20

// Side tells payments a person made from payments a person received.
type Side string

// The two lists of the Payments screen.
const (
	Made     Side = "made"     // "Payments I Made": the person pays support
	Received Side = "received" // "Payments I Received": disbursements to the person
)

// Row is one line of a payments list: a payment made or a disbursement received.
type Row struct {
	Date   domain.Date
	Amount domain.Cents
	Source domain.Source
	Case   string
	// Made is set for a payment the person made; Received for a disbursement.
	Made     *domain.Payment
	Received *domain.Disbursement
}

// Page is one page of a payments list with its filter.
type Page struct {
	Side   Side
	Year   int // 0: every year
	Number int // 1-based
	Pages  int // at least 1
	Rows   []Row
	Count  int          // rows in the filter, on all pages
	Total  domain.Cents // of the rows in the filter
	Years  []int        // years with payments, newest first
}

// Sides lists the payment lists the person has, by role: a person can be both.
func (s *Session) Sides() []Side {
	pays, receives := s.Roles()
	var out []Side
	if pays {
		out = append(out, Made)
	}
	if receives {
		out = append(out, Received)
	}
	return out
}

func (s *Session) rows(side Side) ([]Row, error) {
	switch side {
	case Made:
		err := s.load("made", func(id string) error {
			ps, err := s.m.store.PaymentsMade(id)
			if err != nil {
				return err
			}
			sort.SliceStable(ps, func(i, j int) bool { return ps[j].Received.Before(ps[i].Received) })
			s.mu.Lock()
			s.made = ps
			s.mu.Unlock()
			return nil
		})
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		out := make([]Row, len(s.made))
		for i := range s.made {
			p := &s.made[i]
			out[i] = Row{Date: p.Received, Amount: p.Amount, Source: p.Source, Case: p.Case, Made: p}
		}
		return out, nil
	case Received:
		err := s.load("received", func(id string) error {
			ds, err := s.m.store.PaymentsReceived(id)
			if err != nil {
				return err
			}
			sort.SliceStable(ds, func(i, j int) bool { return ds[j].Date.Before(ds[i].Date) })
			s.mu.Lock()
			s.received = ds
			s.mu.Unlock()
			return nil
		})
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		out := make([]Row, len(s.received))
		for i := range s.received {
			d := &s.received[i]
			out[i] = Row{Date: d.Date, Amount: d.Amount, Source: d.Source, Case: d.Case, Received: d}
		}
		return out, nil
	}
	return nil, domain.ErrNotFound
}

// Payments returns page number (1-based) of one side's list, newest first, filtered to year
// (0 for every year). A page past the end gives the last page.
func (s *Session) Payments(side Side, year, number int) (Page, error) {
	all, err := s.rows(side)
	if err != nil {
		return Page{}, err
	}
	pg := Page{Side: side, Year: year}
	seen := map[int]bool{}
	var in []Row
	for _, r := range all {
		if !seen[r.Date.Year] {
			seen[r.Date.Year] = true
			pg.Years = append(pg.Years, r.Date.Year)
		}
		if year == 0 || r.Date.Year == year {
			in = append(in, r)
			pg.Total += r.Amount
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(pg.Years)))
	pg.Count = len(in)
	pg.Pages = max(1, (len(in)+PageSize-1)/PageSize)
	pg.Number = min(max(number, 1), pg.Pages)
	from := (pg.Number - 1) * PageSize
	pg.Rows = in[from:min(from+PageSize, len(in))]
	return pg, nil
}
