package com.stockroom;

import com.stockroom.handlers.ItemHandler;
import com.stockroom.handlers.MovementHandler;
import com.stockroom.handlers.ReportHandler;
import com.stockroom.http.Response;
import com.stockroom.http.Router;
import com.stockroom.store.InMemoryItemRepository;
import com.stockroom.store.InMemoryMovementRepository;
import com.stockroom.store.ItemRepository;
import com.stockroom.store.MovementRepository;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/** Entry point: wires repositories, handlers and routes into a JDK HttpServer. */
public final class App {
    private static final Logger LOG = Logger.getLogger(App.class.getName());

    private App() {
    }

    static Router routes(ItemRepository items, MovementRepository movements) {
        ItemHandler itemHandler = new ItemHandler(items, movements);
        MovementHandler movementHandler = new MovementHandler(items, movements);
        ReportHandler reportHandler = new ReportHandler(items);
        return new Router()
                .get("/health", request -> Response.ok(Map.of("status", "ok")))
                .post("/items", itemHandler::create)
                .get("/items", itemHandler::list)
                .get("/items/{sku}", itemHandler::get)
                .patch("/items/{sku}", itemHandler::update)
                .delete("/items/{sku}", itemHandler::delete)
                .post("/items/{sku}/movements", movementHandler::record)
                .get("/items/{sku}/movements", movementHandler::list)
                .get("/reports/low-stock", reportHandler::lowStock);
    }

    public static void main(String[] args) throws IOException {
        String host = System.getenv().getOrDefault("HOST", "0.0.0.0");
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));

        Router router = routes(new InMemoryItemRepository(), new InMemoryMovementRepository());
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        server.createContext("/", router);
        server.setExecutor(workers);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            workers.shutdownNow();
        }));
        LOG.info("stockroom listening on " + host + ":" + port);
    }
}
