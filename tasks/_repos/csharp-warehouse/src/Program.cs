using System;
using System.Globalization;
using System.Threading;
using Warehouse.Controllers;
using Warehouse.Infrastructure.Http;
using Warehouse.Repositories;
using Warehouse.Services;

namespace Warehouse
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
            Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;

            var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "5000", CultureInfo.InvariantCulture);

            // Composition root: what ASP.NET Core's service collection would hold (all singletons).
            IClock clock = new SystemClock();
            var inventoryLock = new InventoryLock();
            IProductRepository products = new InMemoryProductRepository();
            IMovementRepository movements = new InMemoryMovementRepository();
            IOrderRepository orders = new InMemoryOrderRepository();
            var productService = new ProductService(products, orders, inventoryLock, clock);
            var stockService = new StockService(products, movements, inventoryLock, clock);
            var orderService = new OrderService(orders, products, movements, inventoryLock, clock);

            var router = new Router();
            router.MapController(() => new HealthController());
            router.MapController(() => new ProductsController(productService));
            router.MapController(() => new StockController(stockService));
            router.MapController(() => new OrdersController(orderService));

            var host = new WebHost(router, port)
                .Use(new RequestLoggingMiddleware())
                .Use(new ErrorHandlingMiddleware());

            Console.WriteLine("warehouse listening on http://0.0.0.0:{0}", port);
            host.Run();
            return 0;
        }
    }
}
