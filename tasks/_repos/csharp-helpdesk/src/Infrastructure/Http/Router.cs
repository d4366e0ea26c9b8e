using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Helpdesk.Infrastructure.Http
{
    /// <summary>
    /// Attribute routing in the style of ASP.NET Core MVC: controllers carry [Route], actions carry
    /// [HttpGet("{id:int}")] and friends. Action parameters bind from route values, then from the
    /// query string; a RequestContext parameter receives the request and a JsonBody parameter the
    /// parsed JSON body.
    /// </summary>
    public sealed class Router
    {
        private readonly List<RouteEndpoint> _endpoints = new List<RouteEndpoint>();

        public IEnumerable<RouteEndpoint> Endpoints { get { return _endpoints; } }

        public void MapController<TController>(Func<TController> factory) where TController : ControllerBase
        {
            var type = typeof(TController);
            var routeAttr = type.GetCustomAttribute<RouteAttribute>();
            var prefix = routeAttr == null ? "" : routeAttr.Template;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                foreach (var verb in method.GetCustomAttributes<HttpMethodAttribute>())
                {
                    var template = Combine(prefix, verb.Template);
                    _endpoints.Add(new RouteEndpoint(verb.Method, template, () => factory(), method));
                }
            }
        }

        public ActionResult Dispatch(RequestContext ctx)
        {
            var segments = Split(ctx.Path);
            var pathMatches = new List<KeyValuePair<RouteEndpoint, Dictionary<string, string>>>();
            foreach (var endpoint in _endpoints)
            {
                var values = endpoint.Match(segments);
                if (values != null) pathMatches.Add(new KeyValuePair<RouteEndpoint, Dictionary<string, string>>(endpoint, values));
            }
            if (pathMatches.Count == 0) throw new NotFoundException("No resource at " + ctx.Path + ".");

            var hit = pathMatches.FirstOrDefault(m => m.Key.HttpMethod == ctx.Method);
            if (hit.Key == null)
            {
                var allowed = pathMatches.Select(m => m.Key.HttpMethod).Distinct().ToList();
                throw new MethodNotAllowedException("Method " + ctx.Method + " is not allowed on " + ctx.Path + ".", allowed);
            }
            foreach (var kv in hit.Value) ctx.RouteValues[kv.Key] = kv.Value;
            return hit.Key.Invoke(ctx);
        }

        internal static string[] Split(string path)
        {
            return (path ?? "").Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        }

        private static string Combine(string prefix, string template)
        {
            if (template.StartsWith("/", StringComparison.Ordinal)) return template;
            if (template.Length == 0) return "/" + prefix.Trim('/');
            return "/" + prefix.Trim('/') + "/" + template.Trim('/');
        }
    }

    /// <summary>One action bound to a verb and a route template.</summary>
    public sealed class RouteEndpoint
    {
        private readonly string[] _segments;
        private readonly Func<object> _factory;
        private readonly MethodInfo _action;

        public RouteEndpoint(string httpMethod, string template, Func<object> factory, MethodInfo action)
        {
            HttpMethod = httpMethod;
            Template = template;
            _segments = Router.Split(template);
            _factory = factory;
            _action = action;
        }

        public string HttpMethod { get; private set; }
        public string Template { get; private set; }

        public Dictionary<string, string> Match(string[] path)
        {
            if (path.Length != _segments.Length) return null;
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < path.Length; i++)
            {
                var seg = _segments[i];
                if (seg.StartsWith("{", StringComparison.Ordinal) && seg.EndsWith("}", StringComparison.Ordinal))
                {
                    var inner = seg.Substring(1, seg.Length - 2);
                    var colon = inner.IndexOf(':');
                    var name = colon < 0 ? inner : inner.Substring(0, colon);
                    var constraint = colon < 0 ? null : inner.Substring(colon + 1);
                    var raw = Uri.UnescapeDataString(path[i]);
                    if (constraint == "int")
                    {
                        int ignored;
                        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out ignored)) return null;
                    }
                    values[name] = raw;
                }
                else if (!string.Equals(seg, path[i], StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }
            return values;
        }

        public ActionResult Invoke(RequestContext ctx)
        {
            var parameters = _action.GetParameters();
            var args = new object[parameters.Length];
            for (var i = 0; i < parameters.Length; i++) args[i] = Bind(parameters[i], ctx);
            try
            {
                return (ActionResult)_action.Invoke(_factory(), args);
            }
            catch (TargetInvocationException ex)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }

        private static object Bind(ParameterInfo p, RequestContext ctx)
        {
            if (p.ParameterType == typeof(RequestContext)) return ctx;
            if (p.ParameterType == typeof(JsonBody)) return ctx.ReadJsonBody();

            string raw;
            if (!ctx.RouteValues.TryGetValue(p.Name, out raw)) raw = ctx.Query[p.Name];
            if (raw == null)
            {
                if (p.HasDefaultValue) return p.DefaultValue;
                return p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null;
            }
            var target = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            try
            {
                if (target == typeof(string)) return raw;
                if (target == typeof(int)) return int.Parse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture);
                if (target == typeof(bool)) return bool.Parse(raw);
                if (target == typeof(decimal)) return decimal.Parse(raw, NumberStyles.Number, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new ValidationException(p.Name, "is not a valid " + target.Name.ToLowerInvariant());
            }
            catch (OverflowException)
            {
                throw new ValidationException(p.Name, "is out of range");
            }
            throw new InvalidOperationException("Cannot bind parameter " + p.Name + " of type " + p.ParameterType);
        }
    }
}
