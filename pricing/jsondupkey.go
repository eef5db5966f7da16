package pricing

// duplicateKey returns the first object member name that appears twice in
// one JSON object of b (at any depth), and its object's path of keys. JSON
// readers keep the last value silently; lambdacost refuses the data
// instead, since one of the two values is being ignored. b must be valid
// JSON (it is checked by the decoder first). Names are compared as written
// (an escaped spelling of the same name is not detected).
func duplicateKey(b []byte) (key string, found bool) {
	type frame struct {
		obj       bool
		expectKey bool
		keys      map[string]struct{}
	}
	var stack []frame
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{':
			stack = append(stack, frame{obj: true, expectKey: true})
		case '[':
			stack = append(stack, frame{})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].obj {
				stack[n-1].expectKey = true
			}
		case '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].expectKey {
				f := &stack[n-1]
				f.expectKey = false
				k := string(b[i+1 : min(j, len(b))])
				if f.keys == nil {
					f.keys = make(map[string]struct{}, 8)
				}
				if _, dup := f.keys[k]; dup {
					return k, true
				}
				f.keys[k] = struct{}{}
			}
			i = j
		}
	}
	return "", false
}
