//! Customer orders: reserving stock, shipping and cancelling.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Params};
use crate::models::{Listing, NewOrder, Order};
use crate::store::Store;

// TODO: implement the order endpoints described in the task instruction.

pub async fn create_order(
    State(_store): State<Store>,
    Body(_body): Body<NewOrder>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    Err(ApiError::NotImplemented)
}

pub async fn list_orders(
    State(_store): State<Store>,
    Params(_params): Params<HashMap<String, String>>,
) -> ApiResult<Json<Listing<Order>>> {
    Err(ApiError::NotImplemented)
}

pub async fn get_order(
    State(_store): State<Store>,
    Path(_raw_id): Path<String>,
) -> ApiResult<Json<Order>> {
    Err(ApiError::NotImplemented)
}

pub async fn ship_order(
    State(_store): State<Store>,
    Path(_raw_id): Path<String>,
) -> ApiResult<Json<Order>> {
    Err(ApiError::NotImplemented)
}

pub async fn cancel_order(
    State(_store): State<Store>,
    Path(_raw_id): Path<String>,
) -> ApiResult<Json<Order>> {
    Err(ApiError::NotImplemented)
}
