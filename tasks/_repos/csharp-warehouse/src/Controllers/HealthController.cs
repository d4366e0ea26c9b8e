using System.Collections.Generic;
using Warehouse.Infrastructure.Http;

namespace Warehouse.Controllers
{
    [Route("health")]
    public sealed class HealthController : ControllerBase
    {
        [HttpGet]
        public ActionResult Get()
        {
            return Ok(new Dictionary<string, object> { { "status", "ok" }, { "service", "warehouse" } });
        }
    }
}
