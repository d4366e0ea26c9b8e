package com.stockroom.store;

import com.stockroom.model.Item;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Items in a sorted map guarded by the repository's monitor. */
public final class InMemoryItemRepository implements ItemRepository {
    private final TreeMap<String, Item> items = new TreeMap<>();

    @Override
    public synchronized Optional<Item> find(String sku) {
        return Optional.ofNullable(items.get(sku));
    }

    @Override
    public synchronized List<Item> findAll() {
        return new ArrayList<>(items.values());
    }

    @Override
    public synchronized boolean insert(Item item) {
        if (items.containsKey(item.sku())) {
            return false;
        }
        items.put(item.sku(), item);
        return true;
    }

    @Override
    public synchronized Optional<Item> update(String sku, UnaryOperator<Item> change) {
        Item current = items.get(sku);
        if (current == null) {
            return Optional.empty();
        }
        Item updated = change.apply(current);
        items.put(sku, updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized boolean delete(String sku) {
        return items.remove(sku) != null;
    }
}
