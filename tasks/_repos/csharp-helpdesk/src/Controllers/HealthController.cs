using System.Collections.Generic;
using Helpdesk.Infrastructure.Http;

namespace Helpdesk.Controllers
{
    [Route("health")]
    public sealed class HealthController : ControllerBase
    {
        [HttpGet]
        public ActionResult Get()
        {
            return Ok(new Dictionary<string, object> { { "status", "ok" }, { "service", "helpdesk" } });
        }
    }
}
