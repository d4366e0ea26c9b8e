using System;
using System.Collections.Generic;
using System.Globalization;

namespace Helpdesk.Infrastructure.Http
{
    /// <summary>
    /// A parsed JSON object request body with typed accessors. A present field of the wrong JSON
    /// type is a 400 validation error for that field; an absent or null field reads as null.
    /// </summary>
    public sealed class JsonBody
    {
        private readonly IDictionary<string, object> _values;

        public JsonBody(IDictionary<string, object> values)
        {
            _values = values ?? new Dictionary<string, object>();
        }

        public bool Has(string key) { return _values.ContainsKey(key); }

        public bool IsNull(string key)
        {
            object value;
            return !_values.TryGetValue(key, out value) || value == null;
        }

        public string GetString(string key)
        {
            object value;
            if (!_values.TryGetValue(key, out value) || value == null) return null;
            var s = value as string;
            if (s == null) throw new ValidationException(key, "must be a string");
            return s;
        }

        public int? GetInt(string key)
        {
            object value;
            if (!_values.TryGetValue(key, out value) || value == null) return null;
            if (value is int) return (int)value;
            if (value is long || value is decimal)
            {
                var d = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                if (d == Math.Truncate(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
            }
            throw new ValidationException(key, "must be an integer");
        }

        public decimal? GetDecimal(string key)
        {
            object value;
            if (!_values.TryGetValue(key, out value) || value == null) return null;
            if (value is int || value is long || value is decimal || value is double)
                return Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            throw new ValidationException(key, "must be a number");
        }

        public bool? GetBool(string key)
        {
            object value;
            if (!_values.TryGetValue(key, out value) || value == null) return null;
            if (value is bool) return (bool)value;
            throw new ValidationException(key, "must be a boolean");
        }

        public IList<string> GetStringList(string key)
        {
            object value;
            if (!_values.TryGetValue(key, out value) || value == null) return null;
            var items = value as object[];
            if (items == null) throw new ValidationException(key, "must be an array of strings");
            var result = new List<string>();
            foreach (var item in items)
            {
                var s = item as string;
                if (s == null) throw new ValidationException(key, "must be an array of strings");
                result.Add(s);
            }
            return result;
        }

        /// <summary>An array of JSON objects, each wrapped as a JsonBody.</summary>
        public IList<JsonBody> GetObjectList(string key)
        {
            object value;
            if (!_values.TryGetValue(key, out value) || value == null) return null;
            var items = value as object[];
            if (items == null) throw new ValidationException(key, "must be an array of objects");
            var result = new List<JsonBody>();
            foreach (var item in items)
            {
                var obj = item as IDictionary<string, object>;
                if (obj == null) throw new ValidationException(key, "must be an array of objects");
                result.Add(new JsonBody(obj));
            }
            return result;
        }
    }
}
