using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using Helpdesk.Infrastructure.Data;
using Helpdesk.Models;

namespace Helpdesk.Repositories
{
    public interface ITicketRepository
    {
        Ticket Add(Ticket ticket);
        Ticket Find(int id);
        IList<Ticket> Search(TicketQuery query);
        void Update(Ticket ticket);
        bool Delete(int id);
        IDictionary<string, int> CountBy(string column);
    }

    public sealed class TicketRepository : ITicketRepository
    {
        private const string SelectSql =
            "SELECT t.*, (SELECT COUNT(*) FROM comments c WHERE c.ticket_id = t.id) AS comment_count FROM tickets t";

        private readonly Database _db;

        public TicketRepository(Database db) { _db = db; }

        public Ticket Add(Ticket ticket)
        {
            return _db.WithConnection(conn =>
            {
                ticket.Id = (int)Database.Insert(conn,
                    "INSERT INTO tickets (subject, description, requester_email, priority, status, assignee_id, created_at, updated_at) " +
                    "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)",
                    ticket.Subject, ticket.Description, ticket.RequesterEmail, ticket.Priority, ticket.Status,
                    ticket.AssigneeId, ticket.CreatedAt, ticket.UpdatedAt);
                return ticket;
            });
        }

        public Ticket Find(int id)
        {
            return _db.WithConnection(conn =>
                Database.Query(conn, Map, SelectSql + " WHERE t.id = @p0", id).FirstOrDefault());
        }

        public IList<Ticket> Search(TicketQuery query)
        {
            var clauses = new List<string>();
            var args = new List<object>();
            if (query.Status != null) { clauses.Add("t.status = @p" + args.Count); args.Add(query.Status); }
            if (query.Priority != null) { clauses.Add("t.priority = @p" + args.Count); args.Add(query.Priority); }
            if (query.AssigneeId.HasValue) { clauses.Add("t.assignee_id = @p" + args.Count); args.Add(query.AssigneeId.Value); }
            var sql = SelectSql + (clauses.Count > 0 ? " WHERE " + string.Join(" AND ", clauses) : "") + " ORDER BY t.id";
            return _db.WithConnection(conn => Database.Query(conn, Map, sql, args.ToArray()));
        }

        public void Update(Ticket ticket)
        {
            _db.WithConnection(conn => Database.Execute(conn,
                "UPDATE tickets SET subject = @p0, description = @p1, priority = @p2, status = @p3, assignee_id = @p4, updated_at = @p5 WHERE id = @p6",
                ticket.Subject, ticket.Description, ticket.Priority, ticket.Status, ticket.AssigneeId, ticket.UpdatedAt, ticket.Id));
        }

        public bool Delete(int id)
        {
            return _db.WithConnection(conn => Database.Execute(conn, "DELETE FROM tickets WHERE id = @p0", id) > 0);
        }

        public IDictionary<string, int> CountBy(string column)
        {
            if (column != "status" && column != "priority") throw new ArgumentException("column");
            return _db.WithConnection(conn => Database.Query(conn,
                r => new KeyValuePair<string, int>(r[0].ToString(), Convert.ToInt32(r[1])),
                "SELECT " + column + ", COUNT(*) FROM tickets GROUP BY " + column))
                .ToDictionary(kv => kv.Key, kv => kv.Value);
        }

        private static Ticket Map(IDataRecord r)
        {
            return new Ticket
            {
                Id = System.Convert.ToInt32(r["id"]),
                Subject = r["subject"].ToString(),
                Description = r["description"].ToString(),
                RequesterEmail = r["requester_email"].ToString(),
                Priority = r["priority"].ToString(),
                Status = r["status"].ToString(),
                AssigneeId = Database.ReadNullableInt(r, "assignee_id"),
                CommentCount = Convert.ToInt32(r["comment_count"]),
                CreatedAt = Database.ReadDate(r, "created_at"),
                UpdatedAt = Database.ReadDate(r, "updated_at"),
            };
        }
    }
}
