namespace Warehouse.Services
{
    /// <summary>
    /// Serializes read-modify-write sequences on stock levels (receipts, adjustments, reservations,
    /// shipments), which span several repository calls. One instance is shared by the services.
    /// </summary>
    public sealed class InventoryLock
    {
        public readonly object Gate = new object();
    }
}
