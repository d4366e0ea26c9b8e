using System;

namespace Warehouse.Models
{
    public sealed class Product
    {
        public int Id { get; set; }
        public string Sku { get; set; }
        public string Name { get; set; }
        public decimal UnitPrice { get; set; }
        public int ReorderLevel { get; set; }
        public int QuantityOnHand { get; set; }
        /// <summary>Units promised to orders that have not shipped yet.</summary>
        public int QuantityReserved { get; set; }
        public int QuantityAvailable { get { return QuantityOnHand - QuantityReserved; } }
        public DateTime CreatedAt { get; set; }
        public DateTime UpdatedAt { get; set; }

        public Product Clone() { return (Product)MemberwiseClone(); }
    }
}
