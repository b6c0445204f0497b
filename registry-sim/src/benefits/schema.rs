//! The benefits registry's XSD, kept in the repository and built into both sides: the portal
//! checks each request against it before sending, the registry checks each on arrival.

use std::cell::RefCell;

use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use libxml::tree::Node;

/// `registry-sim/xsd/benefits-registry.xsd`.
pub const XSD: &str = include_str!("../../xsd/benefits-registry.xsd");

/// The namespace of every element the schema declares.
pub const NAMESPACE: &str = "urn:portal:benefits-registry:v1";

/// What the schema says is wrong, one line per violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("does not conform to benefits-registry.xsd: {}", .0.join("; "))]
pub struct SchemaViolation(pub Vec<String>);

thread_local! {
    // libxml2's compiled schema is not `Send`: one per thread, compiled on first use.
    static VALIDATOR: RefCell<Option<SchemaValidationContext>> = const { RefCell::new(None) };
}

/// Checks one element (a SOAP body's payload) and everything in it against the schema.
pub fn validate(element: &Node) -> Result<(), SchemaViolation> {
    VALIDATOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let mut parser = SchemaParserContext::from_buffer(XSD);
            let compiled = SchemaValidationContext::from_parser(&mut parser)
                .map_err(|errors| SchemaViolation(messages(errors)))
                .expect("benefits-registry.xsd compiles (a test checks it)");
            *slot = Some(compiled);
        }
        let validator = slot.as_mut().expect("compiled above");
        validator
            .validate_node(element)
            .map_err(|errors| SchemaViolation(messages(errors)))
    })
}

fn messages(errors: Vec<libxml::error::StructuredError>) -> Vec<String> {
    errors
        .into_iter()
        .map(|e| {
            e.message
                .unwrap_or_else(|| "unnamed schema error".to_owned())
                .trim()
                .to_owned()
        })
        .collect()
}
