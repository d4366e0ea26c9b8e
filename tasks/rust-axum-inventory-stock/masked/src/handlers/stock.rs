//! Stock movements of one item: receiving goods, manual adjustments, and the movement log.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Params};
use crate::models::{AdjustStock, Listing, Movement, ReceiveStock, StockChange};
use crate::store::Store;

// TODO: implement the stock endpoints described in the task instruction.

pub async fn receive(
    State(_store): State<Store>,
    Path(_sku): Path<String>,
    Body(_body): Body<ReceiveStock>,
) -> ApiResult<(StatusCode, Json<StockChange>)> {
    Err(ApiError::NotImplemented)
}

pub async fn adjust(
    State(_store): State<Store>,
    Path(_sku): Path<String>,
    Body(_body): Body<AdjustStock>,
) -> ApiResult<(StatusCode, Json<StockChange>)> {
    Err(ApiError::NotImplemented)
}

pub async fn list_movements(
    State(_store): State<Store>,
    Path(_sku): Path<String>,
    Params(_params): Params<HashMap<String, String>>,
) -> ApiResult<Json<Listing<Movement>>> {
    Err(ApiError::NotImplemented)
}
