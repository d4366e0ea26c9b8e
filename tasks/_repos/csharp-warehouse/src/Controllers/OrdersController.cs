using Warehouse.Infrastructure.Http;
using Warehouse.Services;

namespace Warehouse.Controllers
{
    [Route("api/orders")]
    public sealed class OrdersController : ControllerBase
    {
        private readonly OrderService _service;

        public OrdersController(OrderService service) { _service = service; }

        [HttpPost]
        public ActionResult Place(JsonBody body)
        {
            var order = _service.Place(body);
            return Created("/api/orders/" + order.Id, order);
        }

        [HttpGet]
        public ActionResult List(string status, string customer)
        {
            return Ok(_service.List(status, customer));
        }

        [HttpGet("{id:int}")]
        public ActionResult Get(int id)
        {
            return Ok(_service.Get(id));
        }

        [HttpPost("{id:int}/ship")]
        public ActionResult Ship(int id)
        {
            return Ok(_service.Ship(id));
        }

        [HttpPost("{id:int}/cancel")]
        public ActionResult Cancel(int id)
        {
            return Ok(_service.Cancel(id));
        }
    }
}
