using Helpdesk.Infrastructure.Http;
using Helpdesk.Services;

namespace Helpdesk.Controllers
{
    [Route("api/tickets/{ticketId:int}/comments")]
    public sealed class CommentsController : ControllerBase
    {
        private readonly CommentService _service;

        public CommentsController(CommentService service) { _service = service; }

        [HttpPost]
        public ActionResult Add(int ticketId, JsonBody body)
        {
            var comment = _service.Add(ticketId, body);
            return Created("/api/tickets/" + ticketId + "/comments/" + comment.Id, comment);
        }

        [HttpGet]
        public ActionResult List(int ticketId, bool includeInternal = true)
        {
            return Ok(_service.List(ticketId, includeInternal));
        }

        [HttpDelete("{commentId:int}")]
        public ActionResult Delete(int ticketId, int commentId)
        {
            _service.Delete(ticketId, commentId);
            return NoContent();
        }
    }
}
