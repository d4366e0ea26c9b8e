using System;
using System.Globalization;
using System.Threading;
using Helpdesk.Controllers;
using Helpdesk.Infrastructure.Data;
using Helpdesk.Infrastructure.Http;
using Helpdesk.Repositories;
using Helpdesk.Services;

namespace Helpdesk
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
            Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;

            var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "5000", CultureInfo.InvariantCulture);
            var dbPath = Environment.GetEnvironmentVariable("HELPDESK_DB") ?? "data/helpdesk.db";

            // Composition root: what ASP.NET Core's service collection would hold.
            var db = new Database(dbPath);
            db.Migrate();
            IClock clock = new SystemClock();
            var agentRepository = new AgentRepository(db);
            var ticketRepository = new TicketRepository(db);
            var commentRepository = new CommentRepository(db);
            var agentService = new AgentService(agentRepository, clock);
            var ticketService = new TicketService(ticketRepository, agentRepository, clock);
            var commentService = new CommentService(commentRepository, ticketRepository, clock);
            var statsService = new StatsService(ticketRepository);

            var router = new Router();
            router.MapController(() => new HealthController());
            router.MapController(() => new AgentsController(agentService));
            router.MapController(() => new TicketsController(ticketService));
            router.MapController(() => new CommentsController(commentService));
            router.MapController(() => new StatsController(statsService));

            var host = new WebHost(router, port)
                .Use(new RequestLoggingMiddleware())
                .Use(new ErrorHandlingMiddleware());

            Console.WriteLine("helpdesk listening on http://0.0.0.0:{0} (database {1})", port, dbPath);
            host.Run();
            return 0;
        }
    }
}
