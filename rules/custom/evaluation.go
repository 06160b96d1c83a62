package custom

import (
	"encoding/binary"
	"math"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/aws/ec2"
)

// evaluation is what the expressions of one scan share: each resource's fields converted
// into the values CEL reads once, on first use, however many rules read them.
type evaluation struct {
	g        *graph.Graph
	states   map[*graph.Resource]*state
	ingress  map[*graph.Resource]permissions
	unknowns []*graph.Value // the Unknown values handed to CEL, by ID-1
	// interned numbers the distinct contents of each field, of `value` and of names in
	// resource.values, from 1.
	interned [slotViews + 1]map[string]int32
	// numbers names each resource shown as a neighbour, for the contents of referrers
	// and targets.
	numbers map[*graph.Resource]int32
	conds   map[*celCondition]*condState
	// views numbers the views expressions read (evaluation.viewID), by name.
	views map[string]int
	// size is the length of the longest list, map or string of the conversion under way.
	size uint64
}

// state is one resource as CEL sees it, converted field by field.
type state struct {
	vals  map[string]any    // the fields converted so far, by name
	ids   [numFields]int32  // the interned content of each converted field; 0: not converted
	sizes [numFields]uint64 // the longest list, map or string of each converted field
	own   ref.Val           // the record of ownFields, as a neighbour shows it; nil until used
	whole ref.Val           // the record of every field; nil until used
	ownSz uint64
	views []int32 // the interned content of each view read, by number; 0: not yet
}

// permissions are a security group's inbound permissions as CEL sees them, and their
// content for the memo.
type permissions struct {
	vals []ref.Val
	enc  []byte
}

type evaluationKey struct{}

// evaluationOf returns the scan's evaluation, built on first use.
func evaluationOf(ctx *rules.Context) *evaluation {
	return rules.Memo(ctx, evaluationKey{}, func() *evaluation {
		return &evaluation{g: ctx.Graph, states: map[*graph.Resource]*state{}, numbers: map[*graph.Resource]int32{},
			conds: map[*celCondition]*condState{}, views: map[string]int{}}
	})
}

func (e *evaluation) condState(c *celCondition) *condState {
	st, ok := e.conds[c]
	if !ok {
		st = &condState{memo: map[memoKey]verdict{}, trackedFrom: math.MaxUint64}
		e.conds[c] = st
	}
	return st
}

// read returns r's state with every field of set converted.
func (e *evaluation) read(r *graph.Resource, set fieldSet) *state {
	s, ok := e.states[r]
	if !ok {
		s = &state{vals: make(map[string]any, 4)}
		e.states[r] = s
	}
	for f := range numFields {
		if !set.has(f) || s.ids[f] != 0 {
			continue
		}
		outer := e.size
		e.size = 0
		v, enc := e.convert(r, f)
		s.vals[fieldNames[f]], s.sizes[f], s.ids[f] = v, e.size, e.intern(int(f), enc)
		e.size = max(outer, e.size)
	}
	return s
}

// viewID returns the interned content of a view of r (state s), named name: content
// computes it, once per resource and view.
func (e *evaluation) viewID(s *state, name string, content func() []byte) int32 {
	i, ok := e.views[name]
	if !ok {
		i = len(e.views)
		e.views[name] = i
	}
	if i < len(s.views) && s.views[i] != 0 {
		return s.views[i]
	}
	id := e.intern(slotViews, append(append([]byte(name), 0), content()...)) // names are quoted: no NUL
	if i >= len(s.views) {
		s.views = append(s.views, make([]int32, i+1-len(s.views))...)
	}
	s.views[i] = id
	return id
}

// valuesID returns the interned content of the names of view in r's values.
func (e *evaluation) valuesID(r *graph.Resource, s *state, view *valuesView) int32 {
	return e.viewID(s, view.name, func() []byte { return encodeNames(nil, r.Body, view.names) })
}

// neighboursContent is the content of what view reads of each of r's neighbours in
// field f (referrers or targets), in order.
func (e *evaluation) neighboursContent(r *graph.Resource, f field, view *neighboursView) []byte {
	rs := e.g.Referrers(r)
	if f == fieldTargets {
		rs = e.g.Targets(r)
	}
	direct := view.fields
	if view.values != nil {
		direct &^= 1 << fieldValues
	}
	b := binary.AppendUvarint(nil, uint64(len(rs)))
	for _, x := range rs {
		sx := e.read(x, direct)
		for g := range numFields {
			if direct.has(g) {
				b = binary.AppendUvarint(b, uint64(sx.ids[g]))
			}
		}
		if view.values != nil {
			b = binary.AppendUvarint(b, uint64(e.valuesID(x, sx, view.values)))
		}
	}
	return b
}

