//! The condition language: a serializable tree and its text form.
//!
//! Text grammar (keywords are lower case):
//!
//! ```text
//! expr    := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" expr ")" | compare
//! compare := FACT op literal | FACT "in" "[" literal ("," literal)* "]"
//! op      := ">" | ">=" | "<" | "<=" | "==" | "!="
//! literal := NUMBER | NUMBER CURRENCY | "string" | true | false
//! ```
//!
//! `a and b and c` is one `all` of three; a parenthesised group stays its
//! own node, so printing and parsing give back the same tree. Printing puts
//! parentheses around every group nested in another group or under `not`.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ApprovalError;
use crate::money::Money;

/// Longest condition text accepted, in characters.
pub const MAX_TEXT_LEN: usize = 4_096;
/// Deepest nesting of a condition (groups and `not`).
pub const MAX_DEPTH: usize = 32;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub enum CompareOp {
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater or equal.
    #[serde(rename = ">=")]
    Ge,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Less or equal.
    #[serde(rename = "<=")]
    Le,
    /// Equal (for tags: contains).
    #[serde(rename = "==")]
    Eq,
    /// Not equal (for tags: does not contain).
    #[serde(rename = "!=")]
    Ne,
}

impl CompareOp {
    /// The operator's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Eq => "==",
            Self::Ne => "!=",
        }
    }

    /// Applies the operator to an ordering.
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Self::Gt => ord == Greater,
            Self::Ge => ord != Less,
            Self::Lt => ord == Less,
            Self::Le => ord != Greater,
            Self::Eq => ord == Equal,
            Self::Ne => ord != Equal,
        }
    }
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Literal {
    /// A plain number (percent, count, days).
    Number(Decimal),
    /// An amount with its currency.
    Money(Money),
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
}

/// A condition over the facts, as a tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every child holds.
    All(Vec<Condition>),
    /// At least one child holds.
    Any(Vec<Condition>),
    /// The child does not hold.
    Not(Box<Condition>),
    /// `fact op value`.
    Compare {
        /// Fact name (see [`super::Fact`]).
        fact: String,
        /// Operator.
        op: CompareOp,
        /// Literal.
        value: Literal,
    },
    /// `fact in [values]` (for tags: any tag in the list).
    In {
        /// Fact name.
        fact: String,
        /// Allowed values.
        values: Vec<Literal>,
    },
}

fn print_literal(l: &Literal, out: &mut String) {
    match l {
        Literal::Number(n) => out.push_str(&n.normalize().to_string()),
        Literal::Money(m) => {
            out.push_str(&m.amount.normalize().to_string());
            out.push(' ');
            out.push_str(&m.currency);
        }
        Literal::Text(t) => {
            out.push('"');
            for c in t.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
        Literal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

impl Condition {
    /// The text form; parsing it gives back this tree (groups of one child
    /// print as the child alone).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.print(&mut out, false);
        out
    }

    /// Prints what follows the fact name of a comparison (` > 15`,
    /// ` in ["a"]`); nothing for groups.
    pub(crate) fn print_tail(&self, out: &mut String) {
        match self {
            Self::Compare { op, value, .. } => {
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
                print_literal(value, out);
            }
            Self::In { values, .. } => {
                out.push_str(" in [");
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    print_literal(v, out);
                }
                out.push(']');
            }
            _ => {}
        }
    }

    fn print(&self, out: &mut String, nested: bool) {
        match self {
            Self::All(items) | Self::Any(items) if items.len() == 1 => {
                if let Some(c) = items.first() {
                    c.print(out, nested);
                }
            }
            Self::All(items) | Self::Any(items) => {
                let sep = if matches!(self, Self::All(_)) {
                    " and "
                } else {
                    " or "
                };
                if nested {
                    out.push('(');
                }
                for (i, c) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    c.print(out, true);
                }
                if nested {
                    out.push(')');
                }
            }
            Self::Not(c) => {
                out.push_str("not ");
                c.print(out, true);
            }
            Self::Compare { fact, .. } | Self::In { fact, .. } => {
                out.push_str(fact);
                self.print_tail(out);
            }
        }
    }

    /// Parses the text form. Errors name the character position.
    pub fn parse(text: &str) -> Result<Condition, ApprovalError> {
        parse_at(text, "when")
    }
}

