package domain

// Source is where a collection came from.
type Source string

// The sources of a collection, from the agencies' own payment tables.
const (
	IncomeWithholding      Source = "income_withholding"       // income withholding order (wage garnishment)
	UnemploymentIntercept  Source = "unemployment_intercept"   // unemployment insurance benefit intercept
	FederalTaxOffset       Source = "federal_tax_offset"       // federal tax refund offset
	StateTaxOffset         Source = "state_tax_offset"         // state tax refund offset
	LotteryIntercept       Source = "lottery_intercept"        // lottery winnings intercept
	CheckOrMoneyOrder      Source = "check_money_order"        // mailed to the disbursement unit
	Card                   Source = "card"                     // debit or credit card online or by phone
	EFT                    Source = "eft"                      // electronic funds transfer / bank draft
	CashAtRetail           Source = "cash_retail"              // cash at a retail payment location
	DisabilityIntercept    Source = "disability_intercept"     // state disability insurance intercept
	WorkersCompIntercept   Source = "workers_comp_intercept"   // workers' compensation intercept
	FinancialInstitutionDM Source = "financial_institution_dm" // bank account levy (FIDM)
)

// Sources lists every source, in a fixed order.
var Sources = []Source{IncomeWithholding, UnemploymentIntercept, FederalTaxOffset, StateTaxOffset,
	LotteryIntercept, CheckOrMoneyOrder, Card, EFT, CashAtRetail, DisabilityIntercept,
	WorkersCompIntercept, FinancialInstitutionDM}

// Valid reports whether s is a known source.
func (s Source) Valid() bool {
	for _, k := range Sources {
		if s == k {
			return true
		}
	}
	return false
}

// Allocation is how a payment was applied on a case.
type Allocation struct {
	Current  Cents `json:"current"`
	Arrears  Cents `json:"arrears"`
	Interest Cents `json:"interest"`
	Fees     Cents `json:"fees"`
}

// Total is the sum of the allocation's parts.
func (a Allocation) Total() Cents { return a.Current + a.Arrears + a.Interest + a.Fees }

// Payment is a payment made by a noncustodial parent, as received by the disbursement unit.
type Payment struct {
	ID         string     `json:"id"`
	Case       string     `json:"case"`
	Payer      string     `json:"payer"` // participant ID
	Received   Date       `json:"received"`
	Amount     Cents      `json:"amount"`
	Source     Source     `json:"source"`
	Allocation Allocation `json:"allocation"`
}

// Method is how a disbursement reaches the custodial parent.
type Method string

// Disbursement methods.
const (
	DirectDeposit Method = "direct_deposit"
	DebitCard     Method = "debit_card"
	Check         Method = "check"
)

// Valid reports whether m is a known method.
func (m Method) Valid() bool { return m == DirectDeposit || m == DebitCard || m == Check }

// Status is where a disbursement stands.
type Status string

// Disbursement statuses.
const (
	Disbursed Status = "disbursed"
	Held      Status = "held"
	Pended    Status = "pended"
	Reissued  Status = "reissued"
	Refunded  Status = "refunded"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case Disbursed, Held, Pended, Reissued, Refunded:
		return true
	}
	return false
}

// Reason explains a status that is not plain "disbursed"; each has a plain-words translation.
type Reason string

// Reasons for holds and other statuses.
const (
	NoReason               Reason = ""
	JointReturnOffset      Reason = "joint_return_offset"     // federal offset on a joint return: held up to 6 months
	AddressUnknown         Reason = "address_unknown"         // no valid address for the receiver
	UnderReview            Reason = "under_review"            // the collection is being reviewed
	CheckUncashed          Reason = "check_uncashed"          // reissued after a stale check
	OverpaymentReturned    Reason = "overpayment_returned"    // refunded to the payer
	CourtOrderPending      Reason = "court_order_pending"     // waiting on a court order
	NonsufficientFunds     Reason = "nonsufficient_funds"     // the payer's payment was returned
	AccountVerification    Reason = "account_verification"    // bank account being verified
	InjuredSpouseClaim     Reason = "injured_spouse_claim"    // an injured-spouse claim was filed
	DisbursementTerminated Reason = "disbursement_terminated" // the case closed
)

// Reasons lists every reason that may appear, in a fixed order.
var Reasons = []Reason{JointReturnOffset, AddressUnknown, UnderReview, CheckUncashed,
	OverpaymentReturned, CourtOrderPending, NonsufficientFunds, AccountVerification,
	InjuredSpouseClaim, DisbursementTerminated}

// Valid reports whether r is empty or a known reason.
func (r Reason) Valid() bool {
	if r == NoReason {
		return true
	}
	for _, k := range Reasons {
		if r == k {
			return true
		}
	}
	return false
}

// Disbursement is a payment received by a custodial parent: money sent out by the disbursement
// unit from a collection.
type Disbursement struct {
	ID     string `json:"id"`
	Case   string `json:"case"`
	Payee  string `json:"payee"` // participant ID
	Date   Date   `json:"date"`  // date disbursed (or held/pended on)
	Amount Cents  `json:"amount"`
	Source Source `json:"source"` // the collection it comes from
	Method Method `json:"method"`
	Status Status `json:"status"`
	Reason Reason `json:"reason,omitempty"`
}
