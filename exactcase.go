package ginclerk

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// maxTypeDepth bounds the walk over element types (type L []L is legal Go).
const maxTypeDepth = 32

// exactCase returns raw with the members a decode into t would match only
// by case-folding removed, at every depth where t holds a struct.
//
// Claims[T] must read member names exactly, as JSON.parse (and so Clerk)
// does, but encoding/json matches a member to a struct field
// case-insensitively when no exact match exists: {"role":"user",
// "ROLE":"admin"} decodes "admin" into a field tagged "role". A member that
// names no field exactly is one encoding/json would either ignore or fold,
// so dropping it changes nothing else; what remains can only match its own
// field. Duplicate names never reach here: the verifier rejects a payload
// with any. A value whose JSON kind does not fit t is left as is, for the
// decode to report, and a json.Unmarshaler gets its bytes untouched.
func exactCase(raw json.RawMessage, t reflect.Type) json.RawMessage {
	return rewrite(raw, t, 0)
}

func rewrite(raw json.RawMessage, t reflect.Type, depth int) json.RawMessage {
	t = target(t)
	if !needsRewrite(t, depth) {
		return raw
	}
	switch t.Kind() {
	case reflect.Struct:
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil || members == nil {
			return raw
		}
		fields := fieldsOf(t)
		for name, v := range members {
			ft, ok := fields[name]
			if !ok {
				delete(members, name)
				continue
			}
			members[name] = rewrite(v, ft, depth+1)
		}
		return remarshal(raw, members)
	case reflect.Map:
		var values map[string]json.RawMessage
		if json.Unmarshal(raw, &values) != nil || values == nil {
			return raw
		}
		for k, v := range values {
			values[k] = rewrite(v, t.Elem(), depth+1)
		}
		return remarshal(raw, values)
	default: // slice or array
		var elems []json.RawMessage
		if json.Unmarshal(raw, &elems) != nil || elems == nil {
			return raw
		}
		for i, v := range elems {
			elems[i] = rewrite(v, t.Elem(), depth+1)
		}
		return remarshal(raw, elems)
	}
}

func remarshal(raw json.RawMessage, v any) json.RawMessage {
	out, err := json.Marshal(v)
	if err != nil {
		return raw // unreachable: v holds only valid JSON values
	}
	return out
}

// target strips pointers, as encoding/json does when it decodes.
func target(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer && !t.Implements(unmarshalerType) {
		t = t.Elem()
	}
	return t
}

// needsRewrite reports whether a value of type t can hold a struct that
// encoding/json would fill. A json.Unmarshaler decodes itself.
func needsRewrite(t reflect.Type, depth int) bool {
	if depth > maxTypeDepth || t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return false
	}
	switch t.Kind() {
	case reflect.Struct:
		return true
	case reflect.Slice, reflect.Array, reflect.Map:
		return needsRewrite(target(t.Elem()), depth+1)
	}
	return false
}

// fieldCache maps a struct type to its JSON member names and field types.
var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// fieldsOf returns the member names encoding/json decodes into t, with each
// field's type: the tag name or Go name of exported fields, embedded
// structs' fields promoted, and of several fields with one name the one
// encoding/json picks (shallowest, then the only tagged one; none if still
// ambiguous).
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]reflect.Type)
	}
	var all []jsonField
	collectFields(t, 0, map[reflect.Type]bool{}, &all)
	best := map[string]jsonField{}
	ambiguous := map[string]bool{}
	for _, f := range all {
		b, seen := best[f.name]
		switch {
		case !seen || f.depth < b.depth:
			best[f.name], ambiguous[f.name] = f, false
		case f.depth == b.depth && f.tagged == b.tagged:
			ambiguous[f.name] = true
		case f.depth == b.depth && f.tagged:
			best[f.name], ambiguous[f.name] = f, false
		}
	}
	fields := map[string]reflect.Type{}
	for name, f := range best {
		if !ambiguous[name] {
			fields[name] = f.typ
		}
	}
	fieldCache.Store(t, fields)
	return fields
}

type jsonField struct {
	name   string
	depth  int
	tagged bool
	typ    reflect.Type
}

func collectFields(t reflect.Type, depth int, visiting map[reflect.Type]bool, out *[]jsonField) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		ft := sf.Type
		if ft.Name() == "" && ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous {
			if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
			collectFields(ft, depth+1, visiting, out)
			continue
		}
		tagged := name != ""
		if !tagged {
			name = sf.Name
		}
		*out = append(*out, jsonField{name: name, depth: depth, tagged: tagged, typ: sf.Type})
	}
}
