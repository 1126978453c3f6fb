//! The Node.js binding of b2b-oms (napi-rs): the compiled handles
//! ([`handles`]) and every host operation by name ([`call`], [`call_async`]).
//!
//! This crate holds no business logic: documents cross as JSON text
//! (written and read by the package's JS layer), are checked against their
//! shape for decimals ([`convert`]), and go to the core's host operations;
//! errors become JS error objects with the stable code, family, field and
//! details ([`errors`]). Every export is `#[napi(catch_unwind)]` and runs its
//! body inside `b2b_oms::host::guarded`, so a panic throws `INTERNAL`
//! instead of taking Node down.

#![deny(unsafe_code)]

mod convert;
mod errors;
mod handles;
mod tasks;

use b2b_oms::host::{self, guarded, shape, HostError, Operation, CODES};
use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;
use serde_json::{json, Value};

pub use handles::{ApprovalPolicy, Catalog, ClassificationPolicy, PriceBook, ReservationLedger};

use crate::errors::throw;
use crate::tasks::{HostTask, Job};

/// Runs a host operation on its input document: checks the document's
/// decimals against the operation's shape, then calls the core.
fn run(operation: &str, input: &str) -> Result<String, HostError> {
    let op = Operation::from_name(operation).ok_or_else(|| {
        HostError::new(
            "UNKNOWN_OPERATION",
            None,
            format!("there is no operation {operation:?}"),
        )
        .with_detail("operation", operation.into())
    })?;
    convert::checked(input, shape::input(op).map(|s| s.root()))?;
    host::call(operation, input)
}

/// Runs host operation `operation` (`"quote_build"`) on the JSON text of its
/// input document and returns the JSON text of its output document.
#[napi(catch_unwind)]
pub fn call(env: Env, operation: String, input: String) -> napi::Result<String> {
    throw(&env, guarded(|| run(&operation, &input)))
}

/// [`call`] on the libuv thread pool: the same result, as a promise.
#[napi(catch_unwind, ts_return_type = "Promise<string>")]
pub fn call_async(operation: String, input: String) -> AsyncTask<HostTask> {
    HostTask::spawn(Job::new(move || run(&operation, &input)))
}

/// Every host operation as JSON text: `[{name, summary, families, input,
/// output}]`, `input` and `output` being the schema type names of its
/// documents (`PriceOrderInput`, `PricedOrder`).
#[napi(catch_unwind)]
pub fn operations(env: Env) -> napi::Result<String> {
    throw(
        &env,
        guarded(|| {
            let title = |s: schemars::Schema| {
                s.get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown")
                    .to_owned()
            };
            let list: Vec<Value> = Operation::ALL
                .iter()
                .map(|op| {
                    json!({
                        "name": op.name(),
                        "summary": op.summary(),
                        "families": op.families().iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                        "input": title(op.input_schema()),
                        "output": title(op.output_schema()),
                    })
                })
                .collect();
            convert::to_text(&list)
        }),
    )
}

/// Every error code as JSON text: `[{code, family, summary}]`, from the
/// core's `host::CODES`.
#[napi(catch_unwind)]
pub fn codes(env: Env) -> napi::Result<String> {
    throw(&env, guarded(|| convert::to_text(&CODES)))
}

/// Test hook: panics inside the export when the environment variable
/// `B2B_OMS_TEST_PANIC` is `1`, else returns `"ok"`; proves that a panic
/// throws `INTERNAL` and Node survives.
#[napi(js_name = "__testPanic", catch_unwind)]
pub fn test_panic(env: Env) -> napi::Result<String> {
    throw(&env, guarded(|| panic_if_asked().map(|()| "ok".to_owned())))
}

/// [`test_panic`] panicking inside an async task's compute.
#[napi(
    js_name = "__testPanicAsync",
    catch_unwind,
    ts_return_type = "Promise<string>"
)]
pub fn test_panic_async() -> AsyncTask<HostTask> {
    HostTask::spawn(Job::new(|| panic_if_asked().map(|()| "ok".to_owned())))
}

fn panic_if_asked() -> Result<(), HostError> {
    if std::env::var("B2B_OMS_TEST_PANIC").as_deref() == Ok("1") {
        #[allow(clippy::panic)]
        {
            panic!("test panic (B2B_OMS_TEST_PANIC=1)");
        }
    }
    Ok(())
}
