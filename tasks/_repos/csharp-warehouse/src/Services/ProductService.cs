using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Warehouse.Infrastructure.Http;
using Warehouse.Models;
using Warehouse.Repositories;
using Warehouse.Validation;

namespace Warehouse.Services
{
    /// <summary>The product catalogue: SKUs, names, prices and reorder levels.</summary>
    public sealed class ProductService
    {
        private static readonly Regex SkuPattern = new Regex("^[A-Z0-9][A-Z0-9-]{2,31}$", RegexOptions.Compiled);
        private const decimal MaxPrice = 1000000m;

        private readonly IProductRepository _products;
        private readonly IOrderRepository _orders;
        private readonly InventoryLock _lock;
        private readonly IClock _clock;

        public ProductService(IProductRepository products, IOrderRepository orders, InventoryLock inventoryLock, IClock clock)
        {
            _products = products;
            _orders = orders;
            _lock = inventoryLock;
            _clock = clock;
        }

        public Product Create(JsonBody body)
        {
            var sku = body.GetString("sku");
            var name = body.GetString("name");
            var unitPrice = body.GetDecimal("unitPrice");
            var reorderLevel = body.GetInt("reorderLevel") ?? 0;
            sku = sku == null ? null : sku.Trim().ToUpperInvariant();

            var validator = new Validator()
                .Required("sku", sku)
                .Matches("sku", sku, SkuPattern, "must be 3-32 letters, digits or dashes, not starting with a dash")
                .Required("name", name).Length("name", name, 2, 100)
                .Money("unitPrice", unitPrice, MaxPrice)
                .Range("reorderLevel", reorderLevel, 0, 1000000);
            if (unitPrice == null) validator.Add("unitPrice", "is required");
            validator.ThrowIfInvalid();

            lock (_lock.Gate)
            {
                if (_products.FindBySku(sku) != null)
                    throw new ConflictException("A product with SKU " + sku + " already exists.");
                var now = _clock.UtcNow;
                return _products.Add(new Product
                {
                    Sku = sku,
                    Name = name.Trim(),
                    UnitPrice = unitPrice.Value,
                    ReorderLevel = reorderLevel,
                    QuantityOnHand = 0,
                    QuantityReserved = 0,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }
        }

        public Product Get(int id)
        {
            var product = _products.Find(id);
            if (product == null) throw new NotFoundException("Product " + id + " not found.");
            return product;
        }

        public Product GetBySku(string sku)
        {
            var product = _products.FindBySku((sku ?? "").Trim());
            if (product == null) throw new NotFoundException("No product with SKU " + sku + ".");
            return product;
        }

        /// <summary>Case-insensitive substring search over SKU and name; ordered by id.</summary>
        public IList<Product> List(string search)
        {
            var all = _products.All();
            if (string.IsNullOrWhiteSpace(search)) return all;
            var term = search.Trim();
            return all.Where(p =>
                p.Sku.IndexOf(term, StringComparison.OrdinalIgnoreCase) >= 0 ||
                p.Name.IndexOf(term, StringComparison.OrdinalIgnoreCase) >= 0).ToList();
        }

        /// <summary>Replaces name, price and reorder level. The SKU and stock levels are not editable here.</summary>
        public Product Replace(int id, JsonBody body)
        {
            var name = body.GetString("name");
            var unitPrice = body.GetDecimal("unitPrice");
            var reorderLevel = body.GetInt("reorderLevel");
            var validator = new Validator()
                .Required("name", name).Length("name", name, 2, 100)
                .Money("unitPrice", unitPrice, MaxPrice)
                .Range("reorderLevel", reorderLevel, 0, 1000000);
            if (unitPrice == null) validator.Add("unitPrice", "is required");
            if (reorderLevel == null) validator.Add("reorderLevel", "is required");
            if (body.Has("sku")) validator.Add("sku", "cannot be changed");
            validator.ThrowIfInvalid();

            lock (_lock.Gate)
            {
                var product = Get(id);
                product.Name = name.Trim();
                product.UnitPrice = unitPrice.Value;
                product.ReorderLevel = reorderLevel.Value;
                product.UpdatedAt = _clock.UtcNow;
                _products.Update(product);
                return product;
            }
        }

        /// <summary>A product that open orders still hold stock of cannot be removed.</summary>
        public void Delete(int id)
        {
            lock (_lock.Gate)
            {
                var product = Get(id);
                if (product.QuantityReserved > 0 || _orders.CountOpenForProduct(id) > 0)
                    throw new ConflictException("Product " + product.Sku + " is reserved by open orders.");
                _products.Remove(id);
            }
        }
    }
}
