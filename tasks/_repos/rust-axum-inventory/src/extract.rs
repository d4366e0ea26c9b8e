//! Extractors whose rejections are rendered as the service's JSON errors (400) instead of
//! axum's plain-text ones.

use axum::async_trait;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::Json;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body; any problem (syntax, missing field, wrong type, unknown field, missing
/// content type) is a 400.
pub struct Body<T>(pub T);

#[async_trait]
impl<S, T> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) => Err(ApiError::bad_request(describe_json(rejection))),
        }
    }
}

fn describe_json(rejection: JsonRejection) -> String {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "expected a JSON body (Content-Type: application/json)".to_string()
        }
        other => format!("invalid JSON body: {}", other.body_text()),
    }
}

/// Query-string parameters; a value of the wrong type is a 400.
pub struct Params<T>(pub T);

#[async_trait]
impl<S, T> FromRequestParts<S> for Params<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Params(value)),
            Err(rejection) => Err(ApiError::bad_request(describe_query(rejection))),
        }
    }
}

fn describe_query(rejection: QueryRejection) -> String {
    format!("invalid query string: {}", rejection.body_text())
}
