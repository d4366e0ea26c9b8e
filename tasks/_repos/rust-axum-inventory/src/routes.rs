//! URL map of the service.

use axum::routing::{get, post};
use axum::Router;

use crate::handlers::{health, items, orders, stock};
use crate::store::Store;

pub fn router(store: Store) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .route("/items", post(items::create_item).get(items::list_items))
        .route(
            "/items/:sku",
            get(items::get_item)
                .patch(items::update_item)
                .delete(items::delete_item),
        )
        .route("/items/:sku/receive", post(stock::receive))
        .route("/items/:sku/adjust", post(stock::adjust))
        .route("/items/:sku/movements", get(stock::list_movements))
        .route("/orders", post(orders::create_order).get(orders::list_orders))
        .route("/orders/:id", get(orders::get_order))
        .route("/orders/:id/ship", post(orders::ship_order))
        .route("/orders/:id/cancel", post(orders::cancel_order))
        .fallback(crate::error::not_found_fallback)
        .with_state(store)
}
