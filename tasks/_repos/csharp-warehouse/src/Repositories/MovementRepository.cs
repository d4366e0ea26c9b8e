using System.Collections.Generic;
using System.Linq;
using Warehouse.Models;

namespace Warehouse.Repositories
{
    public interface IMovementRepository
    {
        StockMovement Add(StockMovement movement);
        IList<StockMovement> ForProduct(int productId);
    }

    /// <summary>Append-only in-memory stock ledger.</summary>
    public sealed class InMemoryMovementRepository : IMovementRepository
    {
        private readonly object _gate = new object();
        private readonly List<StockMovement> _movements = new List<StockMovement>();
        private int _nextId = 1;

        public StockMovement Add(StockMovement movement)
        {
            lock (_gate)
            {
                movement.Id = _nextId++;
                _movements.Add(movement.Clone());
                return movement;
            }
        }

        /// <summary>The product's movements, oldest first.</summary>
        public IList<StockMovement> ForProduct(int productId)
        {
            lock (_gate)
            {
                return _movements.Where(m => m.ProductId == productId).OrderBy(m => m.Id).Select(m => m.Clone()).ToList();
            }
        }
    }
}