// intern returns the number of a content in slot (a field, slotValue or slotViews).
func (e *evaluation) intern(slot int, enc []byte) int32 {
	m := e.interned[slot]
	if m == nil {
		m = map[string]int32{}
		e.interned[slot] = m
	}
	if id, ok := m[string(enc)]; ok {
		return id
	}
	id := int32(len(m) + 1)
	m[string(enc)] = id
	return id
}

// convert returns field f of r as CEL sees it, and its content: equal contents convert
// to equal values, but for which unknown each unknown is.
func (e *evaluation) convert(r *graph.Resource, f field) (ref.Val, []byte) {
	text := func(s string) (ref.Val, []byte) {
		e.saw(len(s))
		return types.String(s), []byte(s)
	}
	switch f {
	case fieldKind:
		return text(string(r.Kind))
	case fieldNative:
		return text(r.Native)
	case fieldFormat:
		return text(r.Format.String())
	case fieldAddress:
		return text(r.ID.Address)
	case fieldName:
		return text(r.Name)
	case fieldFile:
		return text(r.ID.Path)
	case fieldTags:
		a := r.Body.Get("tags", "Tags")
		if a == nil {
			return e.tags(nil), []byte{'n'}
		}
		return e.tags(a.Value), encode(nil, a.Value)
	case fieldValues:
		return e.native(r.Body), encode(nil, r.Body)
	case fieldIngress:
		p := e.ingressOf(r)
		return types.NewRefValList(types.DefaultTypeAdapter, p.vals), p.enc
	case fieldReferrers:
		return e.neighbours(e.g.Referrers(r))
	}
	return e.neighbours(e.g.Targets(r))
}

// neighbours lists resources as neighbours show; their content is which resources.
func (e *evaluation) neighbours(rs []*graph.Resource) (ref.Val, []byte) {
	e.saw(len(rs))
	out := make([]ref.Val, len(rs))
	var enc []byte
	for i, x := range rs {
		out[i] = e.ownRecord(x)
		n, ok := e.numbers[x]
		if !ok {
			n = int32(len(e.numbers) + 1)
			e.numbers[x] = n
		}
		enc = binary.AppendUvarint(enc, uint64(n))
	}
	return types.NewRefValList(types.DefaultTypeAdapter, out), enc
}

// ownRecord is r as its neighbours show it: its own fields, without neighbours.
func (e *evaluation) ownRecord(r *graph.Resource) ref.Val {
	s := e.read(r, ownFields)
	if s.own == nil {
		s.own, s.ownSz = s.record(ownFields)
	}
	e.saw(int(s.ownSz))
	return s.own
}

// whole is r as an expression that uses `resource` as a value sees it: every field.
func (e *evaluation) whole(r *graph.Resource) ref.Val {
	s := e.read(r, allFields)
	if s.whole == nil {
		s.whole, _ = s.record(allFields)
	}
	return s.whole
}

// record is a CEL map of the converted fields of set, and their longest list, map or
// string.
func (s *state) record(set fieldSet) (ref.Val, uint64) {
	m := make(map[string]any, numFields)
	var size uint64
	for f := range numFields {
		if set.has(f) {
			m[fieldNames[f]], size = s.vals[fieldNames[f]], max(size, s.sizes[f])
		}
	}
	return types.NewStringInterfaceMap(types.DefaultTypeAdapter, m), size
}

// saw notes the length of a list, map or string handed to CEL.
func (e *evaluation) saw(n int) { e.size = max(e.size, uint64(n)) }

// record is a CEL map of named fields.
func record(fields map[string]ref.Val) ref.Val {
	m := make(map[string]any, len(fields)) // looked up by string: no hashing of interfaces
	for k, v := range fields {
		m[k] = v
	}
	return types.NewStringInterfaceMap(types.DefaultTypeAdapter, m)
}

// tags converts the value of a resource's tags (nil: none) to a map (Unknown when the
// tags as a whole are not statically known): a tag whose value is not known is there
// with an Unknown value, so that an expression about other tags, or about which keys
// exist, is still decided.
func (e *evaluation) tags(v *graph.Value) ref.Val {
	if v == nil {
		return record(nil)
	}
	if !v.Known() {
		return e.unknown(v)
	}
	m := map[string]ref.Val{}
	switch v.Type {
	case graph.Map:
		for _, kv := range v.Attrs {
			m[kv.Name] = e.native(kv.Value)
		}
	case graph.List:
		for _, it := range v.Items {
			key, ok := it.Lookup("Key").AsString()
			if !ok {
				return e.unknown(it)
			}
			m[key] = e.native(it.Lookup("Value"))
		}
	}
	e.saw(len(m))
	return record(m)
}

