using System;
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

        public Comment Add(int ticketId, JsonBody body)
        {
            // TODO: validate and store a comment on the ticket.
            throw new NotImplementedException("CommentService.Add is not implemented.");
        }

        public IList<Comment> List(int ticketId, bool includeInternal)
        {
            // TODO: list the ticket's comments.
            throw new NotImplementedException("CommentService.List is not implemented.");
        }

        public void Delete(int ticketId, int commentId)
        {
            // TODO: delete one comment of the ticket.
            throw new NotImplementedException("CommentService.Delete is not implemented.");
        }
    }
}
