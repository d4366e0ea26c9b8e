package com.stockroom.handlers;

import com.stockroom.http.ApiException;
import com.stockroom.http.Request;
import com.stockroom.http.Response;
import com.stockroom.store.ItemRepository;

/** Read-only reports over the whole catalogue. */
public final class ReportHandler {
    private final ItemRepository items;

    public ReportHandler(ItemRepository items) {
        this.items = items;
    }

    /** GET /reports/low-stock */
    public Response lowStock(Request request) {
        // TODO: implement
        throw ApiException.notImplemented();
    }
}
