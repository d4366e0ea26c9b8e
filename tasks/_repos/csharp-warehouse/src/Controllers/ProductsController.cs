using Warehouse.Infrastructure.Http;
using Warehouse.Services;

namespace Warehouse.Controllers
{
    [Route("api/products")]
    public sealed class ProductsController : ControllerBase
    {
        private readonly ProductService _service;

        public ProductsController(ProductService service) { _service = service; }

        [HttpPost]
        public ActionResult Create(JsonBody body)
        {
            var product = _service.Create(body);
            return Created("/api/products/" + product.Id, product);
        }

        [HttpGet]
        public ActionResult List(string search)
        {
            return Ok(_service.List(search));
        }

        [HttpGet("{id:int}")]
        public ActionResult Get(int id)
        {
            return Ok(_service.Get(id));
        }

        [HttpGet("by-sku/{sku}")]
        public ActionResult GetBySku(string sku)
        {
            return Ok(_service.GetBySku(sku));
        }

        [HttpPut("{id:int}")]
        public ActionResult Replace(int id, JsonBody body)
        {
            return Ok(_service.Replace(id, body));
        }

        [HttpDelete("{id:int}")]
        public ActionResult Delete(int id)
        {
            _service.Delete(id);
            return NoContent();
        }
    }
}
