using System.Collections.Generic;
using System.Linq;
using Warehouse.Models;

namespace Warehouse.Repositories
{
    public interface IOrderRepository
    {
        Order Add(Order order);
        Order Find(int id);
        IList<Order> All();
        void Update(Order order);
        /// <summary>Orders still holding a reservation on the product.</summary>
        int CountOpenForProduct(int productId);
    }

    public sealed class InMemoryOrderRepository : IOrderRepository
    {
        private readonly object _gate = new object();
        private readonly Dictionary<int, Order> _byId = new Dictionary<int, Order>();
        private int _nextId = 1;

        public Order Add(Order order)
        {
            lock (_gate)
            {
                order.Id = _nextId++;
                _byId[order.Id] = order.Clone();
                return order;
            }
        }

        public Order Find(int id)
        {
            lock (_gate)
            {
                Order order;
                return _byId.TryGetValue(id, out order) ? order.Clone() : null;
            }
        }

        public IList<Order> All()
        {
            lock (_gate)
            {
                return _byId.Values.OrderBy(o => o.Id).Select(o => o.Clone()).ToList();
            }
        }

        public void Update(Order order)
        {
            lock (_gate)
            {
                _byId[order.Id] = order.Clone();
            }
        }

        public int CountOpenForProduct(int productId)
        {
            lock (_gate)
            {
                return _byId.Values.Count(o => o.Status == OrderStatus.Reserved && o.Lines.Any(l => l.ProductId == productId));
            }
        }
    }
}
