using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Helpdesk.Infrastructure.Http;

namespace Helpdesk.Validation
{
    /// <summary>Collects field errors, then throws one ValidationException (400) with all of them.</summary>
    public sealed class Validator
    {
        private static readonly Regex EmailPattern =
            new Regex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.Compiled);

        private readonly Dictionary<string, string> _errors = new Dictionary<string, string>();

        public bool IsValid { get { return _errors.Count == 0; } }

        public Validator Add(string field, string message)
        {
            if (!_errors.ContainsKey(field)) _errors[field] = message;
            return this;
        }

        public Validator Required(string field, string value)
        {
            if (string.IsNullOrWhiteSpace(value)) Add(field, "is required");
            return this;
        }

        public Validator Length(string field, string value, int min, int max)
        {
            if (value == null) return this;
            var length = value.Trim().Length;
            if (length < min || length > max)
                Add(field, string.Format("must be between {0} and {1} characters", min, max));
            return this;
        }

        public Validator Email(string field, string value)
        {
            if (!string.IsNullOrWhiteSpace(value) && !EmailPattern.IsMatch(value.Trim()))
                Add(field, "must be a valid email address");
            return this;
        }

        public Validator OneOf(string field, string value, IEnumerable<string> allowed)
        {
            var options = allowed.ToList();
            if (value != null && !options.Contains(value))
                Add(field, "must be one of: " + string.Join(", ", options));
            return this;
        }

        public void ThrowIfInvalid()
        {
            if (!IsValid) throw new ValidationException(_errors);
        }
    }
}
