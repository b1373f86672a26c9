package pdf

import (
	"fmt"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
	"childsupportkiosk/app/session"
)

// source is what a kind's maker reads: the maker, the kiosk's records, the job and the
// office's today.
type source struct {
	m     Maker
	cf    domain.CaseFile
	job   documents.Job
	today domain.Date
}

// makers holds each printed kind's maker; each kind's file registers its own, and a test holds
// that every kind of documents.All has one.
var makers = map[documents.Kind]func(source) (Document, error){}

func register(kind documents.Kind, maker func(source) (Document, error)) {
	if _, dup := makers[kind]; dup {
		panic("pdf: two makers for " + string(kind))
	}
	makers[kind] = maker
}

// Make makes the document of job: the one path from a print job to its PDF, for the screens
// (through uiprint) and for kioskctl. What shows a person's statements reads their records
// through domain.ReadRecords, with the domain's privacy rules.
func (m Maker) Make(cf domain.CaseFile, job documents.Job) (Document, error) {
	maker, ok := makers[job.Kind]
	if !ok {
		return Document{}, fmt.Errorf("pdf: no document of the kind %q", job.Kind)
	}
	return maker(source{m: m, cf: cf, job: job, today: domain.DateOf(m.now().In(m.location()))})
}

// records is the job's participant's records, read with the domain's privacy rules.
func (s source) records() (domain.Records, error) {
	return domain.ReadRecords(s.cf, s.job.Participant.ID)
}

// line is a row of the Payments screen as a statement line.
func line(r session.Row) (domain.StatementLine, bool) {
	switch {
	case r.Made != nil:
		return domain.LineOfPayment(*r.Made), true
	case r.Received != nil:
		return domain.LineOfDisbursement(*r.Received), true
	}
	return domain.StatementLine{}, false
}
