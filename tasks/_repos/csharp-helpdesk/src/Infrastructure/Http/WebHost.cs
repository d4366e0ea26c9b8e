using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using System.Threading;

namespace Helpdesk.Infrastructure.Http
{
    /// <summary>Serves the router through System.Net.HttpListener with a middleware pipeline.</summary>
    public sealed class WebHost
    {
        private readonly HttpListener _listener = new HttpListener();
        private readonly List<IMiddleware> _middleware = new List<IMiddleware>();
        private readonly Router _router;
        private RequestDelegate _pipeline;

        public WebHost(Router router, int port)
        {
            _router = router;
            _listener.Prefixes.Add("http://*:" + port + "/");
        }

        public WebHost Use(IMiddleware middleware)
        {
            _middleware.Add(middleware);
            return this;
        }

        public void Run()
        {
            RequestDelegate pipeline = _router.Dispatch;
            for (var i = _middleware.Count - 1; i >= 0; i--)
            {
                var middleware = _middleware[i];
                var next = pipeline;
                pipeline = ctx => middleware.Invoke(ctx, next);
            }
            _pipeline = pipeline;

            _listener.Start();
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = _listener.GetContext();
                }
                catch (HttpListenerException)
                {
                    break;
                }
                ThreadPool.QueueUserWorkItem(_ => Handle(context));
            }
        }

        private void Handle(HttpListenerContext context)
        {
            var response = context.Response;
            try
            {
                var result = _pipeline(new RequestContext(context.Request));
                response.StatusCode = result.StatusCode;
                foreach (var header in result.Headers) response.Headers[header.Key] = header.Value;
                if (result.StatusCode != 204 && result.Body != null)
                {
                    var bytes = Encoding.UTF8.GetBytes(Json.Serialize(result.Body));
                    response.ContentType = "application/json; charset=utf-8";
                    response.ContentLength64 = bytes.Length;
                    response.OutputStream.Write(bytes, 0, bytes.Length);
                }
                else
                {
                    response.ContentLength64 = 0;
                }
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine("Failed to write response: " + ex.Message);
            }
            finally
            {
                try { response.Close(); } catch (Exception) { }
            }
        }
    }
}
