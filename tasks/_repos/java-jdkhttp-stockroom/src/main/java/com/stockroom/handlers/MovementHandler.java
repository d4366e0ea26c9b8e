package com.stockroom.handlers;

import com.stockroom.http.ApiException;
import com.stockroom.http.Request;
import com.stockroom.http.Response;
import com.stockroom.model.Item;
import com.stockroom.model.MovementType;
import com.stockroom.model.StockMovement;
import com.stockroom.store.ItemRepository;
import com.stockroom.store.MovementRepository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stock movements of one item: /items/{sku}/movements. */
public final class MovementHandler {
    static final int MAX_MOVEMENT = 1_000_000;
    static final int MAX_ON_HAND = 10_000_000;
    static final int MAX_NOTE_LENGTH = 200;

    private final ItemRepository items;
    private final MovementRepository movements;

    public MovementHandler(ItemRepository items, MovementRepository movements) {
        this.items = items;
        this.movements = movements;
    }

    /** POST /items/{sku}/movements */
    public Response record(Request request) {
        String sku = request.pathParam("sku");
        if (items.find(sku).isEmpty()) {
            throw ItemHandler.notFound(sku);
        }
        Map<String, Object> body = request.jsonObject();
        MovementType type = parseType(Fields.requiredString(body, "type", 16));
        int quantity = (int) Fields.requiredLong(body, "quantity", -MAX_MOVEMENT, MAX_MOVEMENT);
        if (type == MovementType.ADJUST ? quantity == 0 : quantity <= 0) {
            throw ApiException.badRequest(type == MovementType.ADJUST
                    ? "quantity of an adjustment must not be zero"
                    : "quantity of a " + type.wireName() + " must be positive");
        }
        String note = Fields.optionalString(body, "note", MAX_NOTE_LENGTH);
        int delta = type == MovementType.SHIP ? -quantity : quantity;

        // The balance check, the item update and the journal entry happen under one lock so that
        // concurrent shipments can never take the quantity below zero.
        synchronized (this) {
            Item updated = items.update(sku, current -> {
                long next = (long) current.quantity() + delta;
                if (next < 0) {
                    throw ApiException.conflict("insufficient stock: " + current.quantity() + " on hand");
                }
                if (next > MAX_ON_HAND) {
                    throw ApiException.badRequest("quantity on hand would exceed " + MAX_ON_HAND);
                }
                return current.withQuantity((int) next);
            }).orElseThrow(() -> ItemHandler.notFound(sku));
            StockMovement movement = movements.append(sku, type, quantity, updated.quantity(), note);
            return Response.created(movement);
        }
    }

    /** GET /items/{sku}/movements?type= */
    public Response list(Request request) {
        String sku = request.pathParam("sku");
        Item item = items.find(sku).orElseThrow(() -> ItemHandler.notFound(sku));
        String rawType = request.queryParam("type");
        MovementType filter = rawType == null || rawType.isEmpty() ? null : parseType(rawType);

        List<StockMovement> history = movements.findBySku(sku).stream()
                .filter(m -> filter == null || m.type() == filter)
                .toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sku", sku);
        result.put("quantity", item.quantity());
        result.put("movements", history);
        return Response.ok(result);
    }

    private static MovementType parseType(String raw) {
        MovementType type = MovementType.fromWire(raw);
        if (type == null) {
            throw ApiException.badRequest("type must be one of receive, ship, adjust");
        }
        return type;
    }
}
