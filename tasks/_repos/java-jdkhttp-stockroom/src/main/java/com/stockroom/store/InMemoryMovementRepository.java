package com.stockroom.store;

import com.stockroom.model.MovementType;
import com.stockroom.model.StockMovement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Movement journal kept in memory, one list per SKU. */
public final class InMemoryMovementRepository implements MovementRepository {
    private final Map<String, List<StockMovement>> bySku = new HashMap<>();
    private long nextId = 1;

    @Override
    public synchronized StockMovement append(String sku, MovementType type, int quantity, int balanceAfter, String note) {
        StockMovement movement = new StockMovement(nextId++, sku, type, quantity, balanceAfter, note);
        bySku.computeIfAbsent(sku, k -> new ArrayList<>()).add(movement);
        return movement;
    }

    @Override
    public synchronized List<StockMovement> findBySku(String sku) {
        return new ArrayList<>(bySku.getOrDefault(sku, List.of()));
    }

    @Override
    public synchronized void deleteBySku(String sku) {
        bySku.remove(sku);
    }
}
