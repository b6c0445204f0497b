//! SOAP 1.1 envelopes of `CheckFamily`: written with quick-xml, read with libxml2, and each body
//! checked against the XSD. Documents with a DTD are refused unread (SOAP 1.1 forbids them, and
//! they are how entity-expansion attacks arrive); the parser never touches the network.

use libxml::parser::{Parser, ParserOptions};
use libxml::tree::{Document, Node};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use time::Date;
use time::format_description::well_known::Iso8601;

use super::schema::{self, NAMESPACE, SchemaViolation};
use super::{ChildField, ChildRecord, FamilyAnswer, FamilyQuery, Statuses};
use crate::protocol::PersonQuery;

pub const ENVELOPE_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The `SOAPAction` header of a `CheckFamily` request.
pub const ACTION: &str = "urn:portal:benefits-registry:v1#CheckFamily";
/// `Content-Type` of SOAP 1.1.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// Why an envelope could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SoapError {
    #[error("not well-formed XML")]
    Malformed,
    #[error("a document type declaration is not allowed in a SOAP message")]
    Dtd,
    #[error("not a SOAP 1.1 envelope with a body")]
    NotAnEnvelope,
    #[error(transparent)]
    Schema(#[from] SchemaViolation),
    #[error("unreadable value in <{0}>")]
    Value(&'static str),
    /// The other side answered with a fault.
    #[error("SOAP fault {code}: {text}")]
    Fault { code: FaultCode, text: String },
}

/// Who a fault blames (SOAP 1.1 §4.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultCode {
    /// The request was wrong: sending it again will not help.
    Client,
    /// The registry failed: worth trying again.
    Server,
}

impl std::fmt::Display for FaultCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.qualified())
    }
}

impl FaultCode {
    fn qualified(self) -> &'static str {
        match self {
            Self::Client => "soap:Client",
            Self::Server => "soap:Server",
        }
    }
}

// ---- writing ------------------------------------------------------------------------------

type XmlWriter = Writer<Vec<u8>>;
type Written = Result<(), std::io::Error>;

fn envelope(body: impl FnOnce(&mut XmlWriter) -> Written) -> String {
    let mut w = Writer::new(Vec::new());
    let written: Written = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("soap:Envelope")
            .with_attribute(("xmlns:soap", ENVELOPE_NAMESPACE))
            .with_attribute(("xmlns:b", NAMESPACE))
            .write_inner_content(|w| {
                w.create_element("soap:Body").write_inner_content(body)?;
                Ok(())
            })?;
        Ok(())
    })();
    written.expect("writing into memory cannot fail");
    String::from_utf8(w.into_inner()).expect("quick-xml writes the UTF-8 it was given")
}

