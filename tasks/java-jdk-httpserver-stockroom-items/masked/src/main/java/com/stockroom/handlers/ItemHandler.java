package com.stockroom.handlers;

import com.stockroom.http.ApiException;
import com.stockroom.http.Request;
import com.stockroom.http.Response;
import com.stockroom.store.ItemRepository;
import com.stockroom.store.MovementRepository;

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
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** GET /items?q=&limit=&offset= */
    public Response list(Request request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** GET /items/{sku} */
    public Response get(Request request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** PATCH /items/{sku} */
    public Response update(Request request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** DELETE /items/{sku} */
    public Response delete(Request request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }

    static ApiException notFound(String sku) {
        return ApiException.notFound("item " + sku + " not found");
    }
}
