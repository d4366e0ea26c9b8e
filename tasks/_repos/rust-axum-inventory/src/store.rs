//! Storage layer: an in-memory repository behind a `RwLock`.
//!
//! Handlers take the lock once per request (`read()` / `write()`), so a multi-step operation
//! (reserving every line of an order, say) is atomic. The methods of `Inventory` are plain data
//! access; business rules live in the handlers.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::models::{Item, Movement, MovementKind, Order, OrderStatus};

#[derive(Clone, Default)]
pub struct Store {
    inner: Arc<RwLock<Inventory>>,
}

impl Store {
    pub fn new() -> Self {
        Store::default()
    }

    pub fn read(&self) -> RwLockReadGuard<'_, Inventory> {
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, Inventory> {
        self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Default)]
pub struct Inventory {
    items: BTreeMap<String, Item>,
    movements: Vec<Movement>,
    orders: BTreeMap<u64, Order>,
    next_movement_id: u64,
    next_order_id: u64,
}

impl Inventory {
    // ---- items ----------------------------------------------------------------------------

    pub fn item(&self, sku: &str) -> Option<&Item> {
        self.items.get(sku)
    }

    pub fn item_mut(&mut self, sku: &str) -> Option<&mut Item> {
        self.items.get_mut(sku)
    }

    pub fn contains_item(&self, sku: &str) -> bool {
        self.items.contains_key(sku)
    }

    pub fn insert_item(&mut self, item: Item) {
        self.items.insert(item.sku.clone(), item);
    }

    pub fn remove_item(&mut self, sku: &str) -> Option<Item> {
        self.items.remove(sku)
    }

    /// All items ordered by SKU.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.items.values()
    }

    // ---- movements ------------------------------------------------------------------------

    /// Appends a movement for `sku` (whose on-hand stock must already be updated) and returns it.
    pub fn record_movement(
        &mut self,
        sku: &str,
        kind: MovementKind,
        quantity: i64,
        reference: Option<String>,
    ) -> Movement {
        self.next_movement_id += 1;
        let on_hand_after = self.items.get(sku).map(|i| i.on_hand).unwrap_or(0);
        let movement = Movement {
            id: self.next_movement_id,
            sku: sku.to_string(),
            kind,
            quantity,
            reference,
            on_hand_after,
        };
        self.movements.push(movement.clone());
        movement
    }

    /// Movements of one SKU, oldest first.
    pub fn movements_for(&self, sku: &str) -> impl Iterator<Item = &Movement> {
        let sku = sku.to_string();
        self.movements.iter().filter(move |m| m.sku == sku)
    }

    // ---- orders ---------------------------------------------------------------------------

    pub fn next_order_id(&mut self) -> u64 {
        self.next_order_id += 1;
        self.next_order_id
    }

    pub fn insert_order(&mut self, order: Order) {
        self.orders.insert(order.id, order);
    }

    pub fn order(&self, id: u64) -> Option<&Order> {
        self.orders.get(&id)
    }

    pub fn order_mut(&mut self, id: u64) -> Option<&mut Order> {
        self.orders.get_mut(&id)
    }

    /// Orders by id, optionally only those with `status`.
    pub fn orders(&self, status: Option<OrderStatus>) -> impl Iterator<Item = &Order> {
        self.orders
            .values()
            .filter(move |o| status.map_or(true, |s| o.status == s))
    }

    /// Whether an order that still holds a reservation references `sku`.
    pub fn has_open_orders_for(&self, sku: &str) -> bool {
        self.orders
            .values()
            .any(|o| o.status == OrderStatus::Reserved && o.lines.iter().any(|l| l.sku == sku))
    }
}
