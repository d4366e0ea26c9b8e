using System;

namespace Helpdesk.Models
{
    public sealed class Comment
    {
        public int Id { get; set; }
        public int TicketId { get; set; }
        public string Author { get; set; }
        public string Body { get; set; }
        public bool Internal { get; set; }
        public DateTime CreatedAt { get; set; }
    }
}
