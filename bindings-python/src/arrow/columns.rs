//! Typed views of the input columns: text, decimal and instant columns of
//! the Arrow types a warehouse engine writes (pyarrow, Polars, Spark), each
//! read cell by cell without Python objects. A column of another type is
//! refused with `INVALID_FIELD`; a float column where a decimal is needed
//! with `NUMBER_FOR_DECIMAL`; a timestamp without a time zone with
//! `NAIVE_DATETIME`; a null in a required column with `MISSING_FIELD`.

use arrow_array::cast::AsArray;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{
    Array, ArrayRef, Decimal128Array, LargeStringArray, PrimitiveArray, StringArray,
    StringViewArray,
};
use arrow_schema::{DataType, TimeUnit};
use b2b_oms::host::HostError;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::Value;

/// The field path of one cell: `rows[12].quantity`.
pub fn cell(row: usize, column: &str) -> String {
    format!("rows[{row}].{column}")
}

/// `INVALID_FIELD` for a column of a type the reader does not take.
fn wrong_type(column: &str, found: &DataType, wanted: &str) -> HostError {
    HostError::new(
        "INVALID_FIELD",
        Some(column.to_owned()),
        format!("column {column:?} is {found}; it must be {wanted}"),
    )
    .with_detail("value", Value::String(found.to_string()))
    .with_detail("rule", Value::String(format!("column type: {wanted}")))
}

/// `MISSING_FIELD` for a null in a required column.
pub fn null_cell(row: usize, column: &str) -> HostError {
    HostError::new(
        "MISSING_FIELD",
        Some(cell(row, column)),
        format!("row {row} has no {column} (null)"),
    )
    .with_detail("value", Value::Null)
    .with_detail("rule", Value::String("required column: no nulls".into()))
}

