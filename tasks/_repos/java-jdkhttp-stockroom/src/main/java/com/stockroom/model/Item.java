package com.stockroom.model;

import com.stockroom.json.JsonSerializable;

import java.util.LinkedHashMap;
import java.util.Map;

/** A stock-keeping unit and how many of it are on hand. Immutable: updates make copies. */
public record Item(String sku, String name, long unitPriceCents, int reorderLevel, int quantity)
        implements JsonSerializable {

    public Item withName(String newName) {
        return new Item(sku, newName, unitPriceCents, reorderLevel, quantity);
    }

    public Item withUnitPriceCents(long newPrice) {
        return new Item(sku, name, newPrice, reorderLevel, quantity);
    }

    public Item withReorderLevel(int newLevel) {
        return new Item(sku, name, unitPriceCents, newLevel, quantity);
    }

    public Item withQuantity(int newQuantity) {
        return new Item(sku, name, unitPriceCents, reorderLevel, newQuantity);
    }

    /** True when the item has a reorder level and its quantity has fallen to or below it. */
    public boolean isLowStock() {
        return reorderLevel > 0 && quantity <= reorderLevel;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sku", sku);
        json.put("name", name);
        json.put("unit_price_cents", unitPriceCents);
        json.put("reorder_level", reorderLevel);
        json.put("quantity", quantity);
        return json;
    }
}
