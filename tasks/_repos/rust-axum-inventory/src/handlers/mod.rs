//! HTTP handlers, one module per endpoint group.

pub mod health;
pub mod items;
pub mod orders;
pub mod stock;
