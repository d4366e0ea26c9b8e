using Warehouse.Infrastructure.Http;
using Warehouse.Services;

namespace Warehouse.Controllers
{
    [Route("api")]
    public sealed class StockController : ControllerBase
    {
        private readonly StockService _service;

        public StockController(StockService service) { _service = service; }

        [HttpPost("products/{id:int}/receipts")]
        public ActionResult Receive(int id, JsonBody body)
        {
            var movement = _service.Receive(id, body);
            return Created("/api/products/" + id + "/movements", movement);
        }

        [HttpPost("products/{id:int}/adjustments")]
        public ActionResult Adjust(int id, JsonBody body)
        {
            var movement = _service.Adjust(id, body);
            return Created("/api/products/" + id + "/movements", movement);
        }

        [HttpGet("products/{id:int}/movements")]
        public ActionResult Movements(int id, string type)
        {
            return Ok(_service.Movements(id, type));
        }

        [HttpGet("stock/low")]
        public ActionResult LowStock()
        {
            return Ok(_service.LowStock());
        }
    }
}
