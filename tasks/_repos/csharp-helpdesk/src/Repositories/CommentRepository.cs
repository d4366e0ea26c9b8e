using System.Collections.Generic;
using System.Data;
using System.Linq;
using Helpdesk.Infrastructure.Data;
using Helpdesk.Models;

namespace Helpdesk.Repositories
{
    public interface ICommentRepository
    {
        Comment Add(Comment comment);
        Comment Find(int ticketId, int commentId);
        IList<Comment> ListForTicket(int ticketId, bool includeInternal);
        bool Delete(int ticketId, int commentId);
    }

    public sealed class CommentRepository : ICommentRepository
    {
        private readonly Database _db;

        public CommentRepository(Database db) { _db = db; }

        public Comment Add(Comment comment)
        {
            return _db.WithConnection(conn =>
            {
                comment.Id = (int)Database.Insert(conn,
                    "INSERT INTO comments (ticket_id, author, body, internal, created_at) VALUES (@p0, @p1, @p2, @p3, @p4)",
                    comment.TicketId, comment.Author, comment.Body, comment.Internal, comment.CreatedAt);
                return comment;
            });
        }

        public Comment Find(int ticketId, int commentId)
        {
            return _db.WithConnection(conn => Database.Query(conn, Map,
                "SELECT * FROM comments WHERE ticket_id = @p0 AND id = @p1", ticketId, commentId).FirstOrDefault());
        }

        public IList<Comment> ListForTicket(int ticketId, bool includeInternal)
        {
            return _db.WithConnection(conn => includeInternal
                ? Database.Query(conn, Map, "SELECT * FROM comments WHERE ticket_id = @p0 ORDER BY id", ticketId)
                : Database.Query(conn, Map, "SELECT * FROM comments WHERE ticket_id = @p0 AND internal = 0 ORDER BY id", ticketId));
        }

        public bool Delete(int ticketId, int commentId)
        {
            return _db.WithConnection(conn => Database.Execute(conn,
                "DELETE FROM comments WHERE ticket_id = @p0 AND id = @p1", ticketId, commentId) > 0);
        }

        private static Comment Map(IDataRecord r)
        {
            return new Comment
            {
                Id = System.Convert.ToInt32(r["id"]),
                TicketId = System.Convert.ToInt32(r["ticket_id"]),
                Author = r["author"].ToString(),
                Body = r["body"].ToString(),
                Internal = System.Convert.ToInt32(r["internal"]) != 0,
                CreatedAt = Database.ReadDate(r, "created_at"),
            };
        }
    }
}
