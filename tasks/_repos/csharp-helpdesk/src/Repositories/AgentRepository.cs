using System.Collections.Generic;
using System.Data;
using System.Linq;
using Helpdesk.Infrastructure.Data;
using Helpdesk.Models;

namespace Helpdesk.Repositories
{
    public interface IAgentRepository
    {
        Agent Add(Agent agent);
        Agent Find(int id);
        Agent FindByEmail(string email);
        IList<Agent> List(string team);
        void SetActive(int id, bool active);
        int CountOpenAssignments(int agentId);
    }

    public sealed class AgentRepository : IAgentRepository
    {
        private readonly Database _db;

        public AgentRepository(Database db) { _db = db; }

        public Agent Add(Agent agent)
        {
            return _db.WithConnection(conn =>
            {
                agent.Id = (int)Database.Insert(conn,
                    "INSERT INTO agents (name, email, team, active, created_at) VALUES (@p0, @p1, @p2, @p3, @p4)",
                    agent.Name, agent.Email, agent.Team, agent.Active, agent.CreatedAt);
                return agent;
            });
        }

        public Agent Find(int id)
        {
            return _db.WithConnection(conn =>
                Database.Query(conn, Map, "SELECT * FROM agents WHERE id = @p0", id).FirstOrDefault());
        }

        public Agent FindByEmail(string email)
        {
            return _db.WithConnection(conn =>
                Database.Query(conn, Map, "SELECT * FROM agents WHERE email = @p0", email).FirstOrDefault());
        }

        public IList<Agent> List(string team)
        {
            return _db.WithConnection(conn => team == null
                ? Database.Query(conn, Map, "SELECT * FROM agents ORDER BY id")
                : Database.Query(conn, Map, "SELECT * FROM agents WHERE team = @p0 ORDER BY id", team));
        }

        public void SetActive(int id, bool active)
        {
            _db.WithConnection(conn => Database.Execute(conn, "UPDATE agents SET active = @p0 WHERE id = @p1", active, id));
        }

        public int CountOpenAssignments(int agentId)
        {
            return _db.WithConnection(conn => (int)Database.Scalar(conn,
                "SELECT COUNT(*) FROM tickets WHERE assignee_id = @p0 AND status IN ('open', 'in_progress')", agentId));
        }

        private static Agent Map(IDataRecord r)
        {
            return new Agent
            {
                Id = System.Convert.ToInt32(r["id"]),
                Name = r["name"].ToString(),
                Email = r["email"].ToString(),
                Team = r["team"].ToString(),
                Active = System.Convert.ToInt32(r["active"]) != 0,
                CreatedAt = Database.ReadDate(r, "created_at"),
            };
        }
    }
}
