package jsonx_test

import (
	"fmt"

	"github.com/ginclerk/ginclerk/internal/jsonx"
)

// Validate once, then walk the members and convert the leaves.
func Example() {
	payload := []byte(`{"sub":"user_123","exp":1.7e9,"o":{"rol":"admin"},"fva":[3,-1]}`)
	if err := jsonx.Validate(payload, 8); err != nil {
		fmt.Println(err)
		return
	}
	for key, value := range jsonx.Members(payload) {
		switch string(key) {
		case "sub":
			sub, _ := jsonx.String(value)
			fmt.Println("sub:", sub)
		case "exp":
			exp, _ := jsonx.Int(value)
			fmt.Println("exp:", exp)
		case "fva":
			for e := range jsonx.Elements(value) {
				n, _ := jsonx.Int(e)
				fmt.Println("fva:", n)
			}
		}
	}
	// Output:
	// sub: user_123
	// exp: 1700000000
	// fva: 3
	// fva: -1
}

// A member name spelled with an escape is still a duplicate.
func ExampleValidate_duplicate() {
	err := jsonx.Validate([]byte(`{"sub":"user_1","s\u0075b":"user_2"}`), 8)
	fmt.Println(err)
	// Output: jsonx: duplicate member name at offset 16
}

// A numeric string is not a number.
func ExampleInt() {
	_, err := jsonx.Int([]byte(`"1700000000"`))
	fmt.Println(err)
	// Output: jsonx: not a number
}
