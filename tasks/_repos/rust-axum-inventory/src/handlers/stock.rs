//! Stock movements of one item: receiving goods, manual adjustments, and the movement log.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Params};
use crate::models::{
    clean_text, AdjustStock, Listing, Movement, MovementKind, ReceiveStock, StockChange,
    MAX_RECEIVE_QUANTITY,
};
use crate::store::Store;

pub async fn receive(
    State(store): State<Store>,
    Path(sku): Path<String>,
    Body(body): Body<ReceiveStock>,
) -> ApiResult<(StatusCode, Json<StockChange>)> {
    if !(1..=MAX_RECEIVE_QUANTITY).contains(&body.quantity) {
        return Err(ApiError::bad_request(format!(
            "'quantity' must be between 1 and {MAX_RECEIVE_QUANTITY}"
        )));
    }
    let reference = match &body.reference {
        Some(r) => Some(clean_text(r, "reference", 64).map_err(ApiError::BadRequest)?),
        None => None,
    };

    let mut inv = store.write();
    let item = inv
        .item_mut(&sku)
        .ok_or_else(|| ApiError::not_found(format!("item {sku} not found")))?;
    item.on_hand += body.quantity;
    let movement = inv.record_movement(&sku, MovementKind::Receive, body.quantity, reference);
    let item = inv.item(&sku).expect("item exists").view();
    Ok((StatusCode::CREATED, Json(StockChange { movement, item })))
}

pub async fn adjust(
    State(store): State<Store>,
    Path(sku): Path<String>,
    Body(body): Body<AdjustStock>,
) -> ApiResult<(StatusCode, Json<StockChange>)> {
    if body.delta == 0 || body.delta.abs() > MAX_RECEIVE_QUANTITY {
        return Err(ApiError::bad_request(format!(
            "'delta' must be non-zero and between -{MAX_RECEIVE_QUANTITY} and {MAX_RECEIVE_QUANTITY}"
        )));
    }
    let reason = clean_text(&body.reason, "reason", 64).map_err(ApiError::BadRequest)?;

    let mut inv = store.write();
    let item = inv
        .item_mut(&sku)
        .ok_or_else(|| ApiError::not_found(format!("item {sku} not found")))?;
    let new_on_hand = item.on_hand + body.delta;
    if new_on_hand < item.reserved {
        return Err(ApiError::conflict(format!(
            "adjustment would leave {new_on_hand} on hand, below the {} reserved",
            item.reserved
        )));
    }
    item.on_hand = new_on_hand;
    let movement = inv.record_movement(&sku, MovementKind::Adjust, body.delta, Some(reason));
    let item = inv.item(&sku).expect("item exists").view();
    Ok((StatusCode::CREATED, Json(StockChange { movement, item })))
}

pub async fn list_movements(
    State(store): State<Store>,
    Path(sku): Path<String>,
    Params(params): Params<HashMap<String, String>>,
) -> ApiResult<Json<Listing<Movement>>> {
    let kind = match params.get("kind").map(String::as_str) {
        None | Some("") => None,
        Some("receive") => Some(MovementKind::Receive),
        Some("adjust") => Some(MovementKind::Adjust),
        Some("ship") => Some(MovementKind::Ship),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "'kind' must be receive, adjust or ship, not {other:?}"
            )))
        }
    };
    let inv = store.read();
    if !inv.contains_item(&sku) {
        return Err(ApiError::not_found(format!("item {sku} not found")));
    }
    let movements = inv
        .movements_for(&sku)
        .filter(|m| kind.map_or(true, |k| m.kind == k))
        .cloned()
        .collect();
    Ok(Json(Listing::of(movements)))
}