// ingressOf lists a security group's inbound permissions in every format's shape as one:
// protocol ("tcp", "udp", "icmp", "icmpv6", "all", "other"), from_port, to_port, world
// (a source is 0.0.0.0/0 or ::/0) and unknown_sources.
func (e *evaluation) ingressOf(r *graph.Resource) permissions {
	if e.ingress == nil {
		e.ingress = map[*graph.Resource]permissions{}
		for _, p := range ec2.Ingress(e.g) {
			if p.Group == nil {
				continue
			}
			g := e.ingress[p.Group]
			proto := p.Protocol.String()
			g.vals = append(g.vals, record(map[string]ref.Val{
				"protocol": types.String(proto), "from_port": types.Int(p.From), "to_port": types.Int(p.To),
				"world": types.Bool(len(p.World) > 0), "unknown_sources": types.Bool(len(p.UnknownSources) > 0),
			}))
			g.enc = appendString(g.enc, proto)
			g.enc = binary.AppendVarint(g.enc, int64(p.From))
			g.enc = binary.AppendVarint(g.enc, int64(p.To))
			g.enc = append(g.enc, flag(len(p.World) > 0), flag(len(p.UnknownSources) > 0))
			e.ingress[p.Group] = g
		}
	}
	e.saw(len(e.ingress[r].vals))
	return e.ingress[r]
}

func flag(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// encode appends v's content to b: what native (and tags) convert it from, an unknown
// standing for any unknown.
func encode(b []byte, v *graph.Value) []byte {
	if v == nil {
		return append(b, 'n')
	}
	b = append(b, 'a'+byte(v.Type))
	switch v.Type {
	case graph.String:
		b = appendString(b, v.Str)
	case graph.Number:
		b = appendString(b, v.Str)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Num))
	case graph.Bool:
		b = append(b, flag(v.Bool))
	case graph.List:
		b = binary.AppendUvarint(b, uint64(len(v.Items)))
		for _, it := range v.Items {
			b = encode(b, it)
		}
	case graph.Map:
		b = binary.AppendUvarint(b, uint64(len(v.Attrs)))
		for _, a := range v.Attrs {
			b = appendString(b, a.Name)
			b = encode(b, a.Value)
		}
	}
	return b
}

// encodeNames appends the content of the names of body (a map): what resource.values
// holds under them.
func encodeNames(b []byte, body *graph.Value, names []string) []byte {
	if body == nil || body.Type != graph.Map {
		return encode(append(b, 'w'), body)
	}
	for _, name := range names {
		for _, a := range body.Attrs {
			if a.Name == name {
				b = encode(append(b, '+'), a.Value)
			}
		}
		b = append(b, '.')
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// native converts a value for CEL: maps (a name repeated, as HCL blocks are, becomes a
// list), lists, strings, integers where the number is whole, doubles, booleans, null, and
// CEL unknowns for what is not statically known, so that an expression reading them is
// itself unknown.
func (e *evaluation) native(v *graph.Value) ref.Val {
	if v == nil {
		return types.NullValue
	}
	switch v.Type {
	case graph.Unknown:
		return e.unknown(v)
	case graph.String:
		e.saw(len(v.Str))
		return types.String(v.Str)
	case graph.Number:
		if v.Num == float64(int64(v.Num)) {
			return types.Int(int64(v.Num))
		}
		return types.Double(v.Num)
	case graph.Bool:
		return types.Bool(v.Bool)
	case graph.List:
		e.saw(len(v.Items))
		out := make([]ref.Val, len(v.Items))
		for i, it := range v.Items {
			out[i] = e.native(it)
		}
		return types.NewRefValList(types.DefaultTypeAdapter, out)
	case graph.Map:
		return e.nativeMap(v)
	}
	return types.NullValue
}

// nativeMap converts a map; a name repeated, as HCL blocks are, becomes a list.
func (e *evaluation) nativeMap(v *graph.Value) ref.Val {
	fields := make(map[string]ref.Val, len(v.Attrs))
	var repeated map[string][]ref.Val
	for _, a := range v.Attrs {
		x := e.native(a.Value)
		prev, seen := fields[a.Name]
		switch {
		case !seen:
			fields[a.Name] = x
			continue
		case repeated == nil:
			repeated = map[string][]ref.Val{}
		}
		if repeated[a.Name] == nil {
			repeated[a.Name] = []ref.Val{prev}
		}
		repeated[a.Name] = append(repeated[a.Name], x)
	}
	for name, items := range repeated {
		e.saw(len(items))
		fields[name] = types.NewRefValList(types.DefaultTypeAdapter, items)
	}
	e.saw(len(fields))
	return record(fields)
}

// unknown returns a CEL unknown standing for v.
func (e *evaluation) unknown(v *graph.Value) *types.Unknown {
	e.unknowns = append(e.unknowns, v)
	return types.NewUnknown(int64(len(e.unknowns)), nil)
}

// unknownOf returns the first graph value an unknown result depends on.
func (e *evaluation) unknownOf(u *types.Unknown) *graph.Value {
	for _, id := range u.IDs() {
		if id >= 1 && int(id) <= len(e.unknowns) && e.unknowns[id-1] != nil {
			return e.unknowns[id-1]
		}
	}
	return nil
}
