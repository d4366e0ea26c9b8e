using System;

namespace Warehouse.Models
{
    /// <summary>One change of a product's on-hand quantity (the stock ledger).</summary>
    public sealed class StockMovement
    {
        public int Id { get; set; }
        public int ProductId { get; set; }
        public string Type { get; set; }
        /// <summary>Signed change of the on-hand quantity.</summary>
        public int Quantity { get; set; }
        /// <summary>Receipt reference, adjustment reason or "order:{id}" for shipments.</summary>
        public string Reference { get; set; }
        public int BalanceAfter { get; set; }
        public DateTime CreatedAt { get; set; }

        public StockMovement Clone() { return (StockMovement)MemberwiseClone(); }
    }

    public static class MovementType
    {
        public const string Receipt = "receipt";
        public const string Adjustment = "adjustment";
        public const string Shipment = "shipment";
        public static readonly string[] All = { Receipt, Adjustment, Shipment };
    }

    /// <summary>A row of GET /api/stock/low.</summary>
    public sealed class LowStockItem
    {
        public int ProductId { get; set; }
        public string Sku { get; set; }
        public string Name { get; set; }
        public int QuantityAvailable { get; set; }
        public int ReorderLevel { get; set; }
        public int Shortfall { get; set; }
    }
}
