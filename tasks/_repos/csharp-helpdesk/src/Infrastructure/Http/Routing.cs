using System;

namespace Helpdesk.Infrastructure.Http
{
    /// <summary>Route prefix of a controller, like ASP.NET Core's [Route("api/tickets")].</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public sealed class RouteAttribute : Attribute
    {
        public RouteAttribute(string template) { Template = template ?? ""; }
        public string Template { get; private set; }
    }

    /// <summary>Base of the verb attributes; the template is appended to the controller's route.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public abstract class HttpMethodAttribute : Attribute
    {
        protected HttpMethodAttribute(string method, string template)
        {
            Method = method;
            Template = template ?? "";
        }
        public string Method { get; private set; }
        public string Template { get; private set; }
    }

    public sealed class HttpGetAttribute : HttpMethodAttribute
    {
        public HttpGetAttribute(string template = "") : base("GET", template) { }
    }

    public sealed class HttpPostAttribute : HttpMethodAttribute
    {
        public HttpPostAttribute(string template = "") : base("POST", template) { }
    }

    public sealed class HttpPutAttribute : HttpMethodAttribute
    {
        public HttpPutAttribute(string template = "") : base("PUT", template) { }
    }

    public sealed class HttpPatchAttribute : HttpMethodAttribute
    {
        public HttpPatchAttribute(string template = "") : base("PATCH", template) { }
    }

    public sealed class HttpDeleteAttribute : HttpMethodAttribute
    {
        public HttpDeleteAttribute(string template = "") : base("DELETE", template) { }
    }
}
