using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Warehouse.Infrastructure.Http;

namespace Warehouse.Validation
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

        public Validator Range(string field, int? value, int min, int max)
        {
            if (value.HasValue && (value.Value < min || value.Value > max))
                Add(field, string.Format("must be between {0} and {1}", min, max));
            return this;
        }

        public Validator Money(string field, decimal? value, decimal max)
        {
            if (!value.HasValue) return this;
            if (value.Value < 0 || value.Value > max)
                Add(field, string.Format(System.Globalization.CultureInfo.InvariantCulture, "must be between 0 and {0}", max));
            else if (decimal.Round(value.Value, 2) != value.Value)
                Add(field, "must have at most 2 decimal places");
            return this;
        }

        public Validator Matches(string field, string value, Regex pattern, string description)
        {
            if (value != null && !pattern.IsMatch(value)) Add(field, description);
            return this;
        }

        public void ThrowIfInvalid()
        {
            if (!IsValid) throw new ValidationException(_errors);
        }
    }
}
