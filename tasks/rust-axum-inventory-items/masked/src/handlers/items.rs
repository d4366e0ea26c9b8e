//! Catalogue of stock-keeping units: /items.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Body, Params};
use crate::models::{ItemPatch, ItemView, Listing, NewItem};
use crate::store::Store;

// TODO: implement the item endpoints described in the task instruction.

pub async fn create_item(
    State(_store): State<Store>,
    Body(_body): Body<NewItem>,
) -> ApiResult<(StatusCode, Json<ItemView>)> {
    Err(ApiError::NotImplemented)
}

pub async fn list_items(
    State(_store): State<Store>,
    Params(_params): Params<HashMap<String, String>>,
) -> ApiResult<Json<Listing<ItemView>>> {
    Err(ApiError::NotImplemented)
}

pub async fn get_item(
    State(_store): State<Store>,
    Path(_sku): Path<String>,
) -> ApiResult<Json<ItemView>> {
    Err(ApiError::NotImplemented)
}

pub async fn update_item(
    State(_store): State<Store>,
    Path(_sku): Path<String>,
    Body(_patch): Body<ItemPatch>,
) -> ApiResult<Json<ItemView>> {
    Err(ApiError::NotImplemented)
}

pub async fn delete_item(
    State(_store): State<Store>,
    Path(_sku): Path<String>,
) -> ApiResult<StatusCode> {
    Err(ApiError::NotImplemented)
}
