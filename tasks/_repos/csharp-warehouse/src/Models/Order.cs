using System;
using System.Collections.Generic;
using System.Linq;

namespace Warehouse.Models
{
    public sealed class Order
    {
        public Order() { Lines = new List<OrderLine>(); }

        public int Id { get; set; }
        public string Customer { get; set; }
        public string Status { get; set; }
        public List<OrderLine> Lines { get; set; }
        public decimal Total { get; set; }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public Order Clone()
        {
            var copy = (Order)MemberwiseClone();
            copy.Lines = Lines.Select(l => l.Clone()).ToList();
            return copy;
        }
    }

    public sealed class OrderLine
    {
        public int ProductId { get; set; }
        public string Sku { get; set; }
        public int Quantity { get; set; }
        /// <summary>Price of one unit when the order was placed.</summary>
        public decimal UnitPrice { get; set; }
        public decimal LineTotal { get; set; }

        public OrderLine Clone() { return (OrderLine)MemberwiseClone(); }
    }

    public static class OrderStatus
    {
        public const string Reserved = "reserved";
        public const string Shipped = "shipped";
        public const string Cancelled = "cancelled";
        public static readonly string[] All = { Reserved, Shipped, Cancelled };
    }
}
