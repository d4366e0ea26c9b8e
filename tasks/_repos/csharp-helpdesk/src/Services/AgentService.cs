using System.Collections.Generic;
using Helpdesk.Infrastructure.Http;
using Helpdesk.Models;
using Helpdesk.Repositories;
using Helpdesk.Validation;

namespace Helpdesk.Services
{
    public sealed class AgentService
    {
        private readonly IAgentRepository _agents;
        private readonly IClock _clock;

        public AgentService(IAgentRepository agents, IClock clock)
        {
            _agents = agents;
            _clock = clock;
        }

        public Agent Create(JsonBody body)
        {
            var name = body.GetString("name");
            var email = body.GetString("email");
            var team = body.GetString("team");
            new Validator()
                .Required("name", name).Length("name", name, 2, 80)
                .Required("email", email).Email("email", email)
                .Required("team", team).OneOf("team", team, Teams.All)
                .ThrowIfInvalid();

            email = email.Trim().ToLowerInvariant();
            if (_agents.FindByEmail(email) != null)
                throw new ConflictException("An agent with email " + email + " already exists.");

            return _agents.Add(new Agent
            {
                Name = name.Trim(),
                Email = email,
                Team = team,
                Active = true,
                CreatedAt = _clock.UtcNow,
            });
        }

        public Agent Get(int id)
        {
            var agent = _agents.Find(id);
            if (agent == null) throw new NotFoundException("Agent " + id + " not found.");
            return agent;
        }

        public IList<Agent> List(string team)
        {
            new Validator().OneOf("team", team, Teams.All).ThrowIfInvalid();
            return _agents.List(team);
        }

        /// <summary>An agent who still owns open or in-progress tickets cannot be deactivated.</summary>
        public Agent Deactivate(int id)
        {
            var agent = Get(id);
            var open = _agents.CountOpenAssignments(id);
            if (open > 0)
                throw new ConflictException("Agent " + id + " still has " + open + " open ticket(s); reassign them first.");
            _agents.SetActive(id, false);
            agent.Active = false;
            return agent;
        }
    }
}
