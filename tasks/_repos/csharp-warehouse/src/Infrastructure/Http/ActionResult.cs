using System.Collections.Generic;

namespace Warehouse.Infrastructure.Http
{
    /// <summary>What a controller action returns: a status code and an optional JSON body.</summary>
    public sealed class ActionResult
    {
        public ActionResult(int statusCode, object body)
        {
            StatusCode = statusCode;
            Body = body;
            Headers = new Dictionary<string, string>();
        }

        public int StatusCode { get; private set; }
        public object Body { get; private set; }
        public IDictionary<string, string> Headers { get; private set; }

        public ActionResult WithHeader(string name, string value)
        {
            Headers[name] = value;
            return this;
        }
    }

    /// <summary>Helpers shared by controllers, named like ASP.NET Core's ControllerBase.</summary>
    public abstract class ControllerBase
    {
        protected static ActionResult Ok(object body) { return new ActionResult(200, body); }

        protected static ActionResult Created(string location, object body)
        {
            return new ActionResult(201, body).WithHeader("Location", location);
        }

        protected static ActionResult NoContent() { return new ActionResult(204, null); }
    }
}
