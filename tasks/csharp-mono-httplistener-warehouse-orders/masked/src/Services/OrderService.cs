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
            // TODO: validate the order, then reserve stock for every line (all or nothing).
            throw new NotImplementedException("OrderService.Place is not implemented.");
        }

        public Order Get(int id)
        {
            // TODO: return the order or fail with 404.
            throw new NotImplementedException("OrderService.Get is not implemented.");
        }

        public IList<Order> List(string status, string customer)
        {
            // TODO: list orders, filtered by status and customer.
            throw new NotImplementedException("OrderService.List is not implemented.");
        }

        public Order Ship(int id)
        {
            // TODO: ship a reserved order.
            throw new NotImplementedException("OrderService.Ship is not implemented.");
        }

        public Order Cancel(int id)
        {
            // TODO: cancel a reserved order and release its reservation.
            throw new NotImplementedException("OrderService.Cancel is not implemented.");
        }
    }
}
