using Helpdesk.Infrastructure.Http;
using Helpdesk.Services;

namespace Helpdesk.Controllers
{
    [Route("api/agents")]
    public sealed class AgentsController : ControllerBase
    {
        private readonly AgentService _service;

        public AgentsController(AgentService service) { _service = service; }

        [HttpPost]
        public ActionResult Create(JsonBody body)
        {
            var agent = _service.Create(body);
            return Created("/api/agents/" + agent.Id, agent);
        }

        [HttpGet]
        public ActionResult List(string team)
        {
            return Ok(_service.List(team));
        }

        [HttpGet("{id:int}")]
        public ActionResult Get(int id)
        {
            return Ok(_service.Get(id));
        }

        [HttpPost("{id:int}/deactivate")]
        public ActionResult Deactivate(int id)
        {
            return Ok(_service.Deactivate(id));
        }
    }
}