/// A text column (`utf8`, `large_utf8` or `utf8_view`).
pub enum Text<'a> {
    /// `utf8` (pyarrow's `string`, Spark's `StringType`).
    Small(&'a StringArray),
    /// `large_utf8` (Polars' `to_arrow()`).
    Large(&'a LargeStringArray),
    /// `utf8_view` (Polars' Arrow C stream).
    View(&'a StringViewArray),
}

impl<'a> Text<'a> {
    /// The column `name` read as text.
    pub fn of(array: &'a ArrayRef, name: &str) -> Result<Self, HostError> {
        match array.data_type() {
            DataType::Utf8 => Ok(Text::Small(array.as_string::<i32>())),
            DataType::LargeUtf8 => Ok(Text::Large(array.as_string::<i64>())),
            DataType::Utf8View => Ok(Text::View(array.as_string_view())),
            other => Err(wrong_type(
                name,
                other,
                "text (utf8, large_utf8, utf8_view)",
            )),
        }
    }

    /// The cell of `row`, `None` when null.
    pub fn get(&self, row: usize) -> Option<&'a str> {
        match self {
            Text::Small(a) => a.is_valid(row).then(|| a.value(row)),
            Text::Large(a) => a.is_valid(row).then(|| a.value(row)),
            Text::View(a) => a.is_valid(row).then(|| a.value(row)),
        }
    }
}

/// A decimal column (`decimal128` of any scale, or an integer type).
pub enum Decimals<'a> {
    /// `decimal128(p, s)`.
    D128(&'a Decimal128Array, u32),
    /// `int64`.
    I64(&'a PrimitiveArray<Int64Type>),
    /// `int32`.
    I32(&'a PrimitiveArray<Int32Type>),
}

impl<'a> Decimals<'a> {
    /// The column `name` read as decimals. Floats are refused: a binary
    /// number cannot carry a decimal quantity or price exactly.
    pub fn of(array: &'a ArrayRef, name: &str) -> Result<Self, HostError> {
        match array.data_type() {
            DataType::Decimal128(_, s) if (0..=28).contains(s) => Ok(Decimals::D128(
                array.as_primitive(),
                u32::from(s.unsigned_abs()),
            )),
            DataType::Int64 => Ok(Decimals::I64(array.as_primitive())),
            DataType::Int32 => Ok(Decimals::I32(array.as_primitive())),
            DataType::Float16 | DataType::Float32 | DataType::Float64 => Err(HostError::new(
                "NUMBER_FOR_DECIMAL",
                Some(name.to_owned()),
                format!(
                    "column {name:?} is {}: a binary float cannot carry a decimal exactly; \
                     use decimal128 (or an integer type)",
                    array.data_type()
                ),
            )
            .with_detail("value", Value::String(array.data_type().to_string()))
            .with_detail(
                "rule",
                Value::String("column type: decimal128 or integer".into()),
            )),
            other => Err(wrong_type(
                name,
                other,
                "decimal128 with a scale of 0 to 28, int64 or int32",
            )),
        }
    }

    /// The scale of the column (0 for integers).
    pub fn scale(&self) -> u32 {
        match self {
            Decimals::D128(_, s) => *s,
            _ => 0,
        }
    }

    /// The cell of `row` of column `name`, `None` when null; a decimal128
    /// past the core's 96 bits is `OVERFLOW`.
    pub fn get(&self, row: usize, name: &str) -> Result<Option<Decimal>, HostError> {
        match self {
            Decimals::D128(a, s) => {
                if a.is_null(row) {
                    return Ok(None);
                }
                let raw = a.value(row);
                Decimal::try_from_i128_with_scale(raw, *s)
                    .map(Some)
                    .map_err(|_| {
                        HostError::new(
                            "OVERFLOW",
                            Some(cell(row, name)),
                            format!("row {row}: {name} is beyond the decimal range (96 bits)"),
                        )
                        .with_detail("value", Value::String(format!("{raw}e-{s}")))
                        .with_detail("rule", Value::String("at most 96 bits".into()))
                    })
            }
            Decimals::I64(a) => Ok(a.is_valid(row).then(|| Decimal::from(a.value(row)))),
            Decimals::I32(a) => Ok(a.is_valid(row).then(|| Decimal::from(a.value(row)))),
        }
    }
}

/// An instant column: RFC 3339 text (its offset kept) or a timestamp with
/// a time zone (a fixed offset or a zone name; the instant is read in that
/// zone, so its offset is the zone's at that instant).
pub enum Instants<'a> {
    /// RFC 3339 text.
    Text(Text<'a>),
    /// A timestamp of `TimeUnit` with its zone.
    Stamp(&'a ArrayRef, TimeUnit, Tz),
}

impl<'a> Instants<'a> {
    /// The column `name` read as instants.
    pub fn of(array: &'a ArrayRef, name: &str) -> Result<Self, HostError> {
        match array.data_type() {
            DataType::Timestamp(unit, Some(zone)) => {
                let tz: Tz = zone.parse().map_err(|_| {
                    wrong_type(
                        name,
                        array.data_type(),
                        "a timestamp with a known time zone",
                    )
                })?;
                Ok(Instants::Stamp(array, *unit, tz))
            }
            DataType::Timestamp(_, None) => Err(HostError::new(
                "NAIVE_DATETIME",
                Some(name.to_owned()),
                format!(
                    "column {name:?} is a timestamp without a time zone: the pricing \
                     instant needs one"
                ),
            )
            .with_detail("value", Value::String(array.data_type().to_string()))
            .with_detail("rule", Value::String("timestamp with a time zone".into()))),
            _ => Text::of(array, name).map(Instants::Text).map_err(|_| {
                wrong_type(
                    name,
                    array.data_type(),
                    "a timestamp with a time zone, or RFC 3339 text",
                )
            }),
        }
    }

    /// The cell of `row` of column `name`, `None` when null.
    pub fn get(&self, row: usize, name: &str) -> Result<Option<DateTime<FixedOffset>>, HostError> {
        let bad = |value: String| {
            HostError::new(
                "INVALID_FIELD",
                Some(cell(row, name)),
                format!("row {row}: {name} {value:?} is not an instant"),
            )
            .with_detail("value", Value::String(value))
            .with_detail("rule", Value::String("RFC 3339 with an offset".into()))
        };
        match self {
            Instants::Text(t) => match t.get(row) {
                None => Ok(None),
                Some(s) => DateTime::parse_from_rfc3339(s)
                    .map(Some)
                    .map_err(|_| bad(s.to_owned())),
            },
            Instants::Stamp(a, unit, tz) => {
                if a.is_null(row) {
                    return Ok(None);
                }
                let at = match unit {
                    TimeUnit::Second => a
                        .as_primitive::<TimestampSecondType>()
                        .value_as_datetime_with_tz(row, *tz),
                    TimeUnit::Millisecond => a
                        .as_primitive::<TimestampMillisecondType>()
                        .value_as_datetime_with_tz(row, *tz),
                    TimeUnit::Microsecond => a
                        .as_primitive::<TimestampMicrosecondType>()
                        .value_as_datetime_with_tz(row, *tz),
                    TimeUnit::Nanosecond => a
                        .as_primitive::<TimestampNanosecondType>()
                        .value_as_datetime_with_tz(row, *tz),
                };
                at.map(|d| Some(d.fixed_offset()))
                    .ok_or_else(|| bad(format!("timestamp of row {row}")))
            }
        }
    }
}
