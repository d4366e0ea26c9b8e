using System;
using System.Collections.Generic;
using System.Linq;
using Warehouse.Models;

namespace Warehouse.Repositories
{
    public interface IProductRepository
    {
        Product Add(Product product);
        Product Find(int id);
        Product FindBySku(string sku);
        IList<Product> All();
        void Update(Product product);
        bool Remove(int id);
    }

    /// <summary>
    /// In-memory product store. Entities are copied on the way in and out so callers never share
    /// state with the store; SKUs are unique without regard to case.
    /// </summary>
    public sealed class InMemoryProductRepository : IProductRepository
    {
        private readonly object _gate = new object();
        private readonly Dictionary<int, Product> _byId = new Dictionary<int, Product>();
        private int _nextId = 1;

        public Product Add(Product product)
        {
            lock (_gate)
            {
                if (_byId.Values.Any(p => string.Equals(p.Sku, product.Sku, StringComparison.OrdinalIgnoreCase)))
                    throw new InvalidOperationException("Duplicate SKU " + product.Sku);
                product.Id = _nextId++;
                _byId[product.Id] = product.Clone();
                return product;
            }
        }

        public Product Find(int id)
        {
            lock (_gate)
            {
                Product product;
                return _byId.TryGetValue(id, out product) ? product.Clone() : null;
            }
        }

        public Product FindBySku(string sku)
        {
            lock (_gate)
            {
                var product = _byId.Values.FirstOrDefault(p => string.Equals(p.Sku, sku, StringComparison.OrdinalIgnoreCase));
                return product == null ? null : product.Clone();
            }
        }

        public IList<Product> All()
        {
            lock (_gate)
            {
                return _byId.Values.OrderBy(p => p.Id).Select(p => p.Clone()).ToList();
            }
        }

        public void Update(Product product)
        {
            lock (_gate)
            {
                if (!_byId.ContainsKey(product.Id)) throw new KeyNotFoundException("Product " + product.Id);
                _byId[product.Id] = product.Clone();
            }
        }

        public bool Remove(int id)
        {
            lock (_gate)
            {
                return _byId.Remove(id);
            }
        }
    }
}
