using Helpdesk.Infrastructure.Http;
using Helpdesk.Services;

namespace Helpdesk.Controllers
{
    [Route("api/stats")]
    public sealed class StatsController : ControllerBase
    {
        private readonly StatsService _service;

        public StatsController(StatsService service) { _service = service; }

        [HttpGet]
        public ActionResult Get()
        {
            return Ok(_service.Snapshot());
        }
    }
}
