using System;
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
            // TODO: validate the body and store a new open ticket.
            throw new NotImplementedException("TicketService.Create is not implemented.");
        }

        public Ticket Get(int id)
        {
            // TODO: return the ticket or fail with 404.
            throw new NotImplementedException("TicketService.Get is not implemented.");
        }

        public IList<Ticket> List(string status, string priority, int? assigneeId)
        {
            // TODO: validate the filters and search the repository.
            throw new NotImplementedException("TicketService.List is not implemented.");
        }

        public Ticket Update(int id, JsonBody body)
        {
            // TODO: partial update of subject, description and priority.
            throw new NotImplementedException("TicketService.Update is not implemented.");
        }

        public Ticket Assign(int id, JsonBody body)
        {
            // TODO: assign the ticket to an active agent.
            throw new NotImplementedException("TicketService.Assign is not implemented.");
        }

        public Ticket ChangeStatus(int id, JsonBody body)
        {
            // TODO: move the ticket through the status workflow.
            throw new NotImplementedException("TicketService.ChangeStatus is not implemented.");
        }

        public void Delete(int id)
        {
            // TODO: delete the ticket or fail with 404.
            throw new NotImplementedException("TicketService.Delete is not implemented.");
        }
    }
}
