package protocol

// PathToken is where a kiosk rotates its bearer token: POST (with the current token) answers a
// TokenResponse with a new one, which the server accepts beside the current one until the new
// one is first used; GET (with the new token) answers the same kiosk and ends the old one.
const PathToken = "/v1/token"

// TokenResponse is the server's answer on PathToken. Token is empty on GET.
type TokenResponse struct {
	Kiosk string `json:"kiosk"`
	Token string `json:"token,omitempty"`
}
