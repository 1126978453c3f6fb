//! `journey`: runs the demo's inquiry-to-invoice journey on the host
//! operations and prints what each step did.
//!
//! ```text
//! cargo run -p b2b-oms-example-journey --bin journey [DATA_DIR]
//! ```
//!
//! DATA_DIR holds dataset.json and journey.json (examples/data by default).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data"),
        PathBuf::from,
    );
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let (dataset, journey) = match (read("dataset.json"), read("journey.json")) {
        (Ok(d), Ok(j)) => (d, j),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    match b2b_oms_example_journey::run(&dataset, &journey) {
        Ok(j) => {
            print!("{}", j.report);
            println!("\n{} host operation calls.", j.steps.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            // The error document every host operation returns: code,
            // family, field path, message, details.
            eprintln!(
                "the journey failed: {}",
                serde_json::to_string(&e).unwrap_or_else(|_| e.to_string())
            );
            ExitCode::from(2)
        }
    }
}
