package com.stockroom.model;

import com.stockroom.json.JsonSerializable;

import java.util.LinkedHashMap;
import java.util.Map;

/** One recorded change of an item's quantity. */
public record StockMovement(long id, String sku, MovementType type, int quantity, int balanceAfter, String note)
        implements JsonSerializable {

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("sku", sku);
        json.put("type", type.wireName());
        json.put("quantity", quantity);
        json.put("balance_after", balanceAfter);
        json.put("note", note);
        return json;
    }
}
