package pdf

import (
	"bytes"
	"strings"
	"testing"

	"childsupportkiosk/app/domain"
)

// A yearly statement in Chinese, Korean and Vietnamese reads back, through pdftotext, with its
// text in the language's script (so the glyphs were embedded, with a working character map),
// the participant's accented Latin name set in Noto Sans beside it, amounts and dates written
// the language's way, and each font embedded as a subset.
func TestYearlyStatementThresholdLanguages(t *testing.T) {
	r := unflagged(records(52))
	s := r.Yearly(2024, day(2025, 1, 15))
	for _, tc := range []struct {
		lang    string
		want    []string
		maxSize int
	}{
		{"zh-Hant", []string{"2024年付款對帳單", "案件A-100", "2024年1月小計", "收入扣繳令", "聯邦退稅抵銷",
			"María José Nuñez-Çelik", "另一方：Luis Pérez", "$6,767.80", "$1,686.25", "資料截至2025年1月14日 下午2:05",
			"不是應稅收入", "第1頁，共"}, 160_000},
		{"zh-Hans", []string{"2024年付款对账单", "案件A-100", "收入扣缴令", "María José Nuñez-Çelik", "$6,767.80",
			"第1页，共"}, 160_000},
		{"ko", []string{"2024년 지불 명세서", "사건 A-100", "2024년 1월 소계", "소득 원천징수 명령", "연방 세금 환급금 상계",
			"María José Nuñez-Çelik", "상대방: Luis Pérez", "$6,767.80", "2025년 1월 14일 오후 2:05", "과세 소득이 아니며"},
			160_000},
		{"vi", []string{"Bản kê các khoản tiền năm 2024", "Hồ sơ A-100", "Cộng tháng 1 năm 2024", "Lệnh khấu trừ thu nhập",
			"Khấu trừ từ tiền hoàn thuế liên bang", "María José Nuñez-Çelik", "Bên kia: Luis Pérez", "$6,767.80",
			"ngày 14 tháng 1 năm 2025 lúc 14:05", "không phải là thu nhập chịu thuế"}, 160_000},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			doc, err := maker(t, tc.lang, "CA").YearlyStatement(s)
			if err != nil {
				t.Fatal(err)
			}
			save(t, "yearly-"+tc.lang+".pdf", doc.Bytes)
			t.Logf("%s: %d bytes", tc.lang, len(doc.Bytes))
			text := pdfText(t, doc.Bytes)
			contains(t, text, tc.want...)
			lacks(t, text, "⟦", "Jorge", "1234567890")
			if len(doc.Bytes) > tc.maxSize {
				t.Errorf("%d bytes: the fonts are not embedded as subsets", len(doc.Bytes))
			}
			if n := bytes.Count(doc.Bytes, []byte("/FontFile2")); n < 1 {
				t.Errorf("no embedded TrueType font")
			}
		})
	}
}

// A receipt on the roll in Korean: one weight, bold stroked, the Hangul read back.
func TestReceiptKorean(t *testing.T) {
	m := maker(t, "ko", "CA")
	r := records(1)
	doc, err := m.PaymentReceipt(Receipt{ParticipantID: r.Participant.ID, ParticipantName: r.Participant.Name,
		Line: domain.LineOfPayment(r.Made[0]), DataAsOf: r.DataAsOf})
	if err != nil {
		t.Fatal(err)
	}
	text := rollText(t, doc.Bytes)
	contains(t, text, "지불 영수증", "$130.15", "소득 원천징수 명령")
	if strings.Contains(text, "⟦") {
		t.Errorf("missing key in %s", text)
	}
}

// The start-up check loads the language fonts the kiosk offers.
func TestCheckFontsOfLanguages(t *testing.T) {
	if err := CheckFonts("en", "zh-Hans", "zh-Hant", "ko", "vi", "tl"); err != nil {
		t.Fatal(err)
	}
}
