using System.Collections.Generic;
using Helpdesk.Infrastructure.Http;
using Helpdesk.Models;
using Helpdesk.Repositories;
using Helpdesk.Validation;

namespace Helpdesk.Services
{
    /// <summary>The conversation on a ticket: public replies and internal notes.</summary>
    public sealed class CommentService
    {
        private readonly ICommentRepository _comments;
        private readonly ITicketRepository _tickets;
        private readonly IClock _clock;

        public CommentService(ICommentRepository comments, ITicketRepository tickets, IClock clock)
        {
            _comments = comments;
            _tickets = tickets;
            _clock = clock;
        }

        /// <summary>
        /// Adds a comment. Closed tickets accept none. A public (non-internal) comment on a resolved
        /// ticket reopens it: the requester is still talking to us.
        /// </summary>
        public Comment Add(int ticketId, JsonBody body)
        {
            var author = body.GetString("author");
            var text = body.GetString("body");
            var isInternal = body.GetBool("internal") ?? false;
            new Validator()
                .Required("author", author).Length("author", author, 2, 80)
                .Required("body", text).Length("body", text, 1, 2000)
                .ThrowIfInvalid();

            var ticket = RequireTicket(ticketId);
            if (ticket.Status == TicketStatus.Closed)
                throw new ConflictException("Ticket " + ticketId + " is closed; comments are not accepted.");

            var now = _clock.UtcNow;
            var comment = _comments.Add(new Comment
            {
                TicketId = ticketId,
                Author = author.Trim(),
                Body = text.Trim(),
                Internal = isInternal,
                CreatedAt = now,
            });

            if (!isInternal && ticket.Status == TicketStatus.Resolved)
            {
                ticket.Status = TicketStatus.Open;
                ticket.UpdatedAt = now;
                _tickets.Update(ticket);
            }
            return comment;
        }

        public IList<Comment> List(int ticketId, bool includeInternal)
        {
            RequireTicket(ticketId);
            return _comments.ListForTicket(ticketId, includeInternal);
        }

        public void Delete(int ticketId, int commentId)
        {
            RequireTicket(ticketId);
            if (!_comments.Delete(ticketId, commentId))
                throw new NotFoundException("Comment " + commentId + " not found on ticket " + ticketId + ".");
        }

        private Ticket RequireTicket(int ticketId)
        {
            var ticket = _tickets.Find(ticketId);
            if (ticket == null) throw new NotFoundException("Ticket " + ticketId + " not found.");
            return ticket;
        }
    }
}
