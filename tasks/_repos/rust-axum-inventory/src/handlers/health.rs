use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::store::Store;

pub async fn health(State(store): State<Store>) -> Json<Value> {
    let items = store.read().items().count();
    Json(json!({"status": "ok", "service": "inventory", "items": items}))
}
