use super::*;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

#[test]
fn default_validity_is_end_of_day_in_the_seller_offset() {
    let ist = FixedOffset::east_opt(330 * 60).unwrap();
    // 20:00 UTC on the 26th is already the 27th in India.
    let v = default_valid_until(at("2026-11-26T20:00:00Z"), 15, ist).unwrap();
    assert_eq!(v, at("2026-12-12T23:59:59+05:30"));
    let utc = FixedOffset::east_opt(0).unwrap();
    let v = default_valid_until(at("2026-11-26T20:00:00Z"), 0, utc).unwrap();
    assert_eq!(v, at("2026-11-26T23:59:59Z"));
    let bad = QuoteSettings {
        seller_utc_offset_minutes: 100_000,
        ..QuoteSettings::default()
    };
    let e = seller_offset(&bad).unwrap_err();
    assert_eq!(e.field(), Some("settings.seller_utc_offset_minutes"));
}

#[test]
fn placeholder_gst_rates() {
    let mut g = PlaceholderGst::default();
    assert_eq!(g.rate("GST5"), Some(Decimal::new(5, 0)));
    assert_eq!(g.rate("GST18"), Some(Decimal::new(18, 0)));
    assert_eq!(g.rate("GST0.25"), Some(Decimal::new(25, 2)));
    assert_eq!(g.rate("EXEMPT"), Some(Decimal::ZERO));
    assert_eq!(g.rate("GST"), None);
    assert_eq!(g.rate("VAT5"), None);
    assert_eq!(g.rate("GST500"), None);
    g.rates.insert("SPECIAL".into(), Decimal::new(12, 0));
    assert_eq!(g.rate("SPECIAL"), Some(Decimal::new(12, 0)));
}

#[test]
fn error_codes_and_fields() {
    let e = QuoteError::Expired {
        field: "valid_until".into(),
        valid_until: at("2026-11-26T00:00:00Z"),
    };
    assert_eq!(
        (e.code(), e.field()),
        ("QUOTE_EXPIRED", Some("valid_until"))
    );
    let e = QuoteError::Tampered {
        field: "digest".into(),
        detail: "x".into(),
    };
    assert_eq!(e.code(), "TAMPERED_QUOTE");
    assert!(e.info().message.contains("altered"));
}