/// Parses `text`, naming `field` in errors.
pub(crate) fn parse_at(text: &str, field: &str) -> Result<Condition, ApprovalError> {
    parse_with_positions(text, field).map(|(c, _)| c)
}

/// Parses `text`; also gives the character position of every comparison
/// (its fact name), in the order the tree lists them (depth first).
pub(crate) fn parse_with_positions(
    text: &str,
    field: &str,
) -> Result<(Condition, Vec<usize>), ApprovalError> {
    let len = text.chars().count();
    if len > MAX_TEXT_LEN {
        return Err(ApprovalError::ExpressionTooLong {
            field: field.to_owned(),
            length: len,
            max: MAX_TEXT_LEN,
        });
    }
    let tokens = lex(text, field)?;
    let mut p = Parser {
        text,
        field,
        tokens,
        pos: 0,
        leaves: Vec::new(),
    };
    let cond = p.expr(0)?;
    if let Some(t) = p.tokens.get(p.pos) {
        return Err(p.error(t.at, "expected `and`, `or` or the end"));
    }
    Ok((cond, p.leaves))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Number(Decimal),
    Str(String),
    Op(CompareOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    at: usize,
}

fn char_pos(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

fn lex(text: &str, field: &str) -> Result<Vec<Token>, ApprovalError> {
    let err = |byte: usize, msg: &str| ApprovalError::Parse {
        field: field.to_owned(),
        position: char_pos(text, byte),
        message: msg.to_owned(),
    };
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' | b')' | b'[' | b']' | b',' => {
                i += 1;
                let tok = match b {
                    b'(' => Tok::LParen,
                    b')' => Tok::RParen,
                    b'[' => Tok::LBracket,
                    b']' => Tok::RBracket,
                    _ => Tok::Comma,
                };
                out.push(Token { tok, at: start });
                continue;
            }
            b'>' | b'<' | b'=' | b'!' => {
                let next = bytes.get(i + 1).copied();
                let (op, n) = match (b, next) {
                    (b'>', Some(b'=')) => (CompareOp::Ge, 2),
                    (b'>', _) => (CompareOp::Gt, 1),
                    (b'<', Some(b'=')) => (CompareOp::Le, 2),
                    (b'<', _) => (CompareOp::Lt, 1),
                    (b'=', Some(b'=')) => (CompareOp::Eq, 2),
                    (b'!', Some(b'=')) => (CompareOp::Ne, 2),
                    _ => return Err(err(start, "unknown operator (use ==, !=, <, <=, >, >=)")),
                };
                i += n;
                out.push(Token {
                    tok: Tok::Op(op),
                    at: start,
                });
                continue;
            }
            b'"' => {
                i += 1;
                let mut s = String::new();
                let mut closed = false;
                while i < bytes.len() {
                    let rest = text.get(i..).unwrap_or("");
                    let Some(c) = rest.chars().next() else { break };
                    i += c.len_utf8();
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => {
                            let rest = text.get(i..).unwrap_or("");
                            match rest.chars().next() {
                                Some(e @ ('"' | '\\')) => {
                                    s.push(e);
                                    i += 1;
                                }
                                _ => return Err(err(i, "only \\\" and \\\\ escapes are allowed")),
                            }
                        }
                        c => s.push(c),
                    }
                }
                if !closed {
                    return Err(err(start, "unterminated string"));
                }
                out.push(Token {
                    tok: Tok::Str(s),
                    at: start,
                });
                continue;
            }
            b'0'..=b'9' | b'-' | b'.' => {
                i += 1;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
                {
                    i += 1;
                }
                let s = text.get(start..i).unwrap_or("");
                let n: Decimal = s.parse().map_err(|_| err(start, "invalid number"))?;
                out.push(Token {
                    tok: Tok::Number(n),
                    at: start,
                });
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                i += 1;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Ident(text.get(start..i).unwrap_or("").to_owned()),
                    at: start,
                });
                continue;
            }
            _ => return Err(err(start, "unexpected character")),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    field: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    leaves: Vec<usize>,
}

