using System;
using System.Collections.Generic;

namespace Helpdesk.Infrastructure.Http
{
    /// <summary>An error that maps to an HTTP status; the error middleware renders it as JSON.</summary>
    public class ApiException : Exception
    {
        public ApiException(int statusCode, string title, string message) : base(message)
        {
            StatusCode = statusCode;
            Title = title;
        }

        public int StatusCode { get; private set; }
        public string Title { get; private set; }
    }

    public class BadRequestException : ApiException
    {
        public BadRequestException(string message) : base(400, "Bad Request", message) { }
    }

    public class NotFoundException : ApiException
    {
        public NotFoundException(string message) : base(404, "Not Found", message) { }
    }

    public class ConflictException : ApiException
    {
        public ConflictException(string message) : base(409, "Conflict", message) { }
    }

    public class UnprocessableEntityException : ApiException
    {
        public UnprocessableEntityException(string message) : base(422, "Unprocessable Entity", message) { }
    }

    public class MethodNotAllowedException : ApiException
    {
        public MethodNotAllowedException(string message, IEnumerable<string> allowed)
            : base(405, "Method Not Allowed", message)
        {
            Allowed = string.Join(", ", allowed);
        }

        public string Allowed { get; private set; }
    }

    /// <summary>400 with one message per invalid field (like ASP.NET Core's ValidationProblemDetails).</summary>
    public class ValidationException : ApiException
    {
        public ValidationException(IDictionary<string, string> errors)
            : base(400, "Validation Failed", "One or more fields are invalid.")
        {
            Errors = new Dictionary<string, string>(errors);
        }

        public ValidationException(string field, string message)
            : this(new Dictionary<string, string> { { field, message } })
        {
        }

        public IDictionary<string, string> Errors { get; private set; }
    }
}