fn text(w: &mut XmlWriter, name: &str, value: &str) -> Written {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn person(w: &mut XmlWriter, person: &PersonQuery) -> Written {
    text(w, "b:LastName", &person.last_name)?;
    text(w, "b:FirstName", &person.first_name)?;
    if let Some(middle) = person.middle_name.as_deref().filter(|m| !m.is_empty()) {
        text(w, "b:MiddleName", middle)?;
    }
    text(w, "b:BirthDate", &iso(person.birth_date))
}

/// The request the portal sends.
pub fn request(query: &FamilyQuery) -> String {
    envelope(|w| {
        w.create_element("b:CheckFamilyRequest")
            .write_inner_content(|w| {
                w.create_element("b:Applicant").write_inner_content(|w| {
                    person(w, &query.applicant)?;
                    text(w, "b:Snils", &query.applicant_snils)
                })?;
                w.create_element("b:Child").write_inner_content(|w| {
                    person(w, &query.child)?;
                    text(w, "b:Certificate", &query.certificate)
                })?;
                text(w, "b:Benefit", &query.service_number)
            })?;
        Ok(())
    })
}

/// The registry's answer.
pub fn answer(answer: &FamilyAnswer) -> String {
    envelope(|w| {
        w.create_element("b:CheckFamilyResponse")
            .write_inner_content(|w| {
                let (result, fields): (&str, &[ChildField]) = match &answer.child_record {
                    ChildRecord::Found => ("found", &[]),
                    ChildRecord::NotFound => ("not_found", &[]),
                    ChildRecord::Mismatch(fields) => ("mismatch", fields),
                };
                w.create_element("b:ChildRecord")
                    .with_attribute(("result", result))
                    .write_inner_content(|w| {
                        for field in fields {
                            text(w, "b:Mismatch", field.code())?;
                        }
                        Ok(())
                    })?;
                let flag = |on: bool| if on { "true" } else { "false" };
                w.create_element("b:Statuses").write_inner_content(|w| {
                    text(w, "b:LargeFamily", flag(answer.statuses.large_family))?;
                    text(w, "b:LowIncome", flag(answer.statuses.low_income))?;
                    text(
                        w,
                        "b:ChildDisability",
                        flag(answer.statuses.child_disability),
                    )
                })?;
                w.create_element("b:Receiving").write_inner_content(|w| {
                    for number in &answer.receiving {
                        text(w, "b:Benefit", number)?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    })
}

/// A fault, as SOAP 1.1 words it; sent with HTTP 500.
pub fn fault(code: FaultCode, text_: &str) -> String {
    envelope(|w| {
        w.create_element("soap:Fault").write_inner_content(|w| {
            text(w, "faultcode", code.qualified())?;
            text(w, "faultstring", text_)
        })?;
        Ok(())
    })
}

// ---- reading ------------------------------------------------------------------------------

fn parse(xml: &str) -> Result<Document, SoapError> {
    if xml.contains("<!DOCTYPE") || xml.contains("<!doctype") {
        return Err(SoapError::Dtd);
    }
    let options = ParserOptions {
        recover: false,
        no_net: true,
        ..ParserOptions::default()
    };
    Parser::default()
        .parse_string_with_options(xml, options)
        .map_err(|_| SoapError::Malformed)
}

fn is(node: &Node, namespace: &str, name: &str) -> bool {
    node.get_name() == name
        && node
            .get_namespace()
            .is_some_and(|ns| ns.get_href() == namespace)
}

/// The one element in the envelope's body.
fn payload(doc: &Document) -> Result<Node, SoapError> {
    let root = doc.get_root_element().ok_or(SoapError::NotAnEnvelope)?;
    if !is(&root, ENVELOPE_NAMESPACE, "Envelope") {
        return Err(SoapError::NotAnEnvelope);
    }
    let body = root
        .get_child_elements()
        .into_iter()
        .find(|n| is(n, ENVELOPE_NAMESPACE, "Body"))
        .ok_or(SoapError::NotAnEnvelope)?;
    let mut elements = body.get_child_elements().into_iter();
    match (elements.next(), elements.next()) {
        (Some(only), None) => Ok(only),
        _ => Err(SoapError::NotAnEnvelope),
    }
}

fn child(node: &Node, name: &'static str) -> Result<Node, SoapError> {
    node.get_child_elements()
        .into_iter()
        .find(|n| is(n, NAMESPACE, name))
        .ok_or(SoapError::Value(name))
}

fn children(node: &Node, name: &'static str) -> Vec<String> {
    node.get_child_elements()
        .into_iter()
        .filter(|n| is(n, NAMESPACE, name))
        .map(|n| n.get_content())
        .collect()
}

fn value(node: &Node, name: &'static str) -> Result<String, SoapError> {
    Ok(child(node, name)?.get_content())
}

fn date(node: &Node, name: &'static str) -> Result<Date, SoapError> {
    Date::parse(&value(node, name)?, &Iso8601::DATE).map_err(|_| SoapError::Value(name))
}

fn read_person(node: &Node) -> Result<PersonQuery, SoapError> {
    Ok(PersonQuery {
        last_name: value(node, "LastName")?,
        first_name: value(node, "FirstName")?,
        middle_name: child(node, "MiddleName").ok().map(|n| n.get_content()),
        birth_date: date(node, "BirthDate")?,
    })
}

/// The fault in a body, if it holds one.
fn read_fault(payload: &Node) -> Option<SoapError> {
    if !is(payload, ENVELOPE_NAMESPACE, "Fault") {
        return None;
    }
    let part = |name: &str| {
        payload
            .get_child_elements()
            .into_iter()
            .find(|n| n.get_name() == name)
            .map(|n| n.get_content())
            .unwrap_or_default()
    };
    let code = if part("faultcode").ends_with("Server") {
        FaultCode::Server
    } else {
        FaultCode::Client
    };
    Some(SoapError::Fault {
        code,
        text: part("faultstring"),
    })
}

/// The body of a request, checked against the schema: what the registry reads, and what the
/// portal checks its own request with before sending.
pub fn read_request(xml: &str) -> Result<FamilyQuery, SoapError> {
    let doc = parse(xml)?;
    let payload = payload(&doc)?;
    schema::validate(&payload)?;
    if !is(&payload, NAMESPACE, "CheckFamilyRequest") {
        return Err(SoapError::NotAnEnvelope);
    }
    let applicant = child(&payload, "Applicant")?;
    let child_node = child(&payload, "Child")?;
    Ok(FamilyQuery {
        applicant: read_person(&applicant)?,
        applicant_snils: value(&applicant, "Snils")?,
        child: read_person(&child_node)?,
        certificate: value(&child_node, "Certificate")?,
        service_number: value(&payload, "Benefit")?,
    })
}

/// The registry's answer, or the fault it sent.
pub fn read_answer(xml: &str) -> Result<FamilyAnswer, SoapError> {
    let doc = parse(xml)?;
    let payload = payload(&doc)?;
    if let Some(fault) = read_fault(&payload) {
        return Err(fault);
    }
    schema::validate(&payload)?;
    if !is(&payload, NAMESPACE, "CheckFamilyResponse") {
        return Err(SoapError::NotAnEnvelope);
    }
    let record = child(&payload, "ChildRecord")?;
    let child_record = match record.get_attribute("result").as_deref() {
        Some("found") => ChildRecord::Found,
        Some("not_found") => ChildRecord::NotFound,
        Some("mismatch") => ChildRecord::Mismatch(
            children(&record, "Mismatch")
                .iter()
                .map(|code| ChildField::parse(code).ok_or(SoapError::Value("Mismatch")))
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(SoapError::Value("ChildRecord")),
    };
    let statuses = child(&payload, "Statuses")?;
    // xs:boolean is «true», «false», «1» or «0».
    let flag = |name: &'static str| -> Result<bool, SoapError> {
        match value(&statuses, name)?.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(SoapError::Value(name)),
        }
    };
    Ok(FamilyAnswer {
        child_record,
        statuses: Statuses {
            large_family: flag("LargeFamily")?,
            low_income: flag("LowIncome")?,
            child_disability: flag("ChildDisability")?,
        },
        receiving: children(&child(&payload, "Receiving")?, "Benefit"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> FamilyQuery {
        let mut query = super::super::example_query("600101");
        query.child.middle_name = None;
        query
    }

    #[test]
    fn the_schema_compiles() {
        let mut parser = libxml::schemas::SchemaParserContext::from_buffer(schema::XSD);
        assert!(libxml::schemas::SchemaValidationContext::from_parser(&mut parser).is_ok());
    }

    #[test]
    fn a_request_round_trips_and_conforms() {
        let xml = request(&query());
        assert!(xml.contains("<soap:Envelope"), "{xml}");
        assert_eq!(read_request(&xml), Ok(query()));
    }

    #[test]
    fn an_answer_round_trips_and_conforms() {
        let sent = FamilyAnswer {
            child_record: ChildRecord::Mismatch(vec![ChildField::FirstName, ChildField::BirthDate]),
            statuses: Statuses {
                large_family: true,
                low_income: false,
                child_disability: true,
            },
            receiving: vec!["600103".into(), "600104".into()],
        };
        assert_eq!(read_answer(&answer(&sent)), Ok(sent));
    }

    #[test]
    fn a_request_against_the_schema_is_refused_with_the_reason() {
        let mut wrong = query();
        wrong.applicant_snils = "112-233-445 95".into();
        let Err(SoapError::Schema(violation)) = read_request(&request(&wrong)) else {
            panic!("a СНИЛС with separators passed the schema");
        };
        assert!(violation.to_string().contains("Snils"), "{violation}");

        let mut latin = query();
        latin.child.first_name = "Petr".into();
        assert!(matches!(
            read_request(&request(&latin)),
            Err(SoapError::Schema(_))
        ));
        let mut number = query();
        number.service_number = "60010".into();
        assert!(matches!(
            read_request(&request(&number)),
            Err(SoapError::Schema(_))
        ));
    }

    #[test]
    fn hostile_and_broken_documents_are_refused_unread() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol2;</soap:Body></soap:Envelope>"#;
        assert_eq!(read_request(bomb), Err(SoapError::Dtd));
        assert_eq!(read_request("<soap:Envelope"), Err(SoapError::Malformed));
        assert_eq!(
            read_request("<Envelope><Body/></Envelope>"),
            Err(SoapError::NotAnEnvelope)
        );
        let two =
            request(&query()).replace("</soap:Body>", "<b:Benefit>600101</b:Benefit></soap:Body>");
        assert_eq!(read_request(&two), Err(SoapError::NotAnEnvelope));
    }

    #[test]
    fn a_fault_is_read_with_its_code() {
        let xml = fault(FaultCode::Server, "база недоступна");
        assert_eq!(
            read_answer(&xml),
            Err(SoapError::Fault {
                code: FaultCode::Server,
                text: "база недоступна".into()
            })
        );
        let client = fault(FaultCode::Client, "bad");
        assert!(matches!(
            read_answer(&client),
            Err(SoapError::Fault {
                code: FaultCode::Client,
                ..
            })
        ));
    }
}
