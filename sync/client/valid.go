package client

// Checking a record's data while finding its end. The fast path of decodeBody used to find
// the end of each record's data by counting brackets and then hand the bytes to json.Valid,
// reading every record twice; encoding/json's byte-at-a-time state machine was a tenth of the
// kiosk's CPU in a first sync. skipValue reads the value once and accepts exactly what
// json.Valid accepts (FuzzSkipValue holds the two to that).

// maxDepth is encoding/json's nesting limit: deeper values are refused there, so here too.
const maxDepth = 10000

// skipValue checks that buf[i:] begins with one JSON value, possibly after white space, and
// returns the index just past it; ok is false when it does not.
func skipValue(buf []byte, i int) (end int, ok bool) {
	// open holds the kinds of the arrays and objects the value is inside, innermost last.
	var open []byte
	for {
		i = skipSpace(buf, i)
		if i >= len(buf) {
			return 0, false
		}
		// A value.
		switch c := buf[i]; {
		case c == '{' || c == '[':
			if len(open) == maxDepth {
				return 0, false
			}
			open = append(open, c)
			i = skipSpace(buf, i+1)
			if i < len(buf) && buf[i] == c+2 { // '{'+2 is '}', '['+2 is ']'
				open = open[:len(open)-1]
				i++
				break
			}
			if c == '{' {
				if i = skipKey(buf, i); i < 0 {
					return 0, false
				}
			}
			continue // the first member's value
		case c == '"':
			if i = skipString(buf, i); i < 0 {
				return 0, false
			}
		case c == '-' || c >= '0' && c <= '9':
			if i = skipNumber(buf, i); i < 0 {
				return 0, false
			}
		case c == 't':
			if i = skipWord(buf, i, "true"); i < 0 {
				return 0, false
			}
		case c == 'f':
			if i = skipWord(buf, i, "false"); i < 0 {
				return 0, false
			}
		case c == 'n':
			if i = skipWord(buf, i, "null"); i < 0 {
				return 0, false
			}
		default:
			return 0, false
		}
		// After a value: close what ends here, or go on to the next element or member.
		for {
			if len(open) == 0 {
				return i, true
			}
			i = skipSpace(buf, i)
			if i >= len(buf) {
				return 0, false
			}
			inner := open[len(open)-1]
			if buf[i] == inner+2 {
				open = open[:len(open)-1]
				i++
				continue
			}
			if buf[i] != ',' {
				return 0, false
			}
			i++
			if inner == '{' {
				if i = skipKey(buf, skipSpace(buf, i)); i < 0 {
					return 0, false
				}
			}
			break
		}
	}
}

func skipSpace(buf []byte, i int) int {
	for i < len(buf) {
		switch buf[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipKey reads an object's key and its colon: the index after the colon, or -1.
func skipKey(buf []byte, i int) int {
	if i >= len(buf) || buf[i] != '"' {
		return -1
	}
	if i = skipString(buf, i); i < 0 {
		return -1
	}
	i = skipSpace(buf, i)
	if i >= len(buf) || buf[i] != ':' {
		return -1
	}
	return i + 1
}

// skipString reads a string starting at its opening quote: the index after the closing quote,
// or -1. Like encoding/json it refuses control characters and unknown escapes and does not
// check UTF-8 (decoding replaces bad bytes).
func skipString(buf []byte, i int) int {
	for i++; i < len(buf); i++ {
		switch c := buf[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			i++
			if i >= len(buf) {
				return -1
			}
			switch buf[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(buf) {
					return -1
				}
				for _, h := range buf[i+1 : i+5] {
					if !isHex(h) {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// skipNumber reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?: the index after it, or -1.
func skipNumber(buf []byte, i int) int {
	if buf[i] == '-' {
		i++
	}
	switch {
	case i < len(buf) && buf[i] == '0':
		i++
	case i < len(buf) && buf[i] >= '1' && buf[i] <= '9':
		i = skipDigits(buf, i)
	default:
		return -1
	}
	if i < len(buf) && buf[i] == '.' {
		j := skipDigits(buf, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(buf) && (buf[i] == 'e' || buf[i] == 'E') {
		i++
		if i < len(buf) && (buf[i] == '+' || buf[i] == '-') {
			i++
		}
		j := skipDigits(buf, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func skipDigits(buf []byte, i int) int {
	for i < len(buf) && buf[i] >= '0' && buf[i] <= '9' {
		i++
	}
	return i
}

func skipWord(buf []byte, i int, w string) int {
	if len(buf)-i < len(w) || string(buf[i:i+len(w)]) != w {
		return -1
	}
	return i + len(w)
}
