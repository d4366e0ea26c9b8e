package com.stockroom.handlers;

import com.stockroom.http.Request;
import com.stockroom.http.Response;
import com.stockroom.model.Item;
import com.stockroom.store.ItemRepository;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only reports over the whole catalogue. */
public final class ReportHandler {
    private final ItemRepository items;

    public ReportHandler(ItemRepository items) {
        this.items = items;
    }

    /** GET /reports/low-stock */
    public Response lowStock(Request request) {
        List<Map<String, Object>> rows = items.findAll().stream()
                .filter(Item::isLowStock)
                .sorted(Comparator.comparingInt((Item i) -> i.reorderLevel() - i.quantity()).reversed()
                        .thenComparing(Item::sku))
                .map(ReportHandler::row)
                .toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("items", rows);
        result.put("count", rows.size());
        return Response.ok(result);
    }

    private static Map<String, Object> row(Item item) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sku", item.sku());
        row.put("name", item.name());
        row.put("quantity", item.quantity());
        row.put("reorder_level", item.reorderLevel());
        row.put("shortfall", item.reorderLevel() - item.quantity());
        return row;
    }
}
