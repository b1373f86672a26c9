package ui

import (
	"crypto/sha256"
	"encoding/hex"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	qrcode "github.com/skip2/go-qrcode"
)

// qr draws a QR code of a public link (a tutorial video, a form, the agency's site) with its
// title, for a phone to open later. Links come from the agency profile, never from a person.
func qr(url, title string) fyne.CanvasObject {
	png, err := qrcode.Encode(url, qrcode.Medium, 320)
	if err != nil {
		return text(title)
	}
	sum := sha256.Sum256([]byte(url))
	img := canvas.NewImageFromResource(fyne.NewStaticResource("qr-"+hex.EncodeToString(sum[:6])+".png", png))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(180, 180))
	label := text(title)
	label.Alignment = fyne.TextAlignCenter
	return container.NewVBox(img, label)
}
