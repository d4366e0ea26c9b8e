using System;

namespace Helpdesk.Models
{
    public sealed class Ticket
    {
        public int Id { get; set; }
        public string Subject { get; set; }
        public string Description { get; set; }
        public string RequesterEmail { get; set; }
        public string Priority { get; set; }
        public string Status { get; set; }
        public int? AssigneeId { get; set; }
        public int CommentCount { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }
    }

    public static class TicketPriority
    {
        public const string Low = "low";
        public const string Normal = "normal";
        public const string High = "high";
        public const string Urgent = "urgent";
        public static readonly string[] All = { Low, Normal, High, Urgent };
    }

    public static class TicketStatus
    {
        public const string Open = "open";
        public const string InProgress = "in_progress";
        public const string Resolved = "resolved";
        public const string Closed = "closed";
        public static readonly string[] All = { Open, InProgress, Resolved, Closed };
    }

    /// <summary>Filters of GET /api/tickets; null means "any".</summary>
    public sealed class TicketQuery
    {
        public string Status { get; set; }
        public string Priority { get; set; }
        public int? AssigneeId { get; set; }
    }
}
