using System;
using System.Collections.Generic;
using System.Linq;
using Warehouse.Infrastructure.Http;
using Warehouse.Models;
using Warehouse.Repositories;
using Warehouse.Validation;

namespace Warehouse.Services
{
    /// <summary>
    /// Customer orders. Placing an order reserves stock for every line (all or nothing); shipping
    /// takes the reserved units out of the warehouse; cancelling releases the reservation.
    /// </summary>
    public sealed class OrderService
    {
        private const int MaxLines = 50;
        private const int MaxLineQuantity = 10000;

        private readonly IOrderRepository _orders;
        private readonly IProductRepository _products;
        private readonly IMovementRepository _movements;
        private readonly InventoryLock _lock;
        private readonly IClock _clock;

        public OrderService(IOrderRepository orders, IProductRepository products, IMovementRepository movements,
            InventoryLock inventoryLock, IClock clock)
        {
            _orders = orders;
            _products = products;
            _movements = movements;
            _lock = inventoryLock;
            _clock = clock;
        }

        public Order Place(JsonBody body)
        {
            var customer = body.GetString("customer");
            var lines = body.GetObjectList("lines");
            var validator = new Validator().Required("customer", customer).Length("customer", customer, 2, 100);
            var requested = new List<KeyValuePair<string, int>>();
            if (lines == null || lines.Count == 0) validator.Add("lines", "must contain at least one line");
            else if (lines.Count > MaxLines) validator.Add("lines", "must contain at most " + MaxLines + " lines");
            else
            {
                for (var i = 0; i < lines.Count; i++)
                {
                    var field = "lines[" + i + "]";
                    var sku = lines[i].GetString("sku");
                    var quantity = lines[i].GetInt("quantity");
                    if (string.IsNullOrWhiteSpace(sku)) { validator.Add(field + ".sku", "is required"); continue; }
                    if (quantity == null || quantity.Value < 1 || quantity.Value > MaxLineQuantity)
                    {
                        validator.Add(field + ".quantity", "must be between 1 and " + MaxLineQuantity);
                        continue;
                    }
                    sku = sku.Trim().ToUpperInvariant();
                    if (requested.Any(r => r.Key == sku)) { validator.Add(field + ".sku", "appears more than once"); continue; }
                    requested.Add(new KeyValuePair<string, int>(sku, quantity.Value));
                }
            }
            validator.ThrowIfInvalid();

            lock (_lock.Gate)
            {
                var products = new List<Product>();
                foreach (var line in requested)
                {
                    var product = _products.FindBySku(line.Key);
                    if (product == null) throw new UnprocessableEntityException("Unknown SKU " + line.Key + ".");
                    products.Add(product);
                }

                var shortages = requested.Zip(products, (line, product) => new { line, product })
                    .Where(x => x.product.QuantityAvailable < x.line.Value)
                    .Select(x => x.product.Sku + " (requested " + x.line.Value + ", available " + x.product.QuantityAvailable + ")")
                    .ToList();
                if (shortages.Count > 0)
                    throw new ConflictException("Insufficient stock: " + string.Join("; ", shortages) + ".");

                var now = _clock.UtcNow;
                var order = new Order
                {
                    Customer = customer.Trim(),
                    Status = OrderStatus.Reserved,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                for (var i = 0; i < requested.Count; i++)
                {
                    var product = products[i];
                    var quantity = requested[i].Value;
                    product.QuantityReserved += quantity;
                    product.UpdatedAt = now;
                    _products.Update(product);
                    order.Lines.Add(new OrderLine
                    {
                        ProductId = product.Id,
                        Sku = product.Sku,
                        Quantity = quantity,
                        UnitPrice = product.UnitPrice,
                        LineTotal = decimal.Round(product.UnitPrice * quantity, 2),
                    });
                }
                order.Total = order.Lines.Sum(l => l.LineTotal);
                return _orders.Add(order);
            }
        }

        public Order Get(int id)
        {
            var order = _orders.Find(id);
            if (order == null) throw new NotFoundException("Order " + id + " not found.");
            return order;
        }

        public IList<Order> List(string status, string customer)
        {
            new Validator().OneOf("status", status, OrderStatus.All).ThrowIfInvalid();
            IEnumerable<Order> orders = _orders.All();
            if (status != null) orders = orders.Where(o => o.Status == status);
            if (!string.IsNullOrWhiteSpace(customer))
                orders = orders.Where(o => string.Equals(o.Customer, customer.Trim(), StringComparison.OrdinalIgnoreCase));
            return orders.ToList();
        }

        /// <summary>Ships a reserved order: on-hand and reserved both drop by each line's quantity.</summary>
        public Order Ship(int id)
        {
            lock (_lock.Gate)
            {
                var order = RequireStatus(id, "shipped");
                var now = _clock.UtcNow;
                foreach (var line in order.Lines)
                {
                    var product = _products.Find(line.ProductId);
                    if (product == null) continue;
                    product.QuantityOnHand -= line.Quantity;
                    product.QuantityReserved -= line.Quantity;
                    product.UpdatedAt = now;
                    _products.Update(product);
                    _movements.Add(new StockMovement
                    {
                        ProductId = product.Id,
                        Type = MovementType.Shipment,
                        Quantity = -line.Quantity,
                        Reference = "order:" + order.Id,
                        BalanceAfter = product.QuantityOnHand,
                        CreatedAt = now,
                    });
                }
                order.Status = OrderStatus.Shipped;
                order.UpdatedAt = now;
                _orders.Update(order);
                return order;
            }
        }

        /// <summary>Cancels a reserved order and gives its units back to available stock.</summary>
        public Order Cancel(int id)
        {
            lock (_lock.Gate)
            {
                var order = RequireStatus(id, "cancelled");
                var now = _clock.UtcNow;
                foreach (var line in order.Lines)
                {
                    var product = _products.Find(line.ProductId);
                    if (product == null) continue;
                    product.QuantityReserved -= line.Quantity;
                    product.UpdatedAt = now;
                    _products.Update(product);
                }
                order.Status = OrderStatus.Cancelled;
                order.UpdatedAt = now;
                _orders.Update(order);
                return order;
            }
        }

        private Order RequireStatus(int id, string target)
        {
            var order = Get(id);
            if (order.Status != OrderStatus.Reserved)
                throw new ConflictException("Order " + id + " is " + order.Status + " and cannot be " + target + ".");
            return order;
        }
    }
}
