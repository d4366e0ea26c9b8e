package com.stockroom.store;

import com.stockroom.model.MovementType;
import com.stockroom.model.StockMovement;

import java.util.List;

/** Append-only journal of stock movements. Implementations must be thread-safe. */
public interface MovementRepository {

    /** Appends a movement, assigning the next id (1, 2, 3, ... across all items). */
    StockMovement append(String sku, MovementType type, int quantity, int balanceAfter, String note);

    /** Movements of one SKU in the order they were recorded. */
    List<StockMovement> findBySku(String sku);

    /** Forgets the movements of a SKU (used when the item is deleted). */
    void deleteBySku(String sku);
}
