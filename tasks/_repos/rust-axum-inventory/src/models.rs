//! Domain records, request bodies and their JSON views.

use serde::{Deserialize, Serialize};

pub const MAX_RECEIVE_QUANTITY: i64 = 100_000;
pub const MAX_ORDER_LINES: usize = 20;

#[derive(Debug, Clone)]
pub struct Item {
    pub sku: String,
    pub name: String,
    pub unit_price_cents: i64,
    pub reorder_level: i64,
    pub on_hand: i64,
    pub reserved: i64,
}

impl Item {
    pub fn available(&self) -> i64 {
        self.on_hand - self.reserved
    }

    pub fn view(&self) -> ItemView {
        ItemView {
            sku: self.sku.clone(),
            name: self.name.clone(),
            unit_price_cents: self.unit_price_cents,
            reorder_level: self.reorder_level,
            on_hand: self.on_hand,
            reserved: self.reserved,
            available: self.available(),
            low_stock: self.available() <= self.reorder_level,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub sku: String,
    pub name: String,
    pub unit_price_cents: i64,
    pub reorder_level: i64,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub low_stock: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    pub sku: String,
    pub name: String,
    pub unit_price_cents: i64,
    #[serde(default)]
    pub reorder_level: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub unit_price_cents: Option<i64>,
    #[serde(default)]
    pub reorder_level: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    Receive,
    Adjust,
    Ship,
}

#[derive(Debug, Clone, Serialize)]
pub struct Movement {
    pub id: u64,
    pub sku: String,
    pub kind: MovementKind,
    /// Signed change of on-hand stock.
    pub quantity: i64,
    pub reference: Option<String>,
    pub on_hand_after: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveStock {
    pub quantity: i64,
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustStock {
    pub delta: i64,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct StockChange {
    pub movement: Movement,
    pub item: ItemView,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Reserved,
    Shipped,
    Cancelled,
}

impl OrderStatus {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "reserved" => Some(OrderStatus::Reserved),
            "shipped" => Some(OrderStatus::Shipped),
            "cancelled" => Some(OrderStatus::Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderLine {
    pub sku: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub line_total_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub id: u64,
    pub customer: String,
    pub status: OrderStatus,
    pub lines: Vec<OrderLine>,
    pub total_cents: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrderLine {
    pub sku: String,
    pub quantity: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    pub customer: String,
    pub lines: Vec<NewOrderLine>,
}

#[derive(Debug, Serialize)]
pub struct Listing<T: Serialize> {
    pub items: Vec<T>,
    pub count: usize,
}

impl<T: Serialize> Listing<T> {
    pub fn of(items: Vec<T>) -> Self {
        let count = items.len();
        Listing { items, count }
    }
}

/// A SKU: 3-32 characters of upper-case letters, digits and '-', starting with a letter.
pub fn valid_sku(sku: &str) -> bool {
    let len = sku.len();
    (3..=32).contains(&len)
        && sku.starts_with(|c: char| c.is_ascii_uppercase())
        && sku
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

/// Trims and checks a free-text field: non-empty, at most `max` characters.
pub fn clean_text(value: &str, field: &str, max: usize) -> Result<String, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(format!("'{field}' must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(format!("'{field}' must be at most {max} characters"));
    }
    Ok(trimmed.to_string())
}
