// Package domain is the child support office's vocabulary in plain Go: participants, cases,
// obligations and balances, payments made, disbursements, appointments, messages, documents,
// agency profiles and the rules about PINs and money. It imports neither Fyne nor database/sql;
// every other package depends on it and it depends on none of them.
package domain
