package pdf

import (
	"bytes"
	"strconv"

	"github.com/phpdave11/gofpdf"

	"childsupportkiosk/app/documents"
	"childsupportkiosk/app/domain"
)

func init() {
	register(documents.SignInCard, func(s source) (Document, error) {
		p := s.job.Participant
		return s.m.SignInCard(Card{ParticipantID: p.ID, ParticipantName: p.Name})
	})
}

// Card is a sign-in card: who it belongs to, and the participant ID its QR code holds. It
// never carries a PIN.
type Card struct {
	ParticipantID   string
	ParticipantName string
}

// SignInCard makes a sign-in card on the 80 mm roll: the agency, the participant's name, a QR
// code of the participant ID for the kiosk's scanner, the ID masked but for its last four
// digits, and that the card is not a PIN.
func (m Maker) SignInCard(c Card) (Document, error) {
	l := m.Lang
	d, err := m.newDoc(documents.SignInCard, l.T("doc.title.card"))
	if err != nil {
		return Document{}, err
	}
	const size = 38.0 // mm: a scanner reads it from a hand's distance
	var qrErr error
	b, err := d.run(func() {
		d.rollHead(d.title)
		d.setFont("B", 12)
		d.para(d.lh(), "C", c.ParticipantName)
		d.gap(2)
		if !d.dry {
			img, err := registerQR(d.f, c.ParticipantID)
			if err != nil {
				qrErr = err
				return
			}
			d.f.ImageOptions(img, (d.w-size)/2, d.y, size, size, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		}
		d.y += size + 1
		d.setFont("", 9)
		d.para(d.lh(), "C", d.field(l.T(m.Profile.ParticipantID.NameKey), domain.MaskID(c.ParticipantID)))
		d.gap(1.5)
		d.setFont("B", 9)
		d.para(d.lh(), "C", l.T("doc.card.scan"))
		d.gap(1)
		d.setFont("", 8)
		d.para(d.lh(), "C", l.T("doc.card.lost"))
		d.rollRule()
		d.setFont("", 7.5)
		d.para(d.lh(), "C", d.contactsLine())
	})
	if err == nil {
		err = qrErr
	}
	return Document{Kind: documents.SignInCard, Bytes: b}, err
}

// PageCount reads the number of pages from the document's page tree.
func (doc Document) PageCount() int {
	b := doc.Bytes
	i := bytes.Index(b, []byte("/Type /Pages"))
	if i < 0 {
		return 0
	}
	j := bytes.Index(b[i:], []byte("/Count "))
	if j < 0 {
		return 0
	}
	rest := b[i+j+len("/Count "):]
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	count, _ := strconv.Atoi(string(rest[:n]))
	return count
}
