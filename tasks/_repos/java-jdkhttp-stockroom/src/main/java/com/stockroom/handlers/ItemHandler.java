package com.stockroom.handlers;

import com.stockroom.http.ApiException;
import com.stockroom.http.Request;
import com.stockroom.http.Response;
import com.stockroom.model.Item;
import com.stockroom.store.ItemRepository;
import com.stockroom.store.MovementRepository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** CRUD endpoints for the item catalogue: /items and /items/{sku}. */
public final class ItemHandler {
    static final Pattern SKU_PATTERN = Pattern.compile("^[A-Z0-9][A-Z0-9-]{2,31}$");
    static final int MAX_NAME_LENGTH = 120;
    static final long MAX_PRICE_CENTS = 100_000_000L;
    static final int MAX_REORDER_LEVEL = 1_000_000;

    private final ItemRepository items;
    private final MovementRepository movements;

    public ItemHandler(ItemRepository items, MovementRepository movements) {
        this.items = items;
        this.movements = movements;
    }

    /** POST /items */
    public Response create(Request request) {
        Map<String, Object> body = request.jsonObject();
        rejectQuantity(body);
        String sku = Fields.requiredString(body, "sku", 32);
        if (!SKU_PATTERN.matcher(sku).matches()) {
            throw ApiException.badRequest("sku must be 3-32 characters of A-Z, 0-9 and '-', not starting with '-'");
        }
        String name = Fields.requiredString(body, "name", MAX_NAME_LENGTH);
        long price = Fields.optionalLong(body, "unit_price_cents", 0, MAX_PRICE_CENTS, 0);
        int reorderLevel = (int) Fields.optionalLong(body, "reorder_level", 0, MAX_REORDER_LEVEL, 0);

        Item item = new Item(sku, name, price, reorderLevel, 0);
        if (!items.insert(item)) {
            throw ApiException.conflict("an item with sku " + sku + " already exists");
        }
        return Response.created(item);
    }

    /** GET /items?q=&limit=&offset= */
    public Response list(Request request) {
        int limit = request.intQueryParam("limit", 50, 1, 100);
        int offset = request.intQueryParam("offset", 0, 0, Integer.MAX_VALUE);
        String q = request.queryParam("q");
        String needle = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);

        List<Item> matching = items.findAll().stream()
                .filter(item -> needle.isEmpty()
                        || item.sku().toLowerCase(Locale.ROOT).contains(needle)
                        || item.name().toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        List<Item> page = matching.stream().skip(offset).limit(limit).toList();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("items", page);
        result.put("total", matching.size());
        result.put("limit", limit);
        result.put("offset", offset);
        return Response.ok(result);
    }

    /** GET /items/{sku} */
    public Response get(Request request) {
        String sku = request.pathParam("sku");
        return Response.ok(items.find(sku).orElseThrow(() -> notFound(sku)));
    }

    /** PATCH /items/{sku} */
    public Response update(Request request) {
        String sku = request.pathParam("sku");
        if (items.find(sku).isEmpty()) {
            throw notFound(sku);
        }
        Map<String, Object> body = request.jsonObject();
        rejectQuantity(body);
        if (body.containsKey("sku")) {
            throw ApiException.badRequest("sku cannot be changed");
        }
        String name = Fields.optionalString(body, "name", MAX_NAME_LENGTH);
        boolean hasPrice = Fields.has(body, "unit_price_cents");
        long price = Fields.optionalLong(body, "unit_price_cents", 0, MAX_PRICE_CENTS, 0);
        boolean hasReorder = Fields.has(body, "reorder_level");
        int reorderLevel = (int) Fields.optionalLong(body, "reorder_level", 0, MAX_REORDER_LEVEL, 0);
        if (name == null && !hasPrice && !hasReorder) {
            throw ApiException.badRequest("nothing to update: give name, unit_price_cents or reorder_level");
        }

        Item updated = items.update(sku, current -> {
            Item next = current;
            if (name != null) {
                next = next.withName(name);
            }
            if (hasPrice) {
                next = next.withUnitPriceCents(price);
            }
            if (hasReorder) {
                next = next.withReorderLevel(reorderLevel);
            }
            return next;
        }).orElseThrow(() -> notFound(sku));
        return Response.ok(updated);
    }

    /** DELETE /items/{sku} */
    public Response delete(Request request) {
        String sku = request.pathParam("sku");
        Item item = items.find(sku).orElseThrow(() -> notFound(sku));
        if (item.quantity() > 0) {
            throw ApiException.conflict("item " + sku + " still has " + item.quantity() + " units on hand");
        }
        if (!items.delete(sku)) {
            throw notFound(sku);
        }
        movements.deleteBySku(sku);
        return Response.noContent();
    }

    private static void rejectQuantity(Map<String, Object> body) {
        if (body.containsKey("quantity")) {
            throw ApiException.badRequest("quantity can only be changed through stock movements");
        }
    }

    static ApiException notFound(String sku) {
        return ApiException.notFound("item " + sku + " not found");
    }
}
