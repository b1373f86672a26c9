package protocol

// PathAttempts is where a kiosk has the case server count sign-in guesses per account across
// the kiosks of its office (POST, bearer token).
const PathAttempts = "/v1/attempts"

// Operations of an AttemptRequest.
const (
	AttemptTry   = "try"   // count one guess before the kiosk checks it
	AttemptClear = "clear" // the guess was right, or staff unlocked: start the count again
)

// AttemptRequest names an account by Account: the hex HMAC-SHA-256, under the office's key
// (AttemptResponse.Key), of the kiosk's name for it, never a login or an ID in clear, so the
// server cannot tell an account from a login nobody has. KeyID says which key it was made with.
type AttemptRequest struct {
	KeyID   string `json:"key_id"`
	Account string `json:"account"`
	Op      string `json:"op"`
}

// AttemptResponse is the account's count: the guesses the server has counted since the last
// clear, the one just tried included. When the request's KeyID is not the server's (its first
// request, or the server started again since), nothing is counted: Key (base64) is the office's
// key, KeyID its name, and the kiosk asks again with it.
type AttemptResponse struct {
	KeyID string `json:"key_id"`
	Key   string `json:"key,omitempty"`
	Count int    `json:"count"`
}
