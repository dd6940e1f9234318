//! OpenAPI schemas (feature `openapi`) of the core values that have a JSON form of their own:
//! a currency is its ISO 4217 code, an instant in a pricing policy is milliseconds since the
//! Unix epoch.

use crate::{Currency, Timestamp};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

impl utoipa::PartialSchema for Currency {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[A-Z]{3}$"))
            .description(Some("An ISO 4217 currency code, e.g. `EUR`."))
            .into()
    }
}

impl utoipa::ToSchema for Currency {}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .description(Some("An instant in milliseconds since the Unix epoch."))
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}
