using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Net;
using System.Text;

namespace Warehouse.Infrastructure.Http
{
    /// <summary>One HTTP request as seen by middleware and controllers.</summary>
    public sealed class RequestContext
    {
        private readonly HttpListenerRequest _request;
        private JsonBody _body;

        public RequestContext(HttpListenerRequest request)
        {
            _request = request;
            Method = request.HttpMethod.ToUpperInvariant();
            Path = request.Url.AbsolutePath;
            Query = request.QueryString ?? new NameValueCollection();
            RouteValues = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        public string Method { get; private set; }
        public string Path { get; private set; }
        public NameValueCollection Query { get; private set; }
        public IDictionary<string, string> RouteValues { get; private set; }

        public string Header(string name) { return _request.Headers[name]; }

        /// <summary>The body as a JSON object; 400 when it is missing, malformed or not an object.</summary>
        public JsonBody ReadJsonBody()
        {
            if (_body != null) return _body;
            string text;
            using (var reader = new StreamReader(_request.InputStream, Encoding.UTF8))
            {
                text = reader.ReadToEnd();
            }
            if (string.IsNullOrWhiteSpace(text)) throw new BadRequestException("A JSON request body is required.");
            object parsed;
            try
            {
                parsed = Json.Parse(text);
            }
            catch (Exception)
            {
                throw new BadRequestException("The request body is not valid JSON.");
            }
            var obj = parsed as IDictionary<string, object>;
            if (obj == null) throw new BadRequestException("The request body must be a JSON object.");
            _body = new JsonBody(obj);
            return _body;
        }
    }
}
