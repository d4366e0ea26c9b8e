//! Customer orders: reserving stock, shipping and cancelling.

use std::collections::{HashMap, HashSet};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Params};
use crate::models::{
    clean_text, Listing, MovementKind, NewOrder, Order, OrderLine, OrderStatus, MAX_ORDER_LINES,
};
use crate::store::{Inventory, Store};

fn parse_order_id(raw: &str) -> ApiResult<u64> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::not_found(format!("order {raw} not found")))
}

fn find_order_mut<'a>(inv: &'a mut Inventory, id: u64) -> ApiResult<&'a mut Order> {
    inv.order_mut(id)
        .ok_or_else(|| ApiError::not_found(format!("order {id} not found")))
}

pub async fn create_order(
    State(store): State<Store>,
    Body(body): Body<NewOrder>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let customer = clean_text(&body.customer, "customer", 80).map_err(ApiError::BadRequest)?;
    if body.lines.is_empty() || body.lines.len() > MAX_ORDER_LINES {
        return Err(ApiError::bad_request(format!(
            "'lines' must hold between 1 and {MAX_ORDER_LINES} lines"
        )));
    }
    let mut seen = HashSet::new();
    for line in &body.lines {
        if line.quantity < 1 {
            return Err(ApiError::bad_request("every line 'quantity' must be at least 1"));
        }
        if !seen.insert(line.sku.as_str()) {
            return Err(ApiError::bad_request(format!(
                "sku {} appears in more than one line",
                line.sku
            )));
        }
    }

    let mut inv = store.write();
    // Check every line before reserving anything: an order is reserved whole or not at all.
    let mut lines = Vec::with_capacity(body.lines.len());
    for line in &body.lines {
        let item = inv
            .item(&line.sku)
            .ok_or_else(|| ApiError::not_found(format!("item {} not found", line.sku)))?;
        if item.available() < line.quantity {
            return Err(ApiError::conflict(format!(
                "insufficient stock for {}: {} available, {} requested",
                line.sku,
                item.available(),
                line.quantity
            )));
        }
        lines.push(OrderLine {
            sku: line.sku.clone(),
            quantity: line.quantity,
            unit_price_cents: item.unit_price_cents,
            line_total_cents: item.unit_price_cents * line.quantity,
        });
    }
    for line in &lines {
        inv.item_mut(&line.sku).expect("checked above").reserved += line.quantity;
    }
    let order = Order {
        id: inv.next_order_id(),
        customer,
        status: OrderStatus::Reserved,
        total_cents: lines.iter().map(|l| l.line_total_cents).sum(),
        lines,
    };
    inv.insert_order(order.clone());
    Ok((StatusCode::CREATED, Json(order)))
}

pub async fn list_orders(
    State(store): State<Store>,
    Params(params): Params<HashMap<String, String>>,
) -> ApiResult<Json<Listing<Order>>> {
    let status = match params.get("status").map(String::as_str) {
        None | Some("") => None,
        Some(raw) => Some(OrderStatus::parse(raw).ok_or_else(|| {
            ApiError::bad_request("'status' must be reserved, shipped or cancelled")
        })?),
    };
    let customer = params.get("customer").map(|c| c.trim().to_string());
    let inv = store.read();
    let orders = inv
        .orders(status)
        .filter(|o| customer.as_deref().map_or(true, |c| c.is_empty() || o.customer == c))
        .cloned()
        .collect();
    Ok(Json(Listing::of(orders)))
}

pub async fn get_order(
    State(store): State<Store>,
    Path(raw_id): Path<String>,
) -> ApiResult<Json<Order>> {
    let id = parse_order_id(&raw_id)?;
    let inv = store.read();
    inv.order(id)
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("order {id} not found")))
}

pub async fn ship_order(
    State(store): State<Store>,
    Path(raw_id): Path<String>,
) -> ApiResult<Json<Order>> {
    let id = parse_order_id(&raw_id)?;
    let mut inv = store.write();
    let order = find_order_mut(&mut inv, id)?;
    if order.status != OrderStatus::Reserved {
        return Err(ApiError::conflict(format!(
            "order {id} is {:?} and cannot be shipped",
            order.status
        )
        .to_lowercase()));
    }
    order.status = OrderStatus::Shipped;
    let order = order.clone();
    let reference = format!("order-{id}");
    for line in &order.lines {
        if let Some(item) = inv.item_mut(&line.sku) {
            item.reserved -= line.quantity;
            item.on_hand -= line.quantity;
        }
        inv.record_movement(&line.sku, MovementKind::Ship, -line.quantity, Some(reference.clone()));
    }
    Ok(Json(order))
}

pub async fn cancel_order(
    State(store): State<Store>,
    Path(raw_id): Path<String>,
) -> ApiResult<Json<Order>> {
    let id = parse_order_id(&raw_id)?;
    let mut inv = store.write();
    let order = find_order_mut(&mut inv, id)?;
    if order.status != OrderStatus::Reserved {
        return Err(ApiError::conflict(format!(
            "order {id} is {:?} and cannot be cancelled",
            order.status
        )
        .to_lowercase()));
    }
    order.status = OrderStatus::Cancelled;
    let order = order.clone();
    for line in &order.lines {
        if let Some(item) = inv.item_mut(&line.sku) {
            item.reserved -= line.quantity;
        }
    }
    Ok(Json(order))
}
