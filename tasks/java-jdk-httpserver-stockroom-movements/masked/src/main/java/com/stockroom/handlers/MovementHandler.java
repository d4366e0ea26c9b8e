package com.stockroom.handlers;

import com.stockroom.http.ApiException;
import com.stockroom.http.Request;
import com.stockroom.http.Response;
import com.stockroom.store.ItemRepository;
import com.stockroom.store.MovementRepository;

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
        // TODO: implement
        throw ApiException.notImplemented();
    }

    /** GET /items/{sku}/movements?type= */
    public Response list(Request request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }
}
