using System;
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

        public StockMovement Receive(int productId, JsonBody body)
        {
            // TODO: record goods received.
            throw new NotImplementedException("StockService.Receive is not implemented.");
        }

        public StockMovement Adjust(int productId, JsonBody body)
        {
            // TODO: record a stock correction.
            throw new NotImplementedException("StockService.Adjust is not implemented.");
        }

        public IList<StockMovement> Movements(int productId, string type)
        {
            // TODO: the product's stock ledger.
            throw new NotImplementedException("StockService.Movements is not implemented.");
        }

        public IList<LowStockItem> LowStock()
        {
            // TODO: products at or below their reorder level.
            throw new NotImplementedException("StockService.LowStock is not implemented.");
        }
    }
}
