using System.Collections.Generic;
using System.Linq;
using Warehouse.Infrastructure.Http;
using Warehouse.Models;
using Warehouse.Repositories;
using Warehouse.Validation;

namespace Warehouse.Services
{
    /// <summary>Stock levels: goods received, manual corrections, the ledger and low-stock alerts.</summary>
    public sealed class StockService
    {
        private const int MaxQuantity = 100000;

        private readonly IProductRepository _products;
        private readonly IMovementRepository _movements;
        private readonly InventoryLock _lock;
        private readonly IClock _clock;

        public StockService(IProductRepository products, IMovementRepository movements, InventoryLock inventoryLock, IClock clock)
        {
            _products = products;
            _movements = movements;
            _lock = inventoryLock;
            _clock = clock;
        }

        /// <summary>Goods received from a supplier: on-hand goes up by the quantity.</summary>
        public StockMovement Receive(int productId, JsonBody body)
        {
            var quantity = body.GetInt("quantity");
            var reference = body.GetString("reference");
            var validator = new Validator()
                .Range("quantity", quantity, 1, MaxQuantity)
                .Required("reference", reference).Length("reference", reference, 1, 64);
            if (quantity == null) validator.Add("quantity", "is required");
            validator.ThrowIfInvalid();

            lock (_lock.Gate)
            {
                var product = RequireProduct(productId);
                product.QuantityOnHand += quantity.Value;
                return Record(product, MovementType.Receipt, quantity.Value, reference.Trim());
            }
        }

        /// <summary>A correction after a count or damage. On-hand may not drop below what is reserved.</summary>
        public StockMovement Adjust(int productId, JsonBody body)
        {
            var delta = body.GetInt("delta");
            var reason = body.GetString("reason");
            var validator = new Validator()
                .Range("delta", delta, -MaxQuantity, MaxQuantity)
                .Required("reason", reason).Length("reason", reason, 3, 200);
            if (delta == null) validator.Add("delta", "is required");
            else if (delta.Value == 0) validator.Add("delta", "must not be zero");
            validator.ThrowIfInvalid();

            lock (_lock.Gate)
            {
                var product = RequireProduct(productId);
                var newOnHand = product.QuantityOnHand + delta.Value;
                if (newOnHand < product.QuantityReserved)
                    throw new ConflictException(string.Format(
                        "Adjustment would leave {0} on hand for {1}, below the {2} reserved by open orders.",
                        newOnHand, product.Sku, product.QuantityReserved));
                product.QuantityOnHand = newOnHand;
                return Record(product, MovementType.Adjustment, delta.Value, reason.Trim());
            }
        }

        public IList<StockMovement> Movements(int productId, string type)
        {
            new Validator().OneOf("type", type, MovementType.All).ThrowIfInvalid();
            RequireProduct(productId);
            var movements = _movements.ForProduct(productId);
            return type == null ? movements : movements.Where(m => m.Type == type).ToList();
        }

        /// <summary>
        /// Products whose available quantity is at or below their (non-zero) reorder level,
        /// largest shortfall first, then by SKU.
        /// </summary>
        public IList<LowStockItem> LowStock()
        {
            return _products.All()
                .Where(p => p.ReorderLevel > 0 && p.QuantityAvailable <= p.ReorderLevel)
                .Select(p => new LowStockItem
                {
                    ProductId = p.Id,
                    Sku = p.Sku,
                    Name = p.Name,
                    QuantityAvailable = p.QuantityAvailable,
                    ReorderLevel = p.ReorderLevel,
                    Shortfall = p.ReorderLevel - p.QuantityAvailable,
                })
                .OrderByDescending(i => i.Shortfall)
                .ThenBy(i => i.Sku, System.StringComparer.Ordinal)
                .ToList();
        }

        private Product RequireProduct(int productId)
        {
            var product = _products.Find(productId);
            if (product == null) throw new NotFoundException("Product " + productId + " not found.");
            return product;
        }

        private StockMovement Record(Product product, string type, int quantity, string reference)
        {
            var now = _clock.UtcNow;
            product.UpdatedAt = now;
            _products.Update(product);
            return _movements.Add(new StockMovement
            {
                ProductId = product.Id,
                Type = type,
                Quantity = quantity,
                Reference = reference,
                BalanceAfter = product.QuantityOnHand,
                CreatedAt = now,
            });
        }
    }
}
