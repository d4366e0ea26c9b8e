using System.Collections.Generic;
using System.Linq;
using Helpdesk.Infrastructure.Http;
using Helpdesk.Models;
using Helpdesk.Repositories;
using Helpdesk.Validation;

namespace Helpdesk.Services
{
    /// <summary>Ticket lifecycle: intake, triage (priority, assignment) and the status workflow.</summary>
    public sealed class TicketService
    {
        /// <summary>Allowed status changes: from -> to.</summary>
        private static readonly Dictionary<string, string[]> Transitions = new Dictionary<string, string[]>
        {
            { TicketStatus.Open, new[] { TicketStatus.InProgress, TicketStatus.Resolved, TicketStatus.Closed } },
            { TicketStatus.InProgress, new[] { TicketStatus.Open, TicketStatus.Resolved, TicketStatus.Closed } },
            { TicketStatus.Resolved, new[] { TicketStatus.Open, TicketStatus.Closed } },
            { TicketStatus.Closed, new string[0] },
        };

        private readonly ITicketRepository _tickets;
        private readonly IAgentRepository _agents;
        private readonly IClock _clock;

        public TicketService(ITicketRepository tickets, IAgentRepository agents, IClock clock)
        {
            _tickets = tickets;
            _agents = agents;
            _clock = clock;
        }

        public Ticket Create(JsonBody body)
        {
            var subject = body.GetString("subject");
            var description = body.GetString("description");
            var requester = body.GetString("requesterEmail");
            var priority = body.GetString("priority") ?? TicketPriority.Normal;
            new Validator()
                .Required("subject", subject).Length("subject", subject, 3, 120)
                .Required("description", description).Length("description", description, 1, 5000)
                .Required("requesterEmail", requester).Email("requesterEmail", requester)
                .OneOf("priority", priority, TicketPriority.All)
                .ThrowIfInvalid();

            var now = _clock.UtcNow;
            return _tickets.Add(new Ticket
            {
                Subject = subject.Trim(),
                Description = description.Trim(),
                RequesterEmail = requester.Trim().ToLowerInvariant(),
                Priority = priority,
                Status = TicketStatus.Open,
                AssigneeId = null,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        public Ticket Get(int id)
        {
            var ticket = _tickets.Find(id);
            if (ticket == null) throw new NotFoundException("Ticket " + id + " not found.");
            return ticket;
        }

        public IList<Ticket> List(string status, string priority, int? assigneeId)
        {
            new Validator()
                .OneOf("status", status, TicketStatus.All)
                .OneOf("priority", priority, TicketPriority.All)
                .ThrowIfInvalid();
            return _tickets.Search(new TicketQuery { Status = status, Priority = priority, AssigneeId = assigneeId });
        }

        /// <summary>Partial update of subject, description and priority; closed tickets are frozen.</summary>
        public Ticket Update(int id, JsonBody body)
        {
            var subject = body.GetString("subject");
            var description = body.GetString("description");
            var priority = body.GetString("priority");
            var validator = new Validator()
                .Length("subject", subject, 3, 120)
                .Length("description", description, 1, 5000)
                .OneOf("priority", priority, TicketPriority.All);
            if (subject == null && description == null && priority == null)
                validator.Add("body", "at least one of subject, description, priority is required");
            validator.ThrowIfInvalid();

            var ticket = Get(id);
            if (ticket.Status == TicketStatus.Closed)
                throw new ConflictException("Ticket " + id + " is closed and cannot be edited.");

            if (subject != null) ticket.Subject = subject.Trim();
            if (description != null) ticket.Description = description.Trim();
            if (priority != null) ticket.Priority = priority;
            ticket.UpdatedAt = _clock.UtcNow;
            _tickets.Update(ticket);
            return ticket;
        }

        /// <summary>Assigns an active agent; resolved and closed tickets cannot be reassigned.</summary>
        public Ticket Assign(int id, JsonBody body)
        {
            var agentId = body.GetInt("agentId");
            if (agentId == null) throw new ValidationException("agentId", "is required");

            var ticket = Get(id);
            if (ticket.Status == TicketStatus.Resolved || ticket.Status == TicketStatus.Closed)
                throw new ConflictException("Ticket " + id + " is " + ticket.Status + " and cannot be assigned.");

            var agent = _agents.Find(agentId.Value);
            if (agent == null) throw new UnprocessableEntityException("Agent " + agentId + " does not exist.");
            if (!agent.Active) throw new UnprocessableEntityException("Agent " + agentId + " is inactive.");

            ticket.AssigneeId = agent.Id;
            ticket.UpdatedAt = _clock.UtcNow;
            _tickets.Update(ticket);
            return ticket;
        }

        /// <summary>Moves a ticket through the workflow; in_progress requires an assignee.</summary>
        public Ticket ChangeStatus(int id, JsonBody body)
        {
            var status = body.GetString("status");
            new Validator().Required("status", status).OneOf("status", status, TicketStatus.All).ThrowIfInvalid();

            var ticket = Get(id);
            if (!Transitions[ticket.Status].Contains(status))
                throw new ConflictException("Cannot move ticket " + id + " from " + ticket.Status + " to " + status + ".");
            if (status == TicketStatus.InProgress && ticket.AssigneeId == null)
                throw new ConflictException("Ticket " + id + " must be assigned before work can start.");

            ticket.Status = status;
            ticket.UpdatedAt = _clock.UtcNow;
            _tickets.Update(ticket);
            return ticket;
        }

        public void Delete(int id)
        {
            if (!_tickets.Delete(id)) throw new NotFoundException("Ticket " + id + " not found.");
        }
    }
}
