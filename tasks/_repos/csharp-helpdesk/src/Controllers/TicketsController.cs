using Helpdesk.Infrastructure.Http;
using Helpdesk.Services;

namespace Helpdesk.Controllers
{
    [Route("api/tickets")]
    public sealed class TicketsController : ControllerBase
    {
        private readonly TicketService _service;

        public TicketsController(TicketService service) { _service = service; }

        [HttpPost]
        public ActionResult Create(JsonBody body)
        {
            var ticket = _service.Create(body);
            return Created("/api/tickets/" + ticket.Id, ticket);
        }

        [HttpGet]
        public ActionResult List(string status, string priority, int? assigneeId)
        {
            return Ok(_service.List(status, priority, assigneeId));
        }

        [HttpGet("{id:int}")]
        public ActionResult Get(int id)
        {
            return Ok(_service.Get(id));
        }

        [HttpPatch("{id:int}")]
        public ActionResult Update(int id, JsonBody body)
        {
            return Ok(_service.Update(id, body));
        }

        [HttpDelete("{id:int}")]
        public ActionResult Delete(int id)
        {
            _service.Delete(id);
            return NoContent();
        }

        [HttpPost("{id:int}/assign")]
        public ActionResult Assign(int id, JsonBody body)
        {
            return Ok(_service.Assign(id, body));
        }

        [HttpPost("{id:int}/status")]
        public ActionResult ChangeStatus(int id, JsonBody body)
        {
            return Ok(_service.ChangeStatus(id, body));
        }
    }
}
