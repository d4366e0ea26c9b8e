using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Warehouse.Infrastructure.Http
{
    public delegate ActionResult RequestDelegate(RequestContext ctx);

    /// <summary>A link of the request pipeline, like ASP.NET Core's IMiddleware.</summary>
    public interface IMiddleware
    {
        ActionResult Invoke(RequestContext ctx, RequestDelegate next);
    }

    /// <summary>Turns exceptions into JSON problem responses ({title, status, detail[, errors]}).</summary>
    public sealed class ErrorHandlingMiddleware : IMiddleware
    {
        public ActionResult Invoke(RequestContext ctx, RequestDelegate next)
        {
            try
            {
                return next(ctx);
            }
            catch (ValidationException ex)
            {
                var body = Problem(ex.StatusCode, ex.Title, ex.Message);
                body["errors"] = ex.Errors;
                return new ActionResult(ex.StatusCode, body);
            }
            catch (MethodNotAllowedException ex)
            {
                return new ActionResult(ex.StatusCode, Problem(ex.StatusCode, ex.Title, ex.Message))
                    .WithHeader("Allow", ex.Allowed);
            }
            catch (ApiException ex)
            {
                return new ActionResult(ex.StatusCode, Problem(ex.StatusCode, ex.Title, ex.Message));
            }
            catch (NotImplementedException ex)
            {
                return new ActionResult(501, Problem(501, "Not Implemented", ex.Message));
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine("Unhandled error on {0} {1}: {2}", ctx.Method, ctx.Path, ex);
                return new ActionResult(500, Problem(500, "Internal Server Error", "An unexpected error occurred."));
            }
        }

        private static Dictionary<string, object> Problem(int status, string title, string detail)
        {
            return new Dictionary<string, object>
            {
                { "title", title },
                { "status", status },
                { "detail", detail },
            };
        }
    }

    /// <summary>One log line per request: method, path, status, elapsed milliseconds.</summary>
    public sealed class RequestLoggingMiddleware : IMiddleware
    {
        public ActionResult Invoke(RequestContext ctx, RequestDelegate next)
        {
            var watch = Stopwatch.StartNew();
            var result = next(ctx);
            Console.WriteLine("{0} {1} -> {2} ({3} ms)", ctx.Method, ctx.Path, result.StatusCode, watch.ElapsedMilliseconds);
            return result;
        }
    }
}