impl Parser<'_> {
    fn error(&self, byte: usize, msg: &str) -> ApprovalError {
        ApprovalError::Parse {
            field: self.field.to_owned(),
            position: char_pos(self.text, byte),
            message: msg.to_owned(),
        }
    }

    fn end_error(&self, msg: &str) -> ApprovalError {
        self.error(self.text.len(), msg)
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn is_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s == kw)
    }

    fn depth_check(&self, depth: usize) -> Result<(), ApprovalError> {
        if depth > MAX_DEPTH {
            return Err(ApprovalError::ExpressionTooDeep {
                field: self.field.to_owned(),
                max: MAX_DEPTH,
            });
        }
        Ok(())
    }

    fn expr(&mut self, depth: usize) -> Result<Condition, ApprovalError> {
        self.depth_check(depth)?;
        let mut items = vec![self.and(depth)?];
        while self.is_keyword("or") {
            self.pos += 1;
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Condition::All(Vec::new()))
        } else {
            Condition::Any(items)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Condition, ApprovalError> {
        let mut items = vec![self.unary(depth)?];
        while self.is_keyword("and") {
            self.pos += 1;
            items.push(self.unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Condition::All(Vec::new()))
        } else {
            Condition::All(items)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Condition, ApprovalError> {
        self.depth_check(depth + 1)?;
        if self.is_keyword("not") {
            self.pos += 1;
            return Ok(Condition::Not(Box::new(self.unary(depth + 1)?)));
        }
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let inner = self.expr(depth + 1)?;
            match self.tokens.get(self.pos) {
                Some(Token {
                    tok: Tok::RParen, ..
                }) => {
                    self.pos += 1;
                    return Ok(inner);
                }
                Some(t) => return Err(self.error(t.at, "expected `)`")),
                None => return Err(self.end_error("expected `)`")),
            }
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Condition, ApprovalError> {
        let fact = match self.tokens.get(self.pos) {
            Some(Token {
                tok: Tok::Ident(s), ..
            }) if !matches!(s.as_str(), "and" | "or" | "not" | "in" | "true" | "false") => {
                s.clone()
            }
            Some(t) => return Err(self.error(t.at, "expected a fact name")),
            None => return Err(self.end_error("expected a fact name")),
        };
        if let Some(t) = self.tokens.get(self.pos) {
            self.leaves.push(char_pos(self.text, t.at));
        }
        self.pos += 1;
        match self.tokens.get(self.pos) {
            Some(Token {
                tok: Tok::Op(op), ..
            }) => {
                let op = *op;
                self.pos += 1;
                let value = self.literal()?;
                Ok(Condition::Compare { fact, op, value })
            }
            Some(Token {
                tok: Tok::Ident(s), ..
            }) if s == "in" => {
                self.pos += 1;
                match self.tokens.get(self.pos) {
                    Some(Token {
                        tok: Tok::LBracket, ..
                    }) => self.pos += 1,
                    Some(t) => return Err(self.error(t.at, "expected `[`")),
                    None => return Err(self.end_error("expected `[`")),
                }
                let mut values = vec![self.literal()?];
                loop {
                    match self.tokens.get(self.pos) {
                        Some(Token {
                            tok: Tok::Comma, ..
                        }) => {
                            self.pos += 1;
                            values.push(self.literal()?);
                        }
                        Some(Token {
                            tok: Tok::RBracket, ..
                        }) => {
                            self.pos += 1;
                            break;
                        }
                        Some(t) => return Err(self.error(t.at, "expected `,` or `]`")),
                        None => return Err(self.end_error("expected `]`")),
                    }
                }
                Ok(Condition::In { fact, values })
            }
            Some(t) => Err(self.error(t.at, "expected a comparison operator or `in`")),
            None => Err(self.end_error("expected a comparison operator or `in`")),
        }
    }

    fn literal(&mut self) -> Result<Literal, ApprovalError> {
        let Some(t) = self.tokens.get(self.pos) else {
            return Err(self.end_error("expected a value"));
        };
        let at = t.at;
        let lit = match &t.tok {
            Tok::Number(n) => {
                let n = *n;
                // A number followed by a currency code is money.
                if let Some(Token {
                    tok: Tok::Ident(c), ..
                }) = self.tokens.get(self.pos + 1)
                {
                    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
                        let currency = c.clone();
                        self.pos += 2;
                        return Ok(Literal::Money(Money {
                            amount: n,
                            currency,
                        }));
                    }
                }
                Literal::Number(n)
            }
            Tok::Str(s) => Literal::Text(s.clone()),
            Tok::Ident(s) if s == "true" => Literal::Bool(true),
            Tok::Ident(s) if s == "false" => Literal::Bool(false),
            _ => return Err(self.error(at, "expected a number, amount, string, true or false")),
        };
        self.pos += 1;
        Ok(lit)
    }
}
