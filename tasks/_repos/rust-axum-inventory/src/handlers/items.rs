//! Catalogue of stock-keeping units: /items.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Params};
use crate::models::{clean_text, valid_sku, Item, ItemPatch, ItemView, Listing, NewItem};
use crate::store::Store;

const MAX_PRICE_CENTS: i64 = 100_000_000;

fn check_price(value: i64) -> ApiResult<i64> {
    if !(0..=MAX_PRICE_CENTS).contains(&value) {
        return Err(ApiError::bad_request(format!(
            "'unit_price_cents' must be between 0 and {MAX_PRICE_CENTS}"
        )));
    }
    Ok(value)
}

fn check_reorder_level(value: i64) -> ApiResult<i64> {
    if !(0..=1_000_000).contains(&value) {
        return Err(ApiError::bad_request(
            "'reorder_level' must be between 0 and 1000000",
        ));
    }
    Ok(value)
}

pub async fn create_item(
    State(store): State<Store>,
    Body(body): Body<NewItem>,
) -> ApiResult<(StatusCode, Json<ItemView>)> {
    if !valid_sku(&body.sku) {
        return Err(ApiError::bad_request(
            "'sku' must be 3-32 characters of A-Z, 0-9 and '-', starting with a letter",
        ));
    }
    let name = clean_text(&body.name, "name", 120).map_err(ApiError::BadRequest)?;
    let unit_price_cents = check_price(body.unit_price_cents)?;
    let reorder_level = check_reorder_level(body.reorder_level.unwrap_or(0))?;

    let mut inv = store.write();
    if inv.contains_item(&body.sku) {
        return Err(ApiError::conflict(format!("item {} already exists", body.sku)));
    }
    let item = Item {
        sku: body.sku,
        name,
        unit_price_cents,
        reorder_level,
        on_hand: 0,
        reserved: 0,
    };
    let view = item.view();
    inv.insert_item(item);
    Ok((StatusCode::CREATED, Json(view)))
}

pub async fn list_items(
    State(store): State<Store>,
    Params(params): Params<HashMap<String, String>>,
) -> ApiResult<Json<Listing<ItemView>>> {
    let low_stock_only = match params.get("low_stock").map(String::as_str) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::bad_request("'low_stock' must be true or false")),
    };
    let inv = store.read();
    let views = inv
        .items()
        .map(Item::view)
        .filter(|v| !low_stock_only || v.low_stock)
        .collect();
    Ok(Json(Listing::of(views)))
}

pub async fn get_item(
    State(store): State<Store>,
    Path(sku): Path<String>,
) -> ApiResult<Json<ItemView>> {
    let inv = store.read();
    let item = inv
        .item(&sku)
        .ok_or_else(|| ApiError::not_found(format!("item {sku} not found")))?;
    Ok(Json(item.view()))
}

pub async fn update_item(
    State(store): State<Store>,
    Path(sku): Path<String>,
    Body(patch): Body<ItemPatch>,
) -> ApiResult<Json<ItemView>> {
    if patch.name.is_none() && patch.unit_price_cents.is_none() && patch.reorder_level.is_none() {
        return Err(ApiError::bad_request("at least one field must be given"));
    }
    let name = match &patch.name {
        Some(n) => Some(clean_text(n, "name", 120).map_err(ApiError::BadRequest)?),
        None => None,
    };
    let price = patch.unit_price_cents.map(check_price).transpose()?;
    let reorder_level = patch.reorder_level.map(check_reorder_level).transpose()?;

    let mut inv = store.write();
    let item = inv
        .item_mut(&sku)
        .ok_or_else(|| ApiError::not_found(format!("item {sku} not found")))?;
    if let Some(name) = name {
        item.name = name;
    }
    if let Some(price) = price {
        item.unit_price_cents = price;
    }
    if let Some(level) = reorder_level {
        item.reorder_level = level;
    }
    Ok(Json(item.view()))
}

pub async fn delete_item(
    State(store): State<Store>,
    Path(sku): Path<String>,
) -> ApiResult<StatusCode> {
    let mut inv = store.write();
    let item = inv
        .item(&sku)
        .ok_or_else(|| ApiError::not_found(format!("item {sku} not found")))?;
    if item.on_hand != 0 || item.reserved != 0 {
        return Err(ApiError::conflict(format!(
            "item {sku} still has stock (on hand {}, reserved {})",
            item.on_hand, item.reserved
        )));
    }
    if inv.has_open_orders_for(&sku) {
        return Err(ApiError::conflict(format!("item {sku} is part of an open order")));
    }
    inv.remove_item(&sku);
    Ok(StatusCode::NO_CONTENT)
}
