//! `b2b-oms demo --write-inputs DIR`: the complete input document of every
//! step of the demo's journey, one file per step named for the CLI command
//! that replays it (`03-quote-build.json` → `b2b-oms quote build
//! 03-quote-build.json`), with a README listing the commands and a
//! `replay.sh` that runs them all.
//!
//! The documents come from the journey example (`examples/rust`), which
//! runs the demo's journey on the host operations with the dataset and
//! examples/data/journey.json; each file holds the dataset's parts, the
//! host's choices from journey.json and the outputs of the earlier steps.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use b2b_oms::json::to_json_pretty;

/// The CLI command that runs `operation` on one input document: its own
/// subcommand where it has one that reads the whole document, else `call`.
fn command_of(operation: &str) -> Vec<String> {
    let own: Option<&[&str]> = match operation {
        "quote_build" => Some(&["quote", "build"]),
        "quote_revise" => Some(&["quote", "revise"]),
        "quote_diff" => Some(&["quote", "diff"]),
        "quote_submit" => Some(&["quote", "submit"]),
        "quote_issue" => Some(&["quote", "issue"]),
        "quote_accept" => Some(&["quote", "accept"]),
        "quote_convert" => Some(&["quote", "convert"]),
        "approval_decide" => Some(&["approval", "decide"]),
        "allocate" => Some(&["allocate"]),
        "ship" => Some(&["ship"]),
        "shipment_transition" => Some(&["shipment", "transition"]),
        "invoice" => Some(&["invoice"]),
        "einvoice" => Some(&["einvoice"]),
        _ => None,
    };
    match own {
        Some(words) => words.iter().map(|w| (*w).to_owned()).collect(),
        None => vec!["call".to_owned(), operation.to_owned()],
    }
}

/// Writes the input documents into `dir`; returns the files written.
pub fn write(dataset: &str, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let journey = b2b_oms_example_journey::run(dataset, b2b_oms_example_journey::JOURNEY)
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut readme = String::from(
        "# The demo's journey, step by step\n\n\
         Written by `b2b-oms demo --write-inputs`. Each file is the complete input document of one\n\
         step of the inquiry-to-invoice journey (`b2b-oms demo`), in order; its name is the command\n\
         that replays it. Each document already holds the outputs of the earlier steps it needs\n\
         (the quote, the approval instance, the order, …), so any step can be replayed on its own.\n\
         `sh replay.sh` runs them all (set `B2B_OMS` to the binary when it is not on the PATH);\n\
         the steps marked *refused* must fail with that code.\n\n\
         | file | command | step |\n|---|---|---|\n",
    );
    let mut script = String::from(
        "#!/bin/sh\n\
         # Replays every step of the demo's journey with the CLI; outputs go to out/.\n\
         set -u\n\
         cd \"$(dirname \"$0\")\" || exit 1\n\
         B=\"${B2B_OMS:-b2b-oms}\"\n\
         mkdir -p out\n\
         run() { file=$1; shift; \"$B\" \"$@\" \"$file\" > \"out/$file\" || { echo \"$file failed\"; exit 1; }; }\n\
         refused() { code=$1; file=$2; shift 2\n  \
           if err=$(\"$B\" \"$@\" \"$file\" 2>&1 >/dev/null); then echo \"$file was accepted; it must fail with $code\"; exit 1; fi\n  \
           case \"$err\" in *\"$code\"*) ;; *) echo \"$file: $err (expected $code)\"; exit 1 ;; esac; }\n",
    );
    let mut files = Vec::new();
    for (i, step) in journey.steps.iter().enumerate() {
        let command = command_of(step.operation);
        let name = format!("{:02}-{}.json", i + 1, command.join("-"));
        let path = dir.join(&name);
        let mut text = to_json_pretty(&step.input).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let words = command.join(" ");
        let refused = step.output.as_ref().err().map(|e| e.code.clone());
        let _ = writeln!(
            readme,
            "| `{name}` | `b2b-oms {words} {name}` | {}{} |",
            step.name,
            refused
                .as_ref()
                .map(|c| format!(" (*refused*: `{c}`)"))
                .unwrap_or_default()
        );
        match &refused {
            Some(code) => {
                let _ = writeln!(script, "refused {code} {name} {words}");
            }
            None => {
                let _ = writeln!(script, "run {name} {words}");
            }
        }
        files.push(path);
    }
    script.push_str("echo \"replayed every step: outputs in out/\"\n");
    for (name, text) in [("README.md", readme), ("replay.sh", script)] {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        files.push(path);
    }
    Ok(files)
}
