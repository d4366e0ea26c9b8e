using System;
using System.Collections.Generic;
using System.Data;
using System.Globalization;
using System.IO;
using Mono.Data.Sqlite;

namespace Helpdesk.Infrastructure.Data
{
    /// <summary>
    /// SQLite access for the repositories. One connection per unit of work; writes are serialized
    /// through a process-wide lock so concurrent requests never see SQLITE_BUSY.
    /// </summary>
    public sealed class Database
    {
        private readonly string _connectionString;
        private readonly object _gate = new object();

        public Database(string path)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            _connectionString = "Data Source=" + path + ";Version=3;Foreign Keys=True;";
        }

        public T WithConnection<T>(Func<SqliteConnection, T> work)
        {
            lock (_gate)
            {
                using (var conn = new SqliteConnection(_connectionString))
                {
                    conn.Open();
                    using (var pragma = conn.CreateCommand())
                    {
                        pragma.CommandText = "PRAGMA foreign_keys = ON;";
                        pragma.ExecuteNonQuery();
                    }
                    return work(conn);
                }
            }
        }

        public void Migrate()
        {
            WithConnection(conn =>
            {
                Execute(conn, @"
CREATE TABLE IF NOT EXISTS agents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    team        TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tickets (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subject         TEXT NOT NULL,
    description     TEXT NOT NULL,
    requester_email TEXT NOT NULL,
    priority        TEXT NOT NULL,
    status          TEXT NOT NULL,
    assignee_id     INTEGER NULL REFERENCES agents(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author      TEXT NOT NULL,
    body        TEXT NOT NULL,
    internal    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_tickets_status ON tickets(status);
CREATE INDEX IF NOT EXISTS ix_comments_ticket ON comments(ticket_id);");
                return 0;
            });
        }

        public static int Execute(SqliteConnection conn, string sql, params object[] args)
        {
            using (var cmd = Command(conn, sql, args)) return cmd.ExecuteNonQuery();
        }

        public static long Insert(SqliteConnection conn, string sql, params object[] args)
        {
            using (var cmd = Command(conn, sql, args))
            {
                cmd.ExecuteNonQuery();
            }
            using (var id = conn.CreateCommand())
            {
                id.CommandText = "SELECT last_insert_rowid();";
                return Convert.ToInt64(id.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
        }

        public static long Scalar(SqliteConnection conn, string sql, params object[] args)
        {
            using (var cmd = Command(conn, sql, args))
            {
                var value = cmd.ExecuteScalar();
                return value == null || value is DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
        }

        public static List<T> Query<T>(SqliteConnection conn, Func<IDataRecord, T> map, string sql, params object[] args)
        {
            var result = new List<T>();
            using (var cmd = Command(conn, sql, args))
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read()) result.Add(map(reader));
            }
            return result;
        }

        /// <summary>Parameters are positional: @p0, @p1, ... in the SQL text.</summary>
        private static SqliteCommand Command(SqliteConnection conn, string sql, object[] args)
        {
            var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            for (var i = 0; i < args.Length; i++)
            {
                var value = args[i];
                if (value is DateTime) value = ToText((DateTime)value);
                if (value is bool) value = (bool)value ? 1 : 0;
                cmd.Parameters.AddWithValue("@p" + i, value ?? DBNull.Value);
            }
            return cmd;
        }

        public static string ToText(DateTime value)
        {
            return value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        public static DateTime ReadDate(IDataRecord r, string column)
        {
            return DateTime.Parse(r[column].ToString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }

        public static int? ReadNullableInt(IDataRecord r, string column)
        {
            var value = r[column];
            return value == null || value is DBNull ? (int?)null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
        }
    }
}
