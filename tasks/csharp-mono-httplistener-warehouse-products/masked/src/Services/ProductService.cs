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
            // TODO: validate and add a product to the catalogue.
            throw new NotImplementedException("ProductService.Create is not implemented.");
        }

        public Product Get(int id)
        {
            // TODO: return the product or fail with 404.
            throw new NotImplementedException("ProductService.Get is not implemented.");
        }

        public Product GetBySku(string sku)
        {
            // TODO: look the product up by SKU.
            throw new NotImplementedException("ProductService.GetBySku is not implemented.");
        }

        public IList<Product> List(string search)
        {
            // TODO: list and search the catalogue.
            throw new NotImplementedException("ProductService.List is not implemented.");
        }

        public Product Replace(int id, JsonBody body)
        {
            // TODO: replace name, price and reorder level.
            throw new NotImplementedException("ProductService.Replace is not implemented.");
        }

        public void Delete(int id)
        {
            // TODO: remove the product unless open orders reserve it.
            throw new NotImplementedException("ProductService.Delete is not implemented.");
        }
    }
}
