using System.Collections.Generic;
using System.Linq;
using Helpdesk.Models;
using Helpdesk.Repositories;

namespace Helpdesk.Services
{
    /// <summary>Queue overview for the dashboard: ticket counts by status and by priority.</summary>
    public sealed class StatsService
    {
        private readonly ITicketRepository _tickets;

        public StatsService(ITicketRepository tickets) { _tickets = tickets; }

        public Dictionary<string, object> Snapshot()
        {
            var byStatus = Fill(TicketStatus.All, _tickets.CountBy("status"));
            var byPriority = Fill(TicketPriority.All, _tickets.CountBy("priority"));
            return new Dictionary<string, object>
            {
                { "total", byStatus.Values.Sum() },
                { "byStatus", byStatus },
                { "byPriority", byPriority },
            };
        }

        private static Dictionary<string, int> Fill(IEnumerable<string> keys, IDictionary<string, int> counts)
        {
            var result = new Dictionary<string, int>();
            foreach (var key in keys)
            {
                int n;
                result[key] = counts.TryGetValue(key, out n) ? n : 0;
            }
            return result;
        }
    }
}
