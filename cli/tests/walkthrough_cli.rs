//! `docs/walkthrough.md` runs as written: every line of its `sh` blocks is
//! executed in order with `b2b-oms` on the PATH; a line marked
//! `# refused: CODE` must fail with that code, every other must succeed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The lines of the walkthrough's `sh` blocks, in order.
fn sh_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            inside = !inside && t == "```sh";
            continue;
        }
        if inside && !t.is_empty() {
            lines.push(t.to_owned());
        }
    }
    lines
}

#[test]
fn every_command_of_the_walkthrough_runs() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/walkthrough.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let lines = sh_lines(&text);
    assert!(lines.len() > 30, "the walkthrough's commands: {lines:?}");

    let bin = PathBuf::from(env!("CARGO_BIN_EXE_b2b-oms"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cwd = std::env::temp_dir().join(format!("b2b-oms-walkthrough-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cwd);
    std::fs::create_dir_all(&cwd).unwrap();

    let mut refused = 0;
    for line in &lines {
        if let Some(dir) = line.strip_prefix("cd ") {
            cwd = cwd.join(dir.trim());
            assert!(cwd.is_dir(), "{line}: no such folder");
            continue;
        }
        assert!(
            line.starts_with("b2b-oms ") || line.contains("| b2b-oms "),
            "every line of an sh block is a b2b-oms command (or cd): {line}"
        );
        let (command, expect) = match line.split_once("# refused: ") {
            Some((c, code)) => (c.trim(), Some(code.trim())),
            None => (line.as_str(), None),
        };
        let out = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(&cwd)
            .env("PATH", &path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        match expect {
            None => assert!(out.status.success(), "{line}: {err}"),
            Some(code) => {
                refused += 1;
                assert_eq!(out.status.code(), Some(2), "{line}: must be refused");
                assert!(err.contains(code), "{line}: {err}");
            }
        }
    }
    assert_eq!(refused, 4, "the refusals the walkthrough shows");
}
