package com.stockroom.store;

import com.stockroom.model.Item;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Storage of items, keyed by SKU. Implementations must be thread-safe. */
public interface ItemRepository {

    Optional<Item> find(String sku);

    /** All items ordered by SKU. */
    List<Item> findAll();

    /** Stores a new item; returns false (and stores nothing) when the SKU is taken. */
    boolean insert(Item item);

    /**
     * Atomically replaces the item with {@code change.apply(current)}. The operator may throw to
     * abort the update. Returns the stored result, or empty when the SKU is unknown.
     */
    Optional<Item> update(String sku, UnaryOperator<Item> change);

    /** Removes the item; returns false when it did not exist. */
    boolean delete(String sku);
}
