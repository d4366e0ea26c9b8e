using System;

namespace Helpdesk.Models
{
    public sealed class Agent
    {
        public int Id { get; set; }
        public string Name { get; set; }
        public string Email { get; set; }
        public string Team { get; set; }
        public bool Active { get; set; }
        public DateTime CreatedAt { get; set; }
    }

    public static class Teams
    {
        public static readonly string[] All = { "billing", "technical", "general" };
    }
}
