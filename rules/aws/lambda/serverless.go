package lambda

import (
	"fmt"

	"github.com/iacscan/iacscan/graph"
	"github.com/iacscan/iacscan/rules"
	"github.com/iacscan/iacscan/rules/setting"
)

// The tracing settings of serverless.yml: a function's own, and the provider's, which
// functions without their own inherit.
var (
	functionTracing = []string{"tracing"}
	providerTracing = []string{"tracing", "lambda"}
	activeValue     = graph.StringValue("Active")
)

// service is one serverless.yml: its provider (nil when it has none), its functions and,
// once known, the guard of a fix to the provider's tracing.
type service struct {
	g         *graph.Graph
	provider  *graph.Resource
	functions []*graph.Resource
	guard     string
	guardDone bool
}

// services returns the serverless.yml files of g that declare functions, in order.
func services(g *graph.Graph) []*service {
	var out []*service
	byScope := map[string]*service{}
	for _, fn := range g.OfKind(graph.ServerlessFunction) {
		s := byScope[fn.Scope]
		if s == nil {
			s = &service{g: g}
			if p := g.Lookup(fn.Scope, "provider"); p != nil && p.Kind == graph.ServerlessProvider {
				s.provider = p
			}
			byScope[fn.Scope] = s
			out = append(out, s)
		}
		s.functions = append(s.functions, fn)
	}
	return out
}

// check checks the effective tracing of a serverless.yml function: its own setting, else
// the provider's, else PassThrough.
func (s *service) check(ctx *rules.Context, fn *graph.Resource) {
	provider := s.provider
	if provider != nil && !isAWS(provider) {
		return
	}
	own := setting.Lookup(fn, functionTracing)
	switch {
	case own.Unknown != nil:
		ctx.Unresolved(fn, own.Unknown, "tracing is not known statically")
		return
	case own.Attr != nil && active(own.Attr.Value):
		return
	case own.Attr != nil:
		v := own.Attr.Value
		msg := fmt.Sprintf("%s: tracing is %s", tracingSpec.Problem, setting.Render(v, fn.Format))
		o := rules.SetValue(fn, "tracing", v, activeValue, "Active")
		ctx.Report(fn, v, msg, o.Option(serverlessGuard(ctx.Graph, provider, fn)))
		return
	case provider == nil:
		msg := tracingSpec.Problem + ": tracing is not set, and there is no provider to inherit it from"
		o := rules.AddSetting(fn, fn.Body, "tracing", activeValue, "tracing: Active")
		ctx.Report(fn, nil, msg, o.Option(serverlessGuard(ctx.Graph, provider, fn)))
		return
	}
	s.inherited(ctx, fn)
}

// inherited checks a function without its own tracing setting against the provider's,
// and offers to turn tracing on at the provider: for every function inheriting it, so the
// fix is written only when every such function's role may trace.
func (s *service) inherited(ctx *rules.Context, fn *graph.Resource) {
	provider := s.provider
	p := setting.Lookup(provider, providerTracing)
	var (
		msg string
		o   rules.Offer
	)
	switch {
	case p.Unknown != nil:
		ctx.Unresolved(fn, p.Unknown, "provider.tracing.lambda is not known statically")
		return
	case p.Attr != nil && active(p.Attr.Value):
		return
	case p.Attr != nil:
		v := p.Attr.Value
		msg = fmt.Sprintf("%s: tracing is not set, and provider.tracing.lambda is %s", tracingSpec.Problem, setting.Render(v, provider.Format))
		o = rules.SetValue(provider, "provider.tracing.lambda", v, graph.BoolValue(true), "true")
	case p.Parent.Type != graph.Map:
		msg = tracingSpec.Problem + ": tracing is not set, and provider.tracing is not a mapping"
		o = rules.Offer{Description: "set provider.tracing.lambda: true", Blocked: "provider.tracing is not a mapping"}
	default:
		msg = tracingSpec.Problem + ": tracing is not set here or in provider.tracing.lambda, and defaults to PassThrough"
		o = addProviderTracing(provider, p)
	}
	opts := []rules.ReportOption{o.Option(s.inheritingGuard())}
	if p.Attr != nil {
		opts = append(opts, rules.WithRelated(p.Attr.Value, "inherited from the provider"))
	}
	ctx.Report(fn, nil, msg, opts...)
}

// addProviderTracing offers to add provider.tracing.lambda: true below what exists.
func addProviderTracing(provider *graph.Resource, p setting.Found) rules.Offer {
	value := graph.BoolValue(true)
	what := "provider.tracing.lambda: true"
	if len(p.Missing) == 2 {
		value = graph.MapValue(false, graph.Attr("lambda", value))
	}
	return rules.AddSetting(provider, p.Parent, p.Missing[0], value, what)
}

// isAWS reports whether a serverless provider is AWS (or does not say: AWS is the
// framework's only provider today).
func isAWS(provider *graph.Resource) bool {
	name := provider.Get("name")
	if name == nil {
		return true
	}
	s, ok := name.Value.AsString()
	return !ok || s == "aws"
}

// serverlessGuard is roleGuard for a serverless.yml function: its own role, else the
// provider's (provider.iam.role when it names a role, or the legacy provider.role). A
// function using the role the framework generates may trace: the framework grants it
// X-Ray write permission when tracing is on.
func serverlessGuard(g *graph.Graph, provider, fn *graph.Resource) string {
	if role := fn.Get("role"); role != nil {
		return roleGuard(g, fn, role)
	}
	if provider == nil {
		return ""
	}
	if role := provider.Body.Lookup("iam", "role"); role != nil && role.Type != graph.Map {
		return roleGuard(g, fn, &graph.Attribute{Name: "role", Value: role})
	}
	return roleGuard(g, fn, provider.Get("role"))
}

// inheritingGuard is the first guard that fails among the functions that inherit the
// provider's tracing, "" when none does; it is worked out once per service.
func (s *service) inheritingGuard() string {
	if s.guardDone {
		return s.guard
	}
	s.guardDone = true
	for _, fn := range s.functions {
		if fn.Get("tracing") != nil {
			continue
		}
		if why := serverlessGuard(s.g, s.provider, fn); why != "" {
			s.guard = fmt.Sprintf("%s (function %s inherits the provider's tracing)", why, fn.Name)
			break
		}
	}
	return s.guard
}
